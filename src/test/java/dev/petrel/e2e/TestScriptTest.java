package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bin/test on a fresh machine: it installs the Debian packages the tests need when it runs as root, and
 * otherwise prints the one apt-get line to run and stops. Stand-ins for id, dpkg-query, apt-get and the rest
 * record what the script asked of them.
 */
class TestScriptTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final List<String> PACKAGES = List.of("swaks", "libnet-ssleay-perl", "libio-socket-ssl-perl",
            "curl", "python3", "postfix", "openssl",
            "dnsmasq-base", "dovecot-imapd", "dovecot-pop3d", "dovecot-lmtpd", "util-linux", "python3-dkim",
            "python3-nacl", "python3-spf", "python3-dnspython", "python3-aiosmtpd", "opendkim-tools", "postgresql",
            "prometheus", "chromium", "chromium-driver", "nodejs", "systemd", "haproxy",
            "pebble", "rspamd", "python3-authres");

    private record Machine(Path root, Path callLog) {
        Programs.Result run(String uid, List<String> installed, String... args) throws Exception {
            return run(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), uid, installed, args);
        }

        /** As {@link #run(String, List, String...)} with the stand-ins before {@code path}, not the real PATH. */
        Programs.Result run(String path, String uid, List<String> installed, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(root.resolve("bin/test").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> env = pb.environment();
            env.put("PATH", root.resolve("fakebin") + File.pathSeparator + path);
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("FAKE_UID", uid);
            env.put("FAKE_INSTALLED", " " + String.join(" ", installed) + " ");
            env.put("CALLS", callLog.toString());
            return Scripts.run(root, pb);
        }

        List<String> calls() throws IOException {
            return Files.exists(callLog) ? Files.readAllLines(callLog) : List.of();
        }
    }

    private static Machine machine(String name) throws IOException {
        Path root = scratch.newFolder(name);
        Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("bin/test", "bin/petrel")) {
            Files.copy(Scripts.worktree().resolve(script), root.resolve(script));
        }
        Path bin = Files.createDirectories(root.resolve("fakebin"));
        Scripts.executable(bin.resolve("id"), "#!/bin/sh\necho \"$FAKE_UID\"\n");
        Scripts.executable(bin.resolve("dpkg-query"), """
                #!/bin/sh
                for last; do :; done
                case "$FAKE_INSTALLED" in *" $last "*) echo "install ok installed" ;; *) exit 1 ;; esac
                """);
        for (String program : List.of("apt-get", "debconf-set-selections", "postfix", "doveadm", "mvn", "npm")) {
            String stdin = program.equals("debconf-set-selections") ? " $(cat)" : "";
            Scripts.executable(bin.resolve(program), "#!/bin/sh\necho \"" + program + " $*" + stdin + "\" >>\"$CALLS\"\n");
        }
        return new Machine(root, root.resolve("calls.txt"));
    }

    @Test
    void notRootWithPackagesMissingPrintsTheOneInstallLineAndStops() throws Exception {
        Machine m = machine("user");
        Programs.Result r = m.run("1000", List.of("curl", "python3"));
        assertEquals(1, r.exitCode(), r.describe());
        List<String> missing = new ArrayList<>(PACKAGES);
        missing.removeAll(List.of("curl", "python3"));
        assertEquals("apt-get install -y --no-install-recommends " + String.join(" ", missing) + "\n", r.stdout());
        assertEquals(List.of(), m.calls(), "nothing installed, no test run");
    }

    @Test
    void rootInstallsWhatIsMissingAnswersPostfixStopsTheSystemsServersThenRunsTheTests() throws Exception {
        Machine m = machine("root");
        Programs.Result r = m.run("0", List.of("swaks", "curl"), "-Dtest=SwaksTest");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> missing = new ArrayList<>(PACKAGES);
        missing.removeAll(List.of("swaks", "curl"));
        assertEquals(List.of("apt-get update -qq",
                "debconf-set-selections  postfix postfix/main_mailer_type select No configuration",
                "apt-get install -y -qq --no-install-recommends " + String.join(" ", missing),
                "postfix stop", "doveadm stop", "mvn -B -ntp verify -Dtest=SwaksTest"), m.calls());
    }

    @Test
    void withEverythingInstalledItOnlyRunsTheTests() throws Exception {
        Machine m = machine("ready");
        Programs.Result r = m.run("1000", PACKAGES);
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(List.of("mvn -B -ntp verify"), m.calls());
        assertFalse(r.output().contains("apt-get"), r.describe());
    }

    // NodeSource's nodejs carries npm and conflicts with Debian's npm package, so npm is asked for by its command
    @Test
    void withoutAnNpmCommandNpmIsInstalledAsMavenIs() throws Exception {
        Machine m = machine("no-npm");
        Files.delete(m.root().resolve("fakebin/npm"));
        Path tools = Files.createDirectories(m.root().resolve("tools"));
        for (String tool : List.of("bash", "dirname", "grep")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of(Programs.require(tool, "coreutils")));
        }
        Programs.Result r = m.run(tools.toString(), "1000", PACKAGES);
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("apt-get install -y --no-install-recommends npm\n", r.stdout());
    }

    @Test
    void ciCallsTheSameScript() throws IOException {
        String ci = Files.readString(Scripts.worktree().resolve(".ci/run"));
        assertTrue(ci.contains("exec bin/test"), ci);
        assertFalse(ci.contains("apt-get"), "the package list lives in bin/test alone");
    }
}
