package dev.petrel.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;

/**
 * {@code petrel help [COMMAND [SUBCOMMAND...]]}: the usage of the command the words name, as
 * {@code petrel COMMAND SUBCOMMAND --help} prints it. An unknown name is a usage error (exit status 2).
 */
@Command(name = "help", helpCommand = true, description = "Show the usage of a command: petrel help user add")
final class HelpCommand implements IHelpCommandInitializable2, java.util.concurrent.Callable<Integer> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command and subcommands to explain")
    List<String> words = new ArrayList<>();

    private CommandLine self;
    private PrintWriter out;
    private Help.ColorScheme colors;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public Integer call() {
        CommandLine command = self.getParent();
        for (String word : words) {
            CommandLine sub = command.getSubcommands().get(word);
            if (sub == null) {
                throw new CommandLine.ParameterException(self, "no command '" + String.join(" ", words)
                        + "' (petrel --help lists them)");
            }
            command = sub;
        }
        command.usage(out, colors);
        return CommandLine.ExitCode.OK;
    }
}
