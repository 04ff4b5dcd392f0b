package dev.petrel.cli;

import dev.petrel.mail.Checklist;
import java.util.ArrayList;
import java.util.List;

/** A domain's checklist as {@code petrel domain check} prints it: one line a check, what to publish under it. */
final class ChecklistText {

    private ChecklistText() {}

    static List<String> lines(Checklist list) {
        List<String> out = new ArrayList<>();
        out.add("domain check " + list.domain() + (list.bulk() ? " (a bulk sender: its tenant has a broadcast stream)"
                : ""));
        for (Checklist.Item i : list.items()) {
            out.add(String.format("  %-8s %-6s %s: %s", i.status().text(), i.check(), i.subject(), i.detail()));
            if (i.publish() != null) {
                out.add("                  publish: " + i.publish());
            }
        }
        if (list.ready()) {
            out.add("ready: what Gmail's and Yahoo's sender rules require is in place");
        } else {
            out.add("not ready: Gmail's and Yahoo's sender rules require");
            list.unmet().forEach(u -> out.add("  - " + u));
        }
        return out;
    }
}
