package dev.petrel.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code petrel} command. Every command and subcommand takes {@code --help}; {@code petrel help CMD...}
 * prints the same. Errors go to standard error, saying which argument or setting is wrong, with exit status
 * 1 for a wrong value (a bad address, an unknown user, a configuration error) and 2 for a usage error (an
 * unknown option or command, a missing argument).
 */
@Command(name = "petrel", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "petrel 0.1.0",
        description = "Petrel mail transfer agent",
        subcommands = {HelpCommand.class, ServeCommand.class, CheckConfigCommand.class, UserCommand.class,
                DomainCommand.class, AliasCommand.class, DkimCommand.class, QueueCommand.class, EventsCommand.class,
                AdminTokenCommand.class, TenantCommand.class, StreamCommand.class, KeyCommand.class,
                SendmailCommand.class, WebhookCommand.class, SuppressionCommand.class,
                ConsentCommand.class, StatusCommand.class, StoreCommand.class, ReportCommand.class,
                NodeCommand.class})
public final class Main {

    /** A value was wrong: a setting, an argument, a name that does not exist. */
    static final int INVALID = 1;
    /** The command line itself was wrong: an unknown option or command, a missing argument. */
    static final int USAGE = 2;

    public static void main(String[] args) {
        Petrel.refuseClientRenegotiation();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Runs one command line; picocli's own output (usage, version, errors) goes to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("petrel: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return INVALID;
        });
        cli.setParameterExceptionHandler(Main::parameterError);
        return cli.execute(args);
    }

    // a value that did not convert (picocli keeps the converter's exception as the cause) is a validation
    // error; anything else the parser refused is a usage error, shown with a hint to --help
    private static int parameterError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("petrel: " + e.getMessage());
        if (e.getCause() != null) {
            return INVALID;
        }
        err.println("petrel: see '" + command.getCommandSpec().qualifiedName() + " --help'");
        return USAGE;
    }
}
