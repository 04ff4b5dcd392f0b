package dev.petrel.delivery.local;

import dev.petrel.mail.Address;
import java.nio.file.Path;

/**
 * Where each mailbox lives: a path template with Dovecot's variables ({@code %d} domain, {@code %n} local part,
 * {@code %u} whole address, {@code %%} a percent sign), under the data folder unless absolute. The same template
 * in Dovecot's {@code mail_location = maildir:...} makes Dovecot read what Petrel writes.
 */
public final class MaildirLayout {

    private final Path base;
    private final String template;

    public MaildirLayout(Path base, String template) {
        this.base = base;
        this.template = template;
        if (!template.contains("%n") && !template.contains("%u")) {
            throw new IllegalArgumentException("a maildir template names the user with %n or %u: " + template);
        }
    }

    /**
     * The Maildir of a mailbox. A name that would leave its place in the tree (a slash, a leading dot, a control
     * character) has no Maildir: {@link IllegalArgumentException}.
     */
    public Path mailbox(Address mailbox) {
        String local = safe(mailbox.localPart());
        String domain = safe(mailbox.domain().name());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' || i + 1 == template.length()) {
                out.append(c);
                continue;
            }
            char v = template.charAt(++i);
            switch (v) {
                case 'd' -> out.append(domain);
                case 'n' -> out.append(local);
                case 'u' -> out.append(local).append('@').append(domain);
                case '%' -> out.append('%');
                default -> throw new IllegalArgumentException("unknown variable %" + v + " in " + template);
            }
        }
        return base.resolve(out.toString()).normalize();
    }

    // RFC 5321 allows "/" in a local part and quoted ones may hold anything; none may name another directory
    private static String safe(String name) {
        if (name.startsWith(".") || name.indexOf('/') >= 0 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("not usable as a mailbox name: " + name);
        }
        return name;
    }
}
