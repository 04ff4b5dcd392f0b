package dev.petrel.mail.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MIME types and their parameters: checking a given type (RFC 2045 5.1), and writing a file name as a parameter,
 * quoted when it is short printable ASCII, otherwise in RFC 2231's form ({@code filename*=UTF-8''caf%C3%A9.pdf}),
 * cut into continuations ({@code filename*0*=...; filename*1*=...}, RFC 2231 3) when long.
 */
final class Parameters {

    // RFC 2045 5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
    private static final String TOKEN = "[!#$%&'*+.^_`{|}~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[^\"\\\\\\r\\n]|\\\\.)*\"";
    private static final Pattern TYPE = Pattern.compile("(" + TOKEN + ")/(" + TOKEN + ")");
    private static final Pattern PARAMETER =
            Pattern.compile("\\s*;\\s*(" + TOKEN + ")=(" + TOKEN + "|" + QUOTED + ")");
    // the longest file name written as a plain quoted string
    private static final int PLAIN_NAME = 60;
    // room on a line for " attribute*NN*=UTF-8''" and ";" around a piece
    private static final int PIECE_OVERHEAD = " *99*=UTF-8'';".length();

    private Parameters() {
    }

    /**
     * The type as segments for {@link Fields#fold}, lower-cased type and subtype then one segment per
     * parameter; throws {@link IllegalArgumentException} when it is not {@code type/subtype *(";" parameter)}.
     */
    static List<String> contentType(String given) {
        String text = given.strip();
        Matcher type = TYPE.matcher(text);
        if (!type.lookingAt()) {
            throw new IllegalArgumentException("not a MIME type (RFC 2045 5.1 type/subtype): \"" + given + "\"");
        }
        List<String> segments = new ArrayList<>();
        segments.add(text.substring(0, type.end()).toLowerCase(Locale.ROOT));
        Matcher parameter = PARAMETER.matcher(text);
        int at = type.end();
        while (at < text.length()) {
            if (!parameter.find(at) || parameter.start() != at) {
                throw new IllegalArgumentException("not a MIME parameter at \"" + text.substring(at) + "\"");
            }
            segments.set(segments.size() - 1, segments.getLast() + ";");
            segments.add(" " + parameter.group(1) + "=" + parameter.group(2));
            at = parameter.end();
        }
        return segments;
    }

    /** The top-level media type, lower-cased: {@code text} of {@code text/plain}. */
    static String topLevel(String contentType) {
        return contentType.strip().split("/", 2)[0].toLowerCase(Locale.ROOT);
    }

    /** {@code attribute="value"}, or RFC 2231 extended parameters, as segments after a ";". */
    static List<String> fileName(String attribute, String name) {
        if (isPlain(name)) {
            return List.of(" " + attribute + "=\"" + name + "\"");
        }
        List<String> pieces = percentPieces(name, Fields.LINE - attribute.length() - PIECE_OVERHEAD);
        if (pieces.size() == 1) {
            return List.of(" " + attribute + "*=UTF-8''" + pieces.getFirst());
        }
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            String charset = i == 0 ? "UTF-8''" : "";
            String end = i < pieces.size() - 1 ? ";" : "";
            segments.add(" " + attribute + "*" + i + "*=" + charset + pieces.get(i) + end);
        }
        return segments;
    }

    /** A name for readers that know no RFC 2231: printable ASCII kept, the rest as "_". */
    static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> out.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? (char) c : '_'));
        String s = out.toString();
        if (s.length() <= PLAIN_NAME) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String extension = dot >= 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
        return s.substring(0, PLAIN_NAME - extension.length()) + extension; // the start and the extension
    }

    private static boolean isPlain(String name) {
        return name.length() <= PLAIN_NAME && asciiFallback(name).equals(name) && !name.contains("=?");
    }

    // RFC 2231 7: attribute-char := <any (US-ASCII) CHAR except SPACE, CTLs, "*", "'", "%", or tspecials>;
    // pieces are cut between characters, so each holds whole UTF-8 sequences
    private static List<String> percentPieces(String name, int pieceLength) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        name.codePoints().forEach(c -> {
            String encoded = percent(new String(Character.toChars(c)));
            if (piece.length() + encoded.length() > pieceLength) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
            piece.append(encoded);
        });
        pieces.add(piece.toString());
        return pieces;
    }

    private static String percent(String character) {
        StringBuilder out = new StringBuilder();
        for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = c > 32 && c < 127 && "*'%()<>@,;:\\\"/[]?=".indexOf(c) < 0;
            out.append(plain ? String.valueOf((char) c) : "%" + Hex.upper(c));
        }
        return out.toString();
    }
}
