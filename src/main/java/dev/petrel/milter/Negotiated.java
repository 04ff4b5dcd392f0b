package dev.petrel.milter;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the OPTNEG exchange settled: the actions granted (what the filter asked, within what was offered), the
 * protocol steps it leaves out or does not answer, and the macros it asked for by stage (SMFIF_SETSYMLIST).
 */
public record Negotiated(int version, int actions, int steps, Map<Integer, String> macros) {

    public Negotiated {
        macros = Map.copyOf(macros);
    }

    /** The MTA's offer: version 6, the actions and steps Petrel supports. */
    public static Packet offer() {
        return new Packet(Codes.OPTNEG, ByteBuffer.allocate(12).putInt(Codes.VERSION).putInt(Codes.OFFERED_ACTIONS)
                .putInt(Codes.OFFERED_STEPS).array());
    }

    /**
     * Reads the filter's OPTNEG reply. A filter of version 2 or later is spoken to at version 6 (libmilter
     * answers with its own number); what it asks beyond the offer is not granted, as Postfix masks it.
     */
    public static Negotiated read(Packet p) {
        if (p.code() != Codes.OPTNEG) {
            throw new MilterException("expected OPTNEG, got '" + p.code() + "'");
        }
        int version = p.integer(0);
        if (version < 2) {
            throw new MilterException("filter speaks milter protocol version " + version + ", 2 or later needed");
        }
        int actions = p.integer(4) & Codes.OFFERED_ACTIONS;
        int steps = p.integer(8);
        if ((steps & ~Codes.OFFERED_STEPS) != 0) {
            throw new MilterException("filter asks for protocol steps not offered: 0x"
                    + Integer.toHexString(steps & ~Codes.OFFERED_STEPS));
        }
        return new Negotiated(Math.min(version, Codes.VERSION), actions, steps, macroLists(p));
    }

    // after the three numbers: pairs of a stage number and a NUL-terminated list of macro names
    private static Map<Integer, String> macroLists(Packet p) {
        Map<Integer, String> lists = new TreeMap<>();
        int offset = 12;
        while (offset + 4 < p.length()) {
            int stage = p.integer(offset);
            String names = p.strings(offset + 4).getFirst();
            lists.put(stage, names);
            offset += 4 + names.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        return lists;
    }

    public boolean skips(int step) {
        return (steps & step) != 0;
    }

    public boolean grants(int action) {
        return (actions & action) != 0;
    }
}
