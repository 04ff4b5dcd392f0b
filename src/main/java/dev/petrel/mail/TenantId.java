package dev.petrel.mail;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a tenant: the business whose domains, users, keys and streams are kept apart from every other's.
 * Every store method that touches a tenant's data takes one of these, never a bare string. A name is 1 to 63
 * lower-case letters, digits and hyphens, starting with a letter or digit; {@code default} always exists.
 */
public record TenantId(String name) {

    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** The tenant that users and domains belong to when none is named. */
    public static final TenantId DEFAULT = new TenantId("default");

    public TenantId {
        if (name == null || !FORM.matcher(name).matches()) {
            throw new IllegalArgumentException("a tenant name is 1 to 63 lower-case letters, digits or hyphens,"
                    + " starting with a letter or digit: " + name);
        }
    }

    /** The tenant named {@code text}, in any case. */
    public static TenantId parse(String text) {
        return new TenantId(text == null ? null : text.toLowerCase(Locale.ROOT));
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    @Override
    public String toString() {
        return name;
    }
}
