package dev.petrel.config;

import dev.petrel.mail.Domain;
import dev.petrel.mail.IpLiteral;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code [[delivery.egress]]}: named pools of source addresses and an EHLO name that streams send from.
 * Names are unique and written as stream names are; sources are IP literals (whether this machine has them is
 * for {@code check-config} and {@code serve} to find out); the EHLO name is a domain.
 */
final class EgressPools {

    private EgressPools() {}

    static List<Config.EgressPool> read(List<Table> tables) {
        if (tables == null) {
            return List.of();
        }
        List<Config.EgressPool> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Table t : tables) {
            String name = t.text("name", null);
            if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                throw t.problem("name", name == null ? "required: the name streams give with --egress"
                        : "expected 1 to 64 lower-case letters, digits, _ or -, got \"" + name + "\"");
            }
            if (!names.add(name)) {
                throw t.problem("name", "there is a pool named " + name + " already");
            }
            List<String> sources = t.checkedStrings("sources", List.of(), IpLiteral::parse);
            String ehlo = t.text("ehlo", null);
            if (ehlo != null) {
                t.parsed("ehlo", ehlo, Domain::parse);
            }
            out.add(new Config.EgressPool(name, sources, ehlo));
        }
        return out;
    }
}
