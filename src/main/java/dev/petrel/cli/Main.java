package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigPrinter;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code petrel} command. Errors go to standard error with a non-zero exit status. */
@Command(name = "petrel", mixinStandardHelpOptions = true, version = "petrel 0.1.0",
        description = "Petrel mail transfer agent",
        subcommands = {Main.Serve.class, Main.CheckConfig.class, UserCommand.class, DomainCommand.class,
                AliasCommand.class, DkimCommand.class, QueueCommand.class, SendmailCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("petrel: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    @Command(name = "serve", description = "Run the server")
    static final class Serve implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            PrintStream log = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                    StandardCharsets.UTF_8);
            Petrel petrel = Petrel.start(c, log);
            List<Config.Listener> listeners = c.listeners();
            for (int i = 0; i < listeners.size(); i++) {
                InetSocketAddress a = petrel.addresses().get(i);
                log.println("petrel: listening on " + a.getAddress().getHostAddress() + ":" + a.getPort()
                        + " role=" + listeners.get(i).role().name().toLowerCase(java.util.Locale.ROOT));
            }
            log.println("petrel: data in " + c.dataDir().toAbsolutePath() + ", " + petrel.queue().list().size()
                    + " message(s) in the queue");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    petrel.close();
                } catch (Exception e) {
                    System.err.println("petrel: " + e.getMessage());
                }
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "check-config", description = "Validate and print the effective configuration")
    static final class CheckConfig implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            Petrel.options(c);
            c.relayNetworks().forEach(dev.petrel.policy.Network::parse);
            c.localDomains().forEach(dev.petrel.mail.Domain::parse);
            System.out.print(ConfigPrinter.print(c));
            return 0;
        }
    }
}
