package dev.petrel.queue;

/** A queued message with its content, exactly as it was accepted (trace headers included). */
public record StoredMessage(QueuedMessage message, byte[] content) {}
