package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DomainEntry;
import dev.petrel.cli.Petrel;
import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail of ours (from the relay networks) that a milter edits is signed after the edits: the signature covers the
 * Subject the filter changed and dkimpy finds it good.
 */
class MilterDkimTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    @Test
    void theDkimSignatureCoversWhatTheMilterChanged() throws Exception {
        Programs.require("python3", "python3");
        Domain domain = Domain.parse("signed.test");
        DkimKey key = DkimKey.generate(domain, "milter", DkimAlgorithm.ED25519_SHA256, new SecureRandom());
        Path dir = scratch.newFolder("petrel");
        try (Stores stores = Stores.open(Stores.EMBEDDED, dir.resolve("data"), List.of(Domain.parse("localhost")),
                line -> {})) {
            stores.domains().add(new DomainEntry(domain, false));
            stores.dkimKeys().add(new DkimKeyEntry(domain, key.selector(), key.algorithm().keyType(), key.pkcs8(), true));
        }
        try (ScriptedMilter filter = ScriptedMilter.start(scratch.newFolder("milter"))) {
            Petrel petrel = MilterScriptedTest.startPetrel(dir, "address = \"inet:127.0.0.1:" + filter.port() + "\"\n");
            try {
                String reply = MilterScriptedTest.send(petrel, "headers@remote.test", "From: <sender@signed.test>\r\n"
                        + "To: <headers@remote.test>\r\nSubject: original\r\nX-Remove-Me: yes\r\n\r\nhello\r\n");
                Matcher m = Pattern.compile("queued as (\\S+)").matcher(reply);
                assertTrue(m.find(), reply);
                String stored = new String(petrel.queue().read(new QueueId(m.group(1))).orElseThrow().content(),
                        StandardCharsets.UTF_8);
                assertTrue(stored.startsWith("DKIM-Signature:"), stored);
                assertTrue(stored.contains("Subject: changed by the filter\r\n"), stored);
                assertEquals(List.of("pass"), dkimpy(dir, stored, key));
                assertEquals(List.of("fail"), dkimpy(dir, stored.replace("changed by the filter", "original"), key));
            } finally {
                petrel.close();
            }
        }
    }

    private static List<String> dkimpy(Path dir, String message, DkimKey key) throws Exception {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        Path json = dir.resolve("records.json");
        new ObjectMapper().writeValue(json.toFile(), Map.of(key.recordName(), key.record()));
        Path script = Path.of("src/test/resources/mailauth/dkim_verify.py").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), file.toString(), json.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dkimpy did not finish in 60 s");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
