package dev.petrel.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL for tests, from Debian's {@code postgresql} package: a cluster made with {@code initdb} in
 * a temporary folder, listening on a free port of 127.0.0.1 only (and a unix socket in that folder), without
 * fsync, trusting local connections of its {@code postgres} superuser. Run as root, every program runs as the
 * {@code postgres} user (PostgreSQL refuses root) on a folder that user owns. Each test takes a database of its
 * own ({@link #newDatabase}); {@link #close} stops the server and removes the folder.
 *
 * <p>A test that cannot start it fails, saying why: it never skips, so CI cannot pass without PostgreSQL.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final String OS_USER = "postgres";
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(90);

    private final Path bin;
    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PrivatePostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Makes and starts a cluster; throws, saying what is missing or what PostgreSQL said, when it cannot. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("petrel-postgres-");
        PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort());
        try {
            pg.initialize();
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", pg.data().toString(), "-l", pg.log().toString(),
                    "-w", "-t", "60", "-o", pg.serverOptions(), "start"));
            return pg;
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot start a private PostgreSQL in " + dir + ": " + e.getMessage() + "\n"
                    + pg.logTail(), e);
        }
    }

    // the newest version installed: /usr/lib/postgresql/<version>/bin
    static Path binaries() throws IOException {
        if (!Files.isDirectory(VERSIONS)) {
            throw new IOException(VERSIONS + " is missing: install Debian's postgresql package (.ci/run does)");
        }
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(PrivatePostgres::version))
                    .orElseThrow(() -> new IOException("no initdb under " + VERSIONS + "/*/bin"));
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void initialize() throws IOException, InterruptedException {
        if (root()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(OS_USER));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
    }

    private String serverOptions() {
        return "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=" + dir
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Path log() {
        return dir.resolve("postgres.log");
    }

    // as the postgres user when we are root; its output goes to a file in the folder, shown when it fails
    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("petrel-postgres-command-", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(STEP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " took longer than " + STEP_DEADLINE);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " exited with " + p.exitValue() + ": "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    /** Stops the server as an operator's restart does (fast shutdown: sessions cut), keeping its data. */
    public void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts again, on the same port and data, a server {@link #stop}ped before. */
    public void restart() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", log().toString(), "-w", "-t",
                "60", "-o", serverOptions(), "start"));
    }

    public int port() {
        return port;
    }

    /** A new, empty database, as a Petrel {@code [store] url}. */
    public String newDatabase() throws SQLException {
        String name = "petrel_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"));
             Statement s = c.createStatement()) {
            // a name made here from a counter, never from input: no parameter to bind
            s.execute("CREATE DATABASE " + name);
        }
        return "postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
