package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.ConfigPrinter;
import dev.petrel.server.ServerCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check-config", description = "Validate and print the effective configuration, and check that"
        + " the files it names (the [tls] certificate and key) are there and usable, that this machine has the"
        + " source addresses of [[delivery.egress]], and that every stream's egress is configured")
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        Petrel.options(c);
        checkTls(c, config.file());
        EgressCheck.checkPools(c, config.file());
        EgressCheck.checkStreams(c);
        System.out.print(ConfigPrinter.print(c));
        return 0;
    }

    /**
     * The configured certificate and key exist, can be read and make a pair: checked before a server starts, so
     * the error names the setting and its line; so is [acme] trust. (The self-signed default is made on the first
     * start, the ACME certificate after it.)
     */
    static void checkTls(Config c, Path configFile) throws ConfigException {
        if (c.acme().trust() != null) {
            checkFile(configFile, "acme.trust", c.acme().trust());
        }
        Config.Tls tls = c.tls();
        if (tls.certificate() == null) {
            return;
        }
        checkFile(configFile, "tls.certificate", tls.certificate());
        checkFile(configFile, "tls.private_key", tls.privateKey());
        try {
            ServerCertificate.open(tls.certificate(), tls.privateKey(), null, c.hostname());
        } catch (IOException e) {
            throw ConfigLoader.problem(configFile, "tls.certificate", e.getMessage());
        }
    }

    private static void checkFile(Path configFile, String key, Path file) throws ConfigException {
        if (!Files.exists(file)) {
            throw ConfigLoader.problem(configFile, key, "no such file: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw ConfigLoader.problem(configFile, key, "cannot read the file " + file);
        }
    }
}
