package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.bounce.Classifier;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.EnhancedStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [bounce] rules}: the operator's rules file, read with the configuration and reported as it is. */
class BounceRulesConfigTest {

    @TempDir
    Path dir;

    private Config load(String toml) throws Exception {
        Path file = dir.resolve("petrel.toml");
        Files.writeString(file, toml);
        return ConfigLoader.load(file);
    }

    @Test
    void withoutTheSettingOnlyTheShippedRulesApply() throws Exception {
        Config c = load("hostname = \"mx.test\"\n");
        assertNull(c.bounce().rulesFile());
        assertEquals(List.of(), c.bounce().rules());
    }

    @Test
    void theRulesFileIsReadRelativeToTheConfigurationAndItsRulesComeFirst() throws Exception {
        Files.writeString(dir.resolve("bounces.toml"), """
                # a partner's filter says "blocked" for a full mailbox
                [[rule]]
                class = "soft"
                text = 'blocked: mailbox'
                """);
        Config c = load("[bounce]\nrules = \"bounces.toml\"\n");
        assertEquals(dir.resolve("bounces.toml"), c.bounce().rulesFile());
        Classifier classifier = Classifier.withRules(c.bounce().rules());
        assertEquals(BounceClass.SOFT, classifier.classify(EnhancedStatus.DELIVERY_NOT_AUTHORIZED,
                "blocked: mailbox over its limit"));
        assertEquals(BounceClass.BLOCK, classifier.classify(EnhancedStatus.DELIVERY_NOT_AUTHORIZED, "blocked"));
    }

    @Test
    void aWrongRuleIsNamedWithTheRulesFilesLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("bounces.toml"), """
                [[rule]]
                class = "hard"
                text = "gone"

                [[rule]]
                class = "soft"
                text = "later"
                status = "4.7"
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> load("[bounce]\nrules = \"bounces.toml\"\n"));
        assertEquals(rules + " line 8: [[rule]] status: expected an enhanced status code such as \"5.1.1\" or"
                + " \"X.7.X\", got \"4.7\"", e.getMessage());
    }

    @Test
    void aTomlErrorInTheRulesFileSaysItsLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("bounces.toml"), "[[rule]]\nclass = \"hard\"\ntext = 'a\nstatus = \"5.1.1\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load("[bounce]\nrules = \"bounces.toml\"\n"));
        assertTrue(e.getMessage().startsWith(rules + " line 3: "), e.getMessage());
    }

    @Test
    void aMissingRulesFileIsTheSettingsError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("hostname = \"mx.test\"\n[bounce]\nrules = \"nope.toml\"\n"));
        assertEquals(dir.resolve("petrel.toml") + " line 3: [bounce] rules: no such file: " + dir.resolve("nope.toml"),
                e.getMessage());
    }

    @Test
    void anUnknownKeyUnderBounceIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("[bounce]\nrule = \"x.toml\"\n"));
        assertEquals(dir.resolve("petrel.toml") + " line 2: [bounce] rule: unknown setting", e.getMessage());
    }
}
