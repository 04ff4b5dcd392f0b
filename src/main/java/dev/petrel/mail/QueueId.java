package dev.petrel.mail;

import java.util.random.RandomGenerator;

/**
 * A message's name in the queue: its arrival time in microseconds and 20 random bits, in a base-32 alphabet
 * without vowels, so that ids sort by arrival like Postfix's long queue ids and never spell words.
 */
public record QueueId(String value) implements Comparable<QueueId> {

    private static final String ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZb";

    public QueueId {
        if (value == null || value.length() < 8 || value.length() > 32) {
            throw new IllegalArgumentException("invalid queue id: " + value);
        }
        for (int i = 0; i < value.length(); i++) {
            if (ALPHABET.indexOf(value.charAt(i)) < 0) {
                throw new IllegalArgumentException("invalid queue id: " + value);
            }
        }
    }

    public static QueueId generate(long epochMicros, RandomGenerator random) {
        return of(epochMicros, random.nextInt(1 << 20));
    }

    /**
     * The id of this time and this tail (its low 20 bits): a queue shared by several nodes gives each its own tail,
     * so their ids differ even in the same microsecond.
     */
    public static QueueId of(long epochMicros, int tail) {
        StringBuilder out = new StringBuilder(16);
        encode(out, epochMicros, 11);
        encode(out, tail & ((1 << 20) - 1), 4);
        return new QueueId(out.toString());
    }

    private static void encode(StringBuilder out, long value, int digits) {
        for (int shift = (digits - 1) * 5; shift >= 0; shift -= 5) {
            out.append(ALPHABET.charAt((int) ((value >>> shift) & 31)));
        }
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
