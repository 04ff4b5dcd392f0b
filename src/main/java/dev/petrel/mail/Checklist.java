package dev.petrel.mail;

import java.util.List;
import java.util.Locale;

/**
 * Whether a domain is ready to send ({@code petrel domain check}): one item per check, each with a status and,
 * when it is not ok, the record to publish; and the requirements of Gmail's and Yahoo's 2024 sender rules that
 * are not met. The DNS checks make it (mailauth), the command line and the APIs show it.
 *
 * @param domain the domain checked
 * @param bulk whether the domain counts as a bulk sender (its tenant has a broadcast stream), which the rules ask more of
 * @param items the checks in the order they are shown
 * @param unmet each requirement of the rules that is not met; empty when the domain is ready
 */
public record Checklist(String domain, boolean bulk, List<Item> items, List<String> unmet) {

    public Checklist {
        items = List.copyOf(items);
        unmet = List.copyOf(unmet);
    }

    /** How a check came out. */
    public enum Status {
        OK, MISSING, WRONG;

        /** The status as the command line and the APIs write it. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One check.
     *
     * @param check what is checked: spf, dkim, dmarc, ptr, mx
     * @param subject the name or address checked
     * @param detail what was found
     * @param publish the DNS record (a zone file line) to publish, or null when there is none to give
     */
    public record Item(String check, String subject, Status status, String detail, String publish) {

        public boolean ok() {
            return status == Status.OK;
        }
    }

    /** True when every requirement of the rules is met. */
    public boolean ready() {
        return unmet.isEmpty();
    }

    /** The items of one check. */
    public List<Item> items(String check) {
        return items.stream().filter(i -> i.check().equals(check)).toList();
    }
}
