package dev.petrel.web;

import dev.petrel.mail.Checklist;
import java.util.List;

/**
 * A domain's checklist as the API answers it and {@code petrel domain check --json} prints it: statuses in lower
 * case, and {@code ready} false when a requirement of Gmail's and Yahoo's sender rules is not met.
 */
public record ChecklistView(String domain, boolean ready, boolean bulk, List<Check> checks, List<String> unmet) {

    /** One check; {@code publish} is the record to publish, or null. */
    public record Check(String check, String subject, String status, String detail, String publish) {}

    public static ChecklistView of(Checklist list) {
        return new ChecklistView(list.domain(), list.ready(), list.bulk(), list.items().stream()
                .map(ChecklistView::of).toList(), list.unmet());
    }

    public static Check of(Checklist.Item i) {
        return new Check(i.check(), i.subject(), i.status().text(), i.detail(), i.publish());
    }
}
