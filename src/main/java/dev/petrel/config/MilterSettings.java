package dev.petrel.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code [[milters]]}: each filter's address ({@code inet:host:port} or {@code unix:/path}), its three
 * timeouts, the action when it is away, and the listener roles whose sessions it sees (mx unless said).
 */
final class MilterSettings {

    static final Set<String> KEYS = Set.of("address", "connect_timeout", "command_timeout", "total_timeout",
            "default_action", "roles");

    private MilterSettings() {}

    static List<Config.Milter> read(List<Table> tables) {
        if (tables == null) {
            return List.of();
        }
        List<Config.Milter> out = new ArrayList<>();
        for (Table t : tables) {
            out.add(new Config.Milter(address(t), t.duration("connect_timeout", "30s"),
                    t.duration("command_timeout", "30s"), t.duration("total_timeout", "300s"), defaultAction(t),
                    roles(t)));
        }
        return out;
    }

    private static String address(Table t) {
        String address = t.text("address", null);
        if (address == null) {
            throw t.problem("address", "required: inet:host:port or unix:/path");
        }
        if (address.startsWith("unix:/") && address.length() > 6) {
            return address;
        }
        int colon = address.lastIndexOf(':');
        if (address.startsWith("inet:") && colon > 5) {
            String host = address.substring(5, colon).replace("[", "").replace("]", "");
            String port = address.substring(colon + 1);
            if (!host.isEmpty() && port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
                    && Integer.parseInt(port) <= 65535) {
                return address;
            }
        }
        throw t.problem("address", "expected inet:host:port or unix:/path, got \"" + address + "\"");
    }

    private static Config.MilterDefault defaultAction(Table t) {
        String action = t.text("default_action", "tempfail");
        try {
            return Config.MilterDefault.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw t.problem("default_action", "expected accept, tempfail or reject, got \"" + action + "\"");
        }
    }

    private static Set<Config.Role> roles(Table t) {
        Set<Config.Role> roles = EnumSet.noneOf(Config.Role.class);
        for (String role : t.strings("roles", List.of("mx"))) {
            try {
                roles.add(Config.Role.valueOf(role.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw t.problem("roles", "expected mx, submission or submissions, got \"" + role + "\"");
            }
        }
        if (roles.isEmpty()) {
            throw t.problem("roles", "name at least one listener role");
        }
        return roles;
    }
}
