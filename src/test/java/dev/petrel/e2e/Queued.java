package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a client's message must look like once queued: its own bytes, after the server's trace headers only. */
final class Queued {

    /** The server's final reply to DATA, as clients print it. */
    static final Pattern QUEUED_AS = Pattern.compile("250[ -]2\\.0\\.0 Ok: queued as ([0-9A-Za-z]{8,32})");

    private Queued() {}

    /** The one queue id in a client's output. */
    static String idIn(String output) {
        List<String> ids = new ArrayList<>();
        Matcher m = QUEUED_AS.matcher(output);
        while (m.find()) {
            ids.add(m.group(1));
        }
        if (ids.size() != 1) {
            return fail("expected one '250 2.0.0 Ok: queued as ID' in the client's output, found " + ids + ":\n" + output);
        }
        return ids.getFirst();
    }

    /**
     * Asserts the queue holds {@code id} as exactly {@code original} preceded by one Received header that says
     * {@code with PROTOCOL id ID} (and the TLS version exactly when the protocol says TLS was used), then exactly
     * the headers named in {@code added}, in that order (the Message-ID and Date a submission server adds).
     */
    static StoredMessage assertReceived(PetrelHome home, String id, byte[] original, String protocol, String... added)
            throws IOException {
        StoredMessage stored = assertStored(home, id, original, "(Petrel) with " + protocol + " id " + id, added);
        String received = withoutResults(fields(trace(stored, original))).getFirst();
        assertTrue(received.startsWith("Received: from "), "Received does not name the client:\n" + received);
        boolean tls = protocol.matches("(ESMTP|UTF8SMTP)SA?");
        assertEquals(tls, received.matches("(?s).*\\(using TLSv1\\.[23] with cipher \\S+\\).*"),
                "Received names the TLS version exactly when " + protocol + " says TLS was used:\n" + received);
        return stored;
    }

    /** As {@link #assertReceived}, for a message handed over by {@code petrel sendmail}. */
    static StoredMessage assertSubmittedLocally(PetrelHome home, String id, byte[] original, String... added)
            throws IOException {
        return assertStored(home, id, original, "(Petrel, from local program) id " + id + ";", added);
    }

    private static StoredMessage assertStored(PetrelHome home, String id, byte[] original, String receivedSays,
                                              String... added) throws IOException {
        StoredMessage stored = home.readPresent(id);
        byte[] content = stored.content();
        assertTrue(content.length >= original.length, "stored message " + id + " is shorter than what was sent");
        byte[] tail = Arrays.copyOfRange(content, content.length - original.length, content.length);
        if (!Arrays.equals(original, tail)) {
            // as text, so a failure shows where they differ
            assertEquals(new String(original, StandardCharsets.ISO_8859_1), new String(tail, StandardCharsets.ISO_8859_1),
                    "the queued message " + id + " does not end with the bytes the client sent");
        }
        assertArrayEquals(original, tail);
        assertEquals(content.length, stored.message().size(), "the recorded size is the content's");
        List<String> fields = withoutResults(fields(trace(stored, original)));
        assertTrue(!fields.isEmpty() && fields.getFirst().startsWith("Received: ") && fields.getFirst().contains(receivedSays),
                "the server's headers do not start with a Received header saying '" + receivedSays + "':\n" + fields);
        List<String> names = fields.subList(1, fields.size()).stream().map(f -> f.substring(0, f.indexOf(':'))).toList();
        assertEquals(List.of(added), names, "the headers the server put between Received and the client's message");
        return stored;
    }

    /**
     * Mail from elsewhere (not authenticated, not from a local program) gets the server's Authentication-Results
     * on top (RFC 8601): see PetrelHome.RESULTS. Returns the fields after it.
     */
    private static List<String> withoutResults(List<String> fields) {
        if (fields.isEmpty() || !fields.getFirst().startsWith("Authentication-Results:")) {
            return fields;
        }
        assertTrue((fields.getFirst() + "\r\n").matches(PetrelHome.RESULTS), fields.getFirst());
        boolean authenticated = fields.size() > 1 && fields.get(1).matches("(?s).* with (ESMTP|UTF8SMTP)S?A .*");
        assertTrue(!authenticated, "Authentication-Results on mail from an authenticated user");
        return fields.subList(1, fields.size());
    }

    private static String trace(StoredMessage stored, byte[] original) {
        byte[] content = stored.content();
        return new String(content, 0, content.length - original.length, StandardCharsets.UTF_8);
    }

    // the header fields of a block that must be whole header lines, each ending in CRLF
    private static List<String> fields(String block) {
        assertTrue(block.isEmpty() || block.endsWith("\r\n"), "the server's headers do not end in CRLF:\n" + block);
        List<String> fields = new ArrayList<>();
        for (String line : block.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("\t") || line.startsWith(" ")) {
                assertTrue(!fields.isEmpty(), "a folded line without its header:\n" + block);
                fields.set(fields.size() - 1, fields.getLast() + "\r\n" + line);
            } else {
                assertTrue(line.matches("[!-9;-~]+: .*"), "not a header line: " + line);
                fields.add(line);
            }
        }
        return fields;
    }
}
