package dev.petrel.server;

import java.time.Duration;
import java.util.Set;

/**
 * A filter the SMTP sessions hand their stages to (a {@code [[milters]]} entry).
 *
 * @param address "inet:host:port" or "unix:/path"
 * @param connectTimeout to connect and settle OPTNEG
 * @param commandTimeout to answer one command
 * @param totalTimeout to answer the whole message, from DATA to the verdict
 * @param defaultAction what sessions do while the filter is away or broken
 * @param roles the listener roles whose sessions it sees
 */
public record MilterOptions(String address, Duration connectTimeout, Duration commandTimeout, Duration totalTimeout,
                            DefaultAction defaultAction, Set<Role> roles) {

    public enum DefaultAction { ACCEPT, TEMPFAIL, REJECT }

    public MilterOptions {
        roles = Set.copyOf(roles);
    }
}
