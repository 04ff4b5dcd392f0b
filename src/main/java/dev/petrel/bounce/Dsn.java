package dev.petrel.bounce;

import dev.petrel.mail.Envelope;

/**
 * A built delivery status notification, ready to be queued like any mail: its envelope (the null reverse
 * path, one recipient: the original sender) and its content (CRLF lines throughout).
 */
public record Dsn(DsnKind kind, Envelope envelope, byte[] content) {}
