package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.mail.BounceClass;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules file's form: what it holds, and how each mistake in it is reported. */
class BounceRulesTest {

    @Test
    void rulesKeepTheFilesOrderAndTakeAStringOrAnArray() {
        List<BounceRule> rules = BounceRules.parse("""
                [[rule]]
                class = "throttle"
                status = "4.7.28"

                [[rule]]
                class = "block"
                status = ["5.7.1", "X.7.X"]
                text = ["listed", 'blocked\\s+using']
                """);
        assertEquals(List.of(
                new BounceRule(BounceClass.THROTTLE, List.of(StatusPattern.parse("4.7.28")), List.of()),
                new BounceRule(BounceClass.BLOCK, List.of(StatusPattern.parse("5.7.1"), StatusPattern.parse("X.7.X")),
                        List.of("listed", "blocked\\s+using"))), rules);
        assertEquals(List.of(), BounceRules.parse("# nothing yet\n"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            [[rule]]\\nclass = "hardd"\\ntext = "x"           | rule 1 ([[rule]] class): expected one of hard, soft, block, throttle, auth, content, undetermined, got "hardd"
            [[rule]]\\ntext = "x"                             | rule 1 ([[rule]] class): required: one of hard, soft, block, throttle, auth, content, undetermined
            [[rule]]\\nclass = "hard"                         | rule 1 ([[rule]] class): a rule needs a status, a text or both
            [[rule]]\\nclass = "hard"\\nstatus = "5.1"        | rule 1 ([[rule]] status): expected an enhanced status code such as "5.1.1" or "X.7.X", got "5.1"
            [[rule]]\\nclass = "hard"\\ntext = "(unclosed"    | rule 1 ([[rule]] text): not a regular expression: Unclosed group in "(unclosed"
            [[rule]]\\nclass = "hard"\\ntext = 5              | rule 1 ([[rule]] text): expected a string or an array of strings, got 5
            [[rule]]\\nclass = "hard"\\ntext = ["a", 1]       | rule 1 ([[rule]] text): expected strings, got 1
            [[rule]]\\nclass = "hard"\\ntext = "a"\\nwhy = 1  | rule 1 ([[rule]] why): unknown setting (a rule has class, status and text)
            [[rule]]\\nclass = "hard"\\ntext = "a"\\n[[rule]]\\nclass = "x"\\ntext = "b" | rule 2 ([[rule]] class): expected one of hard, soft, block, throttle, auth, content, undetermined, got "x"
            [rules]\\nhard = ["x"]                            | rules: unknown setting (a rules file holds [[rule]] and [[throttle]] tables)
            rule = "x"                                       | rule: expected an array of tables ([[rule]])
            """)
    void mistakesAreNamedByRuleAndKey(String toml, String message) {
        BounceRules.RulesException e = assertThrows(BounceRules.RulesException.class,
                () -> BounceRules.parse(toml.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aRulesTableAndKeyAreGivenForTheCallerToFindTheLine() {
        BounceRules.RulesException e = assertThrows(BounceRules.RulesException.class, () -> BounceRules.parse("""
                [[rule]]
                class = "hard"
                text = "a"

                [[rule]]
                class = "soft"
                status = "9.9.9"
                """));
        assertEquals("rule[1]", e.table());
        assertEquals("status", e.key());
        assertEquals(0, e.line());
    }

    @Test
    void aTomlSyntaxErrorSaysItsLine() {
        BounceRules.RulesException e = assertThrows(BounceRules.RulesException.class,
                () -> BounceRules.parse("[[rule]]\nclass = \"hard\"\ntext = 'a\n"));
        assertEquals(3, e.line());
        assertNull(e.table());
    }
}
