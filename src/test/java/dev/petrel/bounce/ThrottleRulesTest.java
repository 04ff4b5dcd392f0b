package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The [[throttle]] tables of a rules file, and the shipped ones against the large providers' own words. */
class ThrottleRulesTest {

    private static final Throttles SHIPPED = Throttles.withRules(List.of());

    // a reply as the remote client reads it: "421-4.7.28 text" or "421 4.7.0 text"
    private static Reply reply(String line) {
        int code = Integer.parseInt(line.substring(0, 3));
        String rest = line.substring(4);
        String[] parts = rest.split(" ", 2);
        if (parts[0].matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            String[] n = parts[0].split("\\.");
            return Reply.of(code, new EnhancedStatus(Integer.parseInt(n[0]), Integer.parseInt(n[1]),
                    Integer.parseInt(n[2])), parts[1]);
        }
        return Reply.of(code, null, rest);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // Gmail (support.google.com/mail/answer/81126): IP rate limiting
        "421 4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.|suspend PT15M",
        "421 4.7.0 [192.0.2.1 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.|suspend PT15M",
        // Yahoo and AOL (senders.yahooinc.com/smtp-error-codes)
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes|suspend PT30M",
        "421 4.7.0 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.|suspend PT30M",
        // Outlook.com and Microsoft 365
        "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)|suspend PT30M",
        "421 4.7.0 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).|suspend PT30M",
        // what suspends nothing: permanent failures, and deferrals that say nothing of the sending address
        "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).|none",
        "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.|none",
        "421 4.7.0 Try again later, closing connection.|none",
        "451 4.3.0 Temporary server error. Please try again later|none",
        // connection limits: one transaction at a time for a while (Microsoft, Comcast, GMX)
        "421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel|slow PT10M",
        "421 4.7.0 mx.comcast.net too many sessions from 192.0.2.1|slow PT10M",
        "421 gmx.net (mxgmx017) Nemesis ESMTP Service not available: too many connections from 192.0.2.1|slow PT10M",
    })
    void shippedRulesSuspendForRateLimitsAndSlowForConnectionLimits(String line, String duration) {
        Optional<ThrottleRule> rule = SHIPPED.match(reply(line));
        assertEquals(duration, rule.map(r -> r.action().text() + " " + r.duration()).orElse("none"), line);
    }

    @Test
    void theOperatorsThrottlesComeFirstAndKeepTheirOrder() {
        List<ThrottleRule> mine = BounceRules.parseThrottles("""
                [[rule]]
                class = "soft"
                text = "x"

                [[throttle]]
                status = "4.7.28"
                duration = "3s"

                [[throttle]]
                text = ['\\bSLOW-DOWN\\b']
                action = "slow"
                duration = "2m"
                """);
        assertEquals(List.of(new ThrottleRule(new BounceRule(BounceClass.THROTTLE,
                List.of(StatusPattern.parse("4.7.28")), List.of()), ThrottleRule.Action.SUSPEND, Duration.ofSeconds(3)),
                new ThrottleRule(new BounceRule(BounceClass.THROTTLE, List.of(), List.of("\\bSLOW-DOWN\\b")),
                        ThrottleRule.Action.SLOW, Duration.ofMinutes(2))), mine);
        Throttles throttles = Throttles.withRules(mine);
        assertEquals(Duration.ofSeconds(3), throttles.match(reply("421 4.7.28 rate limited")).orElseThrow()
                .duration());
        assertEquals(Duration.ofMinutes(2), throttles.match(reply("451 4.3.0 SLOW-DOWN please")).orElseThrow()
                .duration());
        assertTrue(throttles.match(reply("550 5.7.28 SLOW-DOWN please")).isEmpty(), "permanent: no suspension");
        assertEquals(1, BounceRules.parse("[[rule]]\nclass = \"soft\"\ntext = \"x\"\n[[throttle]]\nstatus = \"4.7.28\""
                + "\nduration = \"3s\"\n").size(), "the classifier reads its [[rule]] tables only");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "[[throttle]]\\nstatus = \"4.7.28\"                       | throttle 1 ([[throttle]] duration): required: how long the site is suspended (\"15m\")",
        "[[throttle]]\\nstatus = \"4.7.28\"\\nduration = \"soon\" | throttle 1 ([[throttle]] duration): expected a duration such as \"15m\" (ms, s, m, h or d), got \"soon\"",
        "[[throttle]]\\nstatus = \"4.7.28\"\\nduration = \"1m\"\\naction = \"wait\" | throttle 1 ([[throttle]] action): expected \"suspend\" or \"slow\", got \"wait\"",
        "[[throttle]]\\nduration = \"1m\"                         | throttle 1 ([[throttle]] text): a rule needs a status, a text or both",
        "[[throttle]]\\nclass = \"hard\"\\nduration = \"1m\"      | throttle 1 ([[throttle]] class): unknown setting (a throttle rule has status, text, action and duration)",
        "[[throttles]]\\nduration = \"1m\"                        | throttles: unknown setting (a rules file holds [[rule]] and [[throttle]] tables)",
    })
    void mistakesAreNamedByRuleAndKey(String toml, String message) {
        BounceRules.RulesException e = assertThrows(BounceRules.RulesException.class,
                () -> BounceRules.parseThrottles(toml.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }
}
