package dev.petrel.cli;

import dev.petrel.mail.Address;
import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The recipients named in a message's To, Cc and Bcc headers, for {@code sendmail -t}. */
final class HeaderRecipients {

    record Result(List<Address> addresses, byte[] withoutBcc) {}

    // an addr-spec inside angle brackets, or a bare one between separators
    private static final Pattern ANGLE = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>");
    private static final Pattern BARE = Pattern.compile("(?:^|[\\s,])([^\\s,<>\"()]+@[^\\s,<>\"()]+)");

    private HeaderRecipients() {}

    static Result extract(byte[] message) {
        HeaderSection headers = HeaderSection.read(message);
        List<Address> out = new ArrayList<>();
        for (HeaderField field : headers.fields()) {
            if (field.is("to") || field.is("cc") || field.is("bcc")) {
                addresses(field.unfoldedValue(), out);
            }
        }
        return new Result(out, headers.without("bcc"));
    }

    private static void addresses(String unfolded, List<Address> out) {
        Matcher angle = ANGLE.matcher(unfolded);
        boolean any = false;
        while (angle.find()) {
            out.add(Address.of(angle.group(1)));
            any = true;
        }
        if (!any) {
            Matcher bare = BARE.matcher(unfolded);
            while (bare.find()) {
                out.add(Address.of(bare.group(1)));
            }
        }
    }
}
