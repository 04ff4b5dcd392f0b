package dev.petrel.bounce;

import dev.petrel.mail.HeaderField;
import dev.petrel.mail.HeaderSection;
import dev.petrel.mail.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what receivers send back: RFC 6522 multipart/report messages whose report-type is delivery-status (RFC
 * 3464) or feedback-report (ARF, RFC 5965). Nothing here trusts the input: a message that is not such a report,
 * or whose machine-readable part cannot be read, gives an empty answer (the caller keeps it for an operator).
 * Only the first level of nesting is read, as both RFCs place the report's parts there.
 */
public final class ReportParser {

    // more parts than any report has; a bound on the work a hostile message can cause
    private static final int MAX_PARTS = 16;

    private ReportParser() {}

    public static Optional<InboundReport> parse(byte[] message) {
        try {
            return read(message);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<InboundReport> read(byte[] message) {
        HeaderSection head = HeaderSection.read(message);
        MediaType type = MediaType.of(head);
        String boundary = type.parameter("boundary");
        if (!type.type().equals("multipart/report") || boundary == null || boundary.isEmpty()) {
            return Optional.empty();
        }
        String reportType = String.valueOf(type.parameter("report-type")).toLowerCase(Locale.ROOT);
        List<byte[]> parts = parts(Arrays.copyOfRange(message, head.bodyStart(), message.length), boundary);
        InboundReport.Original original = original(parts);
        return switch (reportType) {
            case "delivery-status" -> part(parts, "message/delivery-status", "message/global-delivery-status")
                    .flatMap(p -> delivery(p, original));
            case "feedback-report" -> part(parts, "message/feedback-report", null).flatMap(p -> complaint(p, original));
            default -> Optional.empty();
        };
    }

    // RFC 3464 2.1: a per-message group, then one group per recipient, separated by blank lines
    private static Optional<InboundReport> delivery(String fields, InboundReport.Original original) {
        List<InboundReport.RecipientStatus> out = new ArrayList<>();
        List<Map<String, String>> groups = groups(fields);
        for (Map<String, String> g : groups.subList(Math.min(1, groups.size()), groups.size())) {
            String recipient = typedAddress(g.get("final-recipient"));
            String action = g.get("action");
            String status = g.get("status");
            if (recipient == null || action == null || status == null) {
                return Optional.empty();
            }
            out.add(new InboundReport.RecipientStatus(recipient, typedAddress(g.get("original-recipient")),
                    action.strip().toLowerCase(Locale.ROOT), statusCode(status), typedText(g.get("diagnostic-code")),
                    typedText(g.get("remote-mta"))));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(new InboundReport.DeliveryReport(out, original));
    }

    // RFC 5965 3.1: Feedback-Type, User-Agent and Version are required; Original-Rcpt-To and -Mail-From optional
    private static Optional<InboundReport> complaint(String fields, InboundReport.Original original) {
        Map<String, String> g = new LinkedHashMap<>();
        groups(fields).forEach(g::putAll);
        String type = g.get("feedback-type");
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(new InboundReport.Complaint(type.strip().toLowerCase(Locale.ROOT),
                angleAddress(g.get("original-rcpt-to")), angleAddress(g.get("original-mail-from")),
                g.get("user-agent"), original));
    }

    // RFC 6522 3: the third part returns the original message (message/rfc822) or its header (text/rfc822-headers)
    private static InboundReport.Original original(List<byte[]> parts) {
        for (byte[] part : parts) {
            HeaderSection h = HeaderSection.read(part);
            String type = MediaType.of(h).type();
            if (type.equals("message/rfc822") || type.equals("text/rfc822-headers") || type.equals("message/global")
                    || type.equals("message/global-headers")) {
                HeaderSection inner = HeaderSection.read(decoded(part, h));
                return new InboundReport.Original(angleAddress(first(inner, "Return-Path")), first(inner, "Message-ID"),
                        first(inner, "Feedback-ID"));
            }
        }
        return InboundReport.Original.NONE;
    }

    private static String first(HeaderSection h, String name) {
        List<HeaderField> all = h.all(name);
        return all.isEmpty() ? null : all.getFirst().unfoldedValue().strip();
    }

    private static Optional<String> part(List<byte[]> parts, String type, String other) {
        for (byte[] part : parts) {
            HeaderSection h = HeaderSection.read(part);
            String t = MediaType.of(h).type();
            if (t.equals(type) || t.equals(other)) {
                return Optional.of(new String(decoded(part, h), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    // a part's body, base64 decoded when so encoded (some receivers encode the status part)
    private static byte[] decoded(byte[] part, HeaderSection h) {
        byte[] body = Arrays.copyOfRange(part, Math.min(h.bodyStart(), part.length), part.length);
        String encoding = first(h, "Content-Transfer-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("base64")) {
            return Base64.getMimeDecoder().decode(body);
        }
        return body;
    }

    // RFC 2046 5.1.1: parts between "--boundary" lines, up to "--boundary--"
    static List<byte[]> parts(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<byte[]> out = new ArrayList<>();
        int at = lineStarting(text, delimiter, 0);
        while (at >= 0 && out.size() < MAX_PARTS) {
            int start = text.indexOf('\n', at);
            if (start < 0 || text.startsWith(delimiter + "--", at)) {
                break;
            }
            int next = lineStarting(text, delimiter, start + 1);
            int end = next < 0 ? text.length() : next;
            out.add(text.substring(start + 1, end).getBytes(StandardCharsets.ISO_8859_1));
            at = next;
        }
        return out;
    }

    private static int lineStarting(String text, String prefix, int from) {
        int at = text.indexOf(prefix, from);
        while (at > 0 && text.charAt(at - 1) != '\n') {
            at = text.indexOf(prefix, at + 1);
        }
        return at;
    }

    // header-like fields in groups separated by blank lines; folded lines joined; names lower case
    static List<Map<String, String>> groups(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> group = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                if (!group.isEmpty()) {
                    out.add(group);
                    group = new LinkedHashMap<>();
                }
                last = null;
            } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                group.put(last, group.get(last) + " " + line.strip());
            } else if (line.indexOf(':') > 0) {
                last = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                group.putIfAbsent(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        if (!group.isEmpty()) {
            out.add(group);
        }
        return out;
    }

    // RFC 3464 2.3.2: "rfc822; user@example.com"
    private static String typedAddress(String value) {
        String text = typedText(value);
        return text == null ? null : angleAddress(text);
    }

    private static String typedText(String value) {
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        String text = (semicolon >= 0 ? value.substring(semicolon + 1) : value).strip();
        return text.isEmpty() ? null : text;
    }

    private static String angleAddress(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        int open = v.indexOf('<');
        int close = v.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            v = v.substring(open + 1, close).strip();
        }
        return v.isEmpty() ? null : v;
    }

    // RFC 3464 2.3.4: the status code, without any comment after it
    private static String statusCode(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        return space > 0 ? v.substring(0, space) : v;
    }
}
