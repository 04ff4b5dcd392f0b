package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line's contract: help everywhere, exit status 1 for a wrong value, 2 for a wrong command line. */
class MainTest {

    @TempDir
    Path dir;

    private Path config;

    record Run(int status, String out, String err) {
        String describe() {
            return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("petrel.toml");
        Files.writeString(config, "hostname = \"mx.test\"\ndata_dir = \"data\"\n");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private Run runWithConfig(String line) {
        List<String> args = new ArrayList<>(List.of(line.split(" ")));
        args.add("--config");
        args.add(config.toString());
        return run(args.toArray(String[]::new));
    }

    /** Every command and subcommand, as the words that name it: "serve", "user add", ... */
    static Stream<String> commands() {
        List<String> out = new ArrayList<>();
        collect(new CommandLine(new Main()), "", out);
        return out.stream();
    }

    private static void collect(CommandLine command, String prefix, List<String> out) {
        command.getSubcommands().forEach((name, sub) -> {
            String words = (prefix + " " + name).strip();
            out.add(words);
            collect(sub, words, out);
        });
    }

    @ParameterizedTest(name = "petrel {0} --help")
    @MethodSource("commands")
    void everyCommandTakesHelp(String words) {
        List<String> args = new ArrayList<>(List.of(words.split(" ")));
        args.add("--help");
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.out().startsWith("Usage: petrel " + words), r.describe());
    }

    @ParameterizedTest(name = "petrel help {0}")
    @MethodSource("commands")
    void helpNamesEveryCommandAsItsOwnHelpDoes(String words) {
        List<String> args = new ArrayList<>(List.of("help"));
        args.addAll(List.of(words.split(" ")));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.describe());
        List<String> own = new ArrayList<>(List.of(words.split(" ")));
        own.add("--help");
        assertEquals(run(own.toArray(String[]::new)).out(), r.out());
    }

    @Test
    void serveHelpSaysWhatTheSignalsDo() {
        Run r = run("serve", "--help");
        assertTrue(r.out().contains("SIGTERM") && r.out().contains("SIGHUP"), r.describe());
    }

    @Test
    void versionPrintsTheVersion() {
        Run r = run("--version");
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.out().matches("petrel \\d+\\.\\d+\\.\\d+\\R"), r.describe());
    }

    @ParameterizedTest(name = "petrel {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # a value that is wrong: exit 1, and the message names the argument
            user quota alice@localhost many         | (SIZE): 'many': not a size
            user add not-an-address                 | (ADDRESS): 'not-an-address': not a mailbox
            user remove nobody@                     | (ADDRESS): 'nobody@'
            alias add bad alice@localhost           | invalid SOURCE 'bad'
            alias add sales@localhost nope          | (TARGET): 'nope': not a mailbox
            alias remove @                          | invalid SOURCE '@'
            dkim keygen example.com --algorithm foo | option '--algorithm': 'foo': unknown DKIM key type
            dkim keygen example..com                | (DOMAIN): 'example..com': invalid domain
            domain add a..b                         | (NAME): 'a..b': invalid domain
            queue show not/an/id                    | (ID): 'not/an/id': invalid queue id
            sendmail -f bad@@x bob@localhost        | invalid -f SENDER 'bad@@x'
            """)
    void aWrongValueExitsOneAndNamesTheArgument(String line, String message) {
        Run r = runWithConfig(line);
        assertEquals(Main.INVALID, r.status(), r.describe());
        assertTrue(r.err().startsWith("petrel: ") && r.err().contains(message), r.describe());
    }

    @Test
    void anUnknownUserExitsOne() {
        Run r = runWithConfig("user quota nobody@localhost 1MiB");
        assertEquals(Main.INVALID, r.status(), r.describe());
    }

    @ParameterizedTest(name = "petrel {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # the command line itself is wrong: exit 2, with the problem and where to find help
            serve --bogus              | Unknown option: '--bogus'          | petrel serve --help
            user add                   | Missing required parameter: 'ADDRESS' | petrel user add --help
            user quota a@localhost     | Missing required parameter: 'SIZE' | petrel user quota --help
            frobnicate                 | Unmatched argument at index 0      | petrel --help
            help user frob             | no command 'user frob'             | petrel help --help
            user                       | Missing required subcommand        | petrel user --help
            """)
    void aWrongCommandLineExitsTwo(String line, String message, String hint) {
        Run r = run(line.split(" "));
        assertEquals(Main.USAGE, r.status(), r.describe());
        assertTrue(r.err().contains(message), r.describe());
        assertTrue(r.err().contains("see '" + hint + "'"), r.describe());
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        assertEquals(Main.USAGE, run().status());
    }

    @Test
    void aConfigurationErrorExitsOneNamingItsLine() throws IOException {
        Files.writeString(config, "hostname = \"mx.test\"\n[limits]\nrecipients = \"many\"\n");
        Run r = runWithConfig("check-config");
        assertEquals(Main.INVALID, r.status(), r.describe());
        assertEquals("petrel: " + config + " line 3: [limits] recipients: expected a whole number from 1 to 100000,"
                + " got \"many\"\n", r.err());
    }

    @Test
    void checkConfigFindsAMissingCertificateOrKeyFile() throws IOException {
        Path cert = dir.resolve("missing/cert.pem");
        Files.writeString(config, "hostname = \"mx.test\"\ndata_dir = \"data\"\n\n[tls]\ncertificate = \"" + cert
                + "\"\nprivate_key = \"" + dir.resolve("missing/key.pem") + "\"\n");
        Run r = runWithConfig("check-config");
        assertEquals(Main.INVALID, r.status(), r.describe());
        assertEquals("petrel: " + config + " line 5: [tls] certificate: no such file: " + cert + "\n", r.err());
    }

    @Test
    void checkConfigFindsAMissingAcmeTrustFile() throws IOException {
        Path trust = dir.resolve("missing/ca.pem");
        Files.writeString(config, "hostname = \"mx.test\"\n[acme]\ndirectory = \"https://ca.test/dir\"\nnames = [\"mx.test\"]"
                + "\ntrust = \"" + trust + "\"\n");
        Run r = runWithConfig("check-config");
        assertEquals(Main.INVALID, r.status(), r.describe());
        assertEquals("petrel: " + config + " line 5: [acme] trust: no such file: " + trust + "\n", r.err());
    }

    @Test
    void checkConfigFindsAFileThatIsNoCertificate() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Files.writeString(config, "hostname = \"mx.test\"\n[tls]\ncertificate = \"" + cert + "\"\nprivate_key = \""
                + key + "\"\n");
        Run r = runWithConfig("check-config");
        assertEquals(Main.INVALID, r.status(), r.describe());
        assertTrue(r.err().startsWith("petrel: " + config + " line 3: [tls] certificate: "), r.describe());
    }
}
