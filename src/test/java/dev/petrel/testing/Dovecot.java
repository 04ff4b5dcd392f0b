package dev.petrel.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private Dovecot 2.3 for tests: IMAP, POP3 and LMTP on free ports of 127.0.0.1, LMTP also on a unix socket,
 * every file of its own (configuration, sockets, state, log) in one folder, and the users it is given, with
 * plain-text passwords. It reads and writes mail where the caller's {@code mail_location} says, for example
 * {@code maildir:/data/mail/%d/%n} to read the Maildirs another program wrote there.
 *
 * <p>Dovecot refuses to touch mail as root: a userdb uid of 0 is an error, and its IMAP, POP3 and LMTP processes
 * stop with "Mail access not allowed for root" whatever {@code first_valid_uid} says. Yet the Maildirs it must read
 * belong to whoever ran the tests, root on CI. So Dovecot runs in a user namespace of its own ({@code unshare
 * --map-user=dovecot --map-group=dovecot}): inside, every process of it is the unprivileged {@code dovecot} user;
 * outside, that user is the one who started the tests, so Dovecot reads and writes exactly the files the tests
 * can, and what it writes belongs to them. Being no one's root, it changes no user and chroots nowhere, so the
 * configuration blanks the {@code chroot} of the services that have one. It shares the network with the tests.
 *
 * <p>The fetch and delivery helpers run Python's own clients (src/test/resources/testing/dovecot_client.py),
 * each with a bounded wait; their output is kept in the folder, numbered by run.
 */
public final class Dovecot implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/dovecot");
    static final Path UNSHARE = Path.of("/usr/bin/unshare");
    /** The account the Debian packages create, which every Dovecot process is inside its namespace. */
    private static final String NAMESPACE_USER = "dovecot";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(20);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    /** dovecot.conf, its {placeholders} filled in by {@link #configuration}. */
    private static final String CONFIGURATION = """
        # written by dev.petrel.testing.Dovecot: a private Dovecot for one test
        instance_name = petrel-test-{imap_port}
        base_dir = {dir}/run
        state_dir = {dir}/state
        log_path = {dir}/dovecot.log
        listen = 127.0.0.1
        protocols = imap pop3 lmtp
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain
        auth_verbose = yes
        # a wrong password fails at once: no fixed delay, and (anvil below) no penalty that grows with
        # each failure from an address, up to 15 s, delaying even the next right password
        auth_failure_delay = 0
        # inside its user namespace Dovecot is this user and no other
        default_internal_user = {user}
        default_internal_group = {user}
        default_login_user = {user}
        mail_location = {mail_location}
        # LMTP recipients are full addresses, delivered to INBOX as they are
        recipient_delimiter =
        lmtp_save_to_detail_mailbox = no
        pop3_no_flag_updates = yes
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {dir}/users
        }
        # no uid: mail is read and written as the user Dovecot runs as
        userdb {
          driver = static
          args = home={dir}/home/%d/%n
        }
        # chroot: a process without privileges cannot, and these services do by default
        service imap-login {
          chroot =
          inet_listener imap {
            port = {imap_port}
          }
          inet_listener imaps {
            port = 0
          }
        }
        service pop3-login {
          chroot =
          inet_listener pop3 {
            port = {pop3_port}
          }
          inet_listener pop3s {
            port = 0
          }
        }
        service lmtp {
          inet_listener lmtp {
            port = {lmtp_port}
          }
          unix_listener {dir}/lmtp {
            mode = 0666
          }
        }
        service anvil {
          chroot =
          unix_listener anvil-auth-penalty {
            mode = 0
          }
        }
        service ipc {
          chroot =
        }
        service old-stats {
          chroot =
        }
        service aggregator {
          chroot =
        }
        service imap-urlauth-login {
          chroot =
        }
        """;

    /** The two LMTP listeners, named as Dovecot's configuration names them. */
    public enum LmtpListener { INET, UNIX }

    private final Path dir;
    private final Ports ports;
    private final Process process;
    private final AtomicInteger clientRuns = new AtomicInteger();
    // a test that forgets close(), or a JVM that exits mid-test, leaves no Dovecot behind (unless killed)
    private final Thread stopAtExit = new Thread(this::close, "dovecot-stop");
    private boolean closed;

    private record Ports(int imap, int pop3, int lmtp) {}

    private Dovecot(Path dir, Ports ports, Process process) {
        this.dir = dir;
        this.ports = ports;
        this.process = process;
    }

    /**
     * Writes {@code dovecot.conf} and a passwd-file into {@code workDir}, starts Dovecot in the foreground and
     * returns once its IMAP, POP3 and LMTP listeners accept connections.
     *
     * @param workDir      Dovecot's own folder: configuration, log, sockets, state; created if missing
     * @param mailLocation Dovecot's {@code mail_location}, such as {@code maildir:/data/mail/%d/%n}; users log in
     *                     with their full address, so {@code %d} is the domain and {@code %n} the local part.
     *                     Dovecot keeps its index and UID list ({@code dovecot.index*}, {@code dovecot-uidlist})
     *                     at the root of each Maildir it opens; the fetches below leave messages where they are
     * @param users        each user's full address ({@code alice@example.test}) and plain-text password
     * @throws IllegalStateException when Dovecot or unshare is missing, or Dovecot is not ready within 20 s; the
     *                               message holds Dovecot's log
     */
    public static Dovecot start(Path workDir, String mailLocation, Map<String, String> users)
            throws IOException, InterruptedException {
        requireExecutable(BINARY, "install dovecot-imapd, dovecot-pop3d and dovecot-lmtpd");
        requireExecutable(UNSHARE, "install util-linux");
        Path dir = Files.createDirectories(workDir.toAbsolutePath());
        if (dir.toString().matches(".*\\s.*")) {
            // passwd-file's args are split at spaces
            throw new IllegalArgumentException("Dovecot's folder may not contain whitespace: " + dir);
        }
        Ports ports = freePorts();
        writeUsers(dir.resolve("users"), users);
        Files.writeString(dir.resolve("dovecot.conf"), configuration(dir, mailLocation, ports));
        copyClientScript(dir.resolve("dovecot_client.py"));
        Process process = new ProcessBuilder(UNSHARE.toString(), "--map-user=" + NAMESPACE_USER,
                "--map-group=" + NAMESPACE_USER, BINARY.toString(), "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        Dovecot dovecot = new Dovecot(dir, ports, process);
        Runtime.getRuntime().addShutdownHook(dovecot.stopAtExit);
        dovecot.awaitReady();
        return dovecot;
    }

    public int imapPort() {
        return ports.imap();
    }

    public int pop3Port() {
        return ports.pop3();
    }

    public int lmtpPort() {
        return ports.lmtp();
    }

    public Path lmtpSocket() {
        return dir.resolve("lmtp");
    }

    /** Dovecot's log ({@code log_path}): logins, deliveries, and why it refused what it refused. */
    public String log() {
        return read(dir.resolve("dovecot.log"));
    }

    /**
     * Every message of the user's INBOX, in mailbox order, as Python's imaplib received {@code BODY.PEEK[]} (the
     * octets {@code RFC822} returns): the mailbox is opened read-only, so no flag changes and no file moves.
     */
    public List<byte[]> imapFetchAll(String user, String password) throws IOException, InterruptedException {
        return decode(runClient(List.of("imap", String.valueOf(ports.imap()), user), passwordLine(password)));
    }

    /**
     * Every message of the user's maildrop, in order, as Python's poplib received it with RETR: dot-stuffing
     * undone, each line ending in CRLF as on the wire. Nothing is deleted, and {@code pop3_no_flag_updates} keeps
     * the flags as they were.
     */
    public List<byte[]> pop3FetchAll(String user, String password) throws IOException, InterruptedException {
        return decode(runClient(List.of("pop3", String.valueOf(ports.pop3()), user), passwordLine(password)));
    }

    /**
     * Delivers one message to one recipient with Python's smtplib.LMTP. The octets go out as given (dot-stuffed,
     * with a CRLF added after a last line that lacks one), so give them CRLF line endings: a bare LF is a line end
     * to Dovecot, and it would store a blank line after the message. Throws when the recipient or the data is
     * refused.
     */
    public void lmtpDeliver(LmtpListener listener, String sender, String recipient, byte[] message)
            throws IOException, InterruptedException {
        String target = switch (listener) {
            case INET -> String.valueOf(ports.lmtp());
            case UNIX -> lmtpSocket().toString();
        };
        runClient(List.of("lmtp", target, sender, recipient), message);
    }

    /** Dovecot's master process and, while it runs, the processes it started. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        try (Stream<ProcessHandle> children = process.descendants()) {
            children.forEach(all::add);
        }
        return all;
    }

    /**
     * Stops Dovecot: SIGTERM to the master, which stops its children, then SIGKILL to any process of it still
     * running after 10 s. Returns once none runs, after about a second: the master gives its children that long
     * to close their listeners. The folder stays, for the log.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // this is the hook, run as the JVM exits
        }
        // taken before the master goes: its orphans are no longer its descendants
        List<ProcessHandle> tree = processes();
        process.destroy();
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        List<ProcessHandle> survivors = new ArrayList<>();
        for (ProcessHandle p : tree) {
            if (!awaitExit(p, deadline)) {
                p.destroyForcibly();
                survivors.add(p);
            }
        }
        for (ProcessHandle p : survivors) {
            if (!awaitExit(p, System.nanoTime() + STOP_DEADLINE.toNanos())) {
                throw new IllegalStateException("Dovecot process " + p.pid() + " still ran after SIGKILL");
            }
        }
    }

    // polled: onExit() of a process that is not our child polls too, but from 300 ms up
    private static boolean awaitExit(ProcessHandle p, long deadline) {
        while (running(p)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(p);
            }
        }
        return true;
    }

    /**
     * Whether a process still runs. A zombie does not: Dovecot's children outlive the master by a moment, are
     * then the children of PID 1, and some inits (this machine's among them) reap them only every second or two,
     * while {@link ProcessHandle#isAlive} still counts them.
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            // /proc/PID/stat: "PID (name) STATE ..."; the name may hold spaces and parentheses
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    private static String configuration(Path dir, String mailLocation, Ports ports) {
        requireOneLine(mailLocation, "mail_location");
        return CONFIGURATION.replace("{dir}", dir.toString())
                .replace("{user}", NAMESPACE_USER)
                .replace("{imap_port}", String.valueOf(ports.imap()))
                .replace("{pop3_port}", String.valueOf(ports.pop3()))
                .replace("{lmtp_port}", String.valueOf(ports.lmtp()))
                .replace("{mail_location}", mailLocation);
    }

    private static void writeUsers(Path file, Map<String, String> users) throws IOException {
        StringBuilder lines = new StringBuilder();
        users.forEach((user, password) -> {
            // passwd-file: user:password:uid:gid:gecos:home:shell:extra
            if (user.contains(":") || password.contains(":")) {
                throw new IllegalArgumentException("a passwd-file field cannot hold ':': " + user);
            }
            requireOneLine(user + password, "a user or password");
            lines.append(user).append(":{PLAIN}").append(password).append("::::::\n");
        });
        Files.writeString(file, lines);
    }

    private static void copyClientScript(Path target) throws IOException {
        try (InputStream script = Dovecot.class.getResourceAsStream("/testing/dovecot_client.py")) {
            if (script == null) {
                throw new IllegalStateException("missing test resource testing/dovecot_client.py");
            }
            Files.copy(script, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // three distinct ports, free when asked; held together so that none is picked twice
    private static Ports freePorts() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket imap = new ServerSocket(0, 1, loopback);
                ServerSocket pop3 = new ServerSocket(0, 1, loopback);
                ServerSocket lmtp = new ServerSocket(0, 1, loopback)) {
            return new Ports(imap.getLocalPort(), pop3.getLocalPort(), lmtp.getLocalPort());
        }
    }

    private void awaitReady() throws InterruptedException {
        List<SocketAddress> listeners = List.of(tcp(ports.imap()), tcp(ports.pop3()), tcp(ports.lmtp()),
                UnixDomainSocketAddress.of(lmtpSocket()));
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (!listeners.stream().allMatch(Dovecot::accepts)) {
            if (!process.isAlive()) {
                close();
                throw new IllegalStateException("Dovecot exited with " + process.exitValue() + diagnostics());
            }
            if (System.nanoTime() - deadline > 0) {
                close();
                throw new IllegalStateException("Dovecot did not listen within " + READY_DEADLINE + diagnostics());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static SocketAddress tcp(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static boolean accepts(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            try {
                SocketChannel.open(address).close();
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Runs the client script, feeding it {@code input}; returns its standard output or throws with its stderr. */
    private String runClient(List<String> args, byte[] input) throws IOException, InterruptedException {
        String name = String.format("client-%03d-%s", clientRuns.incrementAndGet(), args.get(0));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of("python3", dir.resolve("dovecot_client.py").toString()));
        command.addAll(args);
        Process client = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        try {
            feed(client, input);
            if (!client.waitFor(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(String.join(" ", args) + " did not finish within " + CLIENT_TIMEOUT
                        + "\n--- stderr\n" + read(err) + diagnostics());
            }
        } finally {
            client.destroyForcibly().waitFor(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (client.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited with " + client.exitValue()
                    + "\n--- stderr\n" + read(err) + diagnostics());
        }
        return read(out);
    }

    private static void feed(Process client, byte[] input) {
        try (OutputStream stdin = client.getOutputStream()) {
            stdin.write(input);
        } catch (IOException clientGone) {
            // it failed before reading everything; its exit code and stderr will say why
        }
    }

    // the script reads the password from standard input, so that no command line shows it
    private static byte[] passwordLine(String password) {
        requireOneLine(password, "a password");
        return (password + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> decode(String lines) {
        return lines.lines().map(Base64.getDecoder()::decode).toList();
    }

    private String diagnostics() {
        return "\n--- " + dir.resolve("dovecot.log") + "\n" + log() + "--- Dovecot's own output\n"
                + read(dir.resolve("dovecot.out"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireExecutable(Path binary, String remedy) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: " + remedy);
        }
    }

    private static void requireOneLine(String value, String what) {
        if (value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException(what + " cannot span lines");
        }
    }
}
