package dev.petrel.compliance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnsubscribeTokensTest {

    private static final Instant SENT = Instant.parse("2026-12-07T10:00:00Z");
    private static final byte[] SECRET = new byte[32];

    static {
        new SecureRandom().nextBytes(SECRET);
    }

    private static UnsubscribeTokens at(Instant now) {
        return new UnsubscribeTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String issued() {
        return at(SENT).issue(new TenantId("acme"), "news", Address.of("Bob.Smith@remote.test"), "0123456789AB");
    }

    @Test
    void aTokenNamesTenantStreamRecipientMessageAndDay() {
        UnsubscribeToken t = at(SENT).read(issued()).orElseThrow();
        assertEquals(new UnsubscribeToken(new TenantId("acme"), "news", Address.of("Bob.Smith@remote.test"),
                "0123456789AB", LocalDate.of(2026, 12, 7)), t);
    }

    @Test
    void aTokenIsUrlSafeAndShort() {
        String token = issued();
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        assertTrue(token.length() < 100, token.length() + " characters: " + token);
    }

    // CASL 11(3): the mechanism works for at least 60 days after sending; these last a year
    @Test
    void aTokenStaysValidForAYearAndNoLonger() {
        String token = issued();
        assertTrue(at(SENT.plus(Duration.ofDays(60))).read(token).isPresent());
        assertTrue(at(SENT.plus(Duration.ofDays(365))).read(token).isPresent());
        assertEquals(Optional.empty(), at(SENT.plus(Duration.ofDays(367))).read(token));
    }

    @Test
    void theValidityIsConfigurable() {
        String token = issued();
        UnsubscribeTokens sixty = new UnsubscribeTokens(SECRET, Clock.fixed(SENT.plus(Duration.ofDays(60)),
                ZoneOffset.UTC), Duration.ofDays(60));
        assertTrue(sixty.read(token).isPresent());
        UnsubscribeTokens later = new UnsubscribeTokens(SECRET, Clock.fixed(SENT.plus(Duration.ofDays(61)),
                ZoneOffset.UTC), Duration.ofDays(60));
        assertEquals(Optional.empty(), later.read(token));
    }

    @Test
    void aChangedOrForeignTokenIsRefused() {
        String token = issued();
        byte[] raw = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < raw.length; i++) {
            byte[] changed = raw.clone();
            changed[i] ^= 1;
            assertEquals(Optional.empty(), at(SENT).read(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(changed)), "octet " + i + " changed");
        }
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        assertEquals(Optional.empty(), new UnsubscribeTokens(other, Clock.fixed(SENT, ZoneOffset.UTC)).read(token));
        assertEquals(Optional.empty(), at(SENT).read("not a token!"));
        assertEquals(Optional.empty(), at(SENT).read(""));
        assertEquals(Optional.empty(), at(SENT).read(token.substring(0, token.length() - 2)));
        // every other spelling of the last character, even one that decodes to the same octets
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            String spelling = token.substring(0, token.length() - 1) + c;
            assertEquals(spelling.equals(token), at(SENT).read(spelling).isPresent(), spelling);
        }
    }

    @Test
    void aShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UnsubscribeTokens(new byte[16], Clock.systemUTC()));
    }

    @Test
    void theSecretIsMadeOnceOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
        byte[] first = UnsubscribeSecret.open(dir, new SecureRandom());
        assertEquals(32, first.length);
        assertArrayEquals(first, UnsubscribeSecret.open(dir, new SecureRandom()));
        Path file = dir.resolve(UnsubscribeSecret.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var list = Files.list(dir)) {
            assertEquals(1, list.count(), "no temporary file left");
        }
        assertFalse(java.util.Arrays.equals(first, new byte[32]));
    }
}
