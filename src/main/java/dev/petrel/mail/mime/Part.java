package dev.petrel.mail.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** A MIME entity (RFC 2045 2.4) of the message being composed: one body, or a multipart of others. */
sealed interface Part {

    /**
     * A leaf: its header fields (folded, each ending in CRLF) and its encoded body.
     */
    record Leaf(List<String> fields, Encoded body) implements Part {
    }

    /**
     * A multipart (RFC 2046 5.1): {@code subtype} such as {@code mixed}, extra parameters such as
     * {@code type="text/html"} for related (RFC 2387 3.1), and its parts in order.
     */
    record Multipart(String subtype, List<String> parameters, List<Part> parts) implements Part {
    }

    /** The entity's octets: its header fields, an empty line, its body. */
    static byte[] render(Part part, RandomGenerator random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (part) {
            case Leaf leaf -> {
                leaf.fields().forEach(f -> out.writeBytes(ascii(f)));
                out.writeBytes(ascii(Fields.fold("Content-Transfer-Encoding", List.of(leaf.body().encoding()))));
                out.writeBytes(ascii(Fields.CRLF));
                out.writeBytes(leaf.body().octets());
            }
            case Multipart multi -> renderMultipart(multi, random, out);
        }
        return out.toByteArray();
    }

    private static void renderMultipart(Multipart multi, RandomGenerator random, ByteArrayOutputStream out) {
        List<byte[]> children = new ArrayList<>();
        multi.parts().forEach(p -> children.add(render(p, random)));
        String boundary = Boundary.unusedIn(children, random);
        List<String> type = new ArrayList<>();
        type.add("multipart/" + multi.subtype() + ";");
        multi.parameters().forEach(p -> type.add(" " + p + ";"));
        type.add(" boundary=\"" + boundary + "\"");
        out.writeBytes(ascii(Fields.fold("Content-Type", type)));
        out.writeBytes(ascii(Fields.CRLF));
        // RFC 2046 5.1.1: the CRLF before "--boundary" belongs to the delimiter
        for (byte[] child : children) {
            out.writeBytes(ascii("--" + boundary + Fields.CRLF));
            out.writeBytes(child);
            out.writeBytes(ascii(Fields.CRLF));
        }
        out.writeBytes(ascii("--" + boundary + "--" + Fields.CRLF));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
