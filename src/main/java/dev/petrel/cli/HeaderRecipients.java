package dev.petrel.cli;

import dev.petrel.mail.Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        String text = new String(message, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end + 2);
        String body = end < 0 ? "" : text.substring(end + 2);
        List<Address> out = new ArrayList<>();
        StringBuilder kept = new StringBuilder();
        for (String field : head.split("\r\n(?![ \t])")) {
            if (field.isEmpty()) {
                continue;
            }
            String name = field.contains(":") ? field.substring(0, field.indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
            if (name.equals("to") || name.equals("cc") || name.equals("bcc")) {
                addresses(field.substring(field.indexOf(':') + 1), out);
            }
            if (!name.equals("bcc")) {
                kept.append(field).append("\r\n");
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(kept.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return new Result(out, bytes.toByteArray());
    }

    private static void addresses(String value, List<Address> out) {
        String unfolded = value.replace("\r\n", " ");
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
