package dev.petrel.smtp;

import java.io.ByteArrayOutputStream;

/**
 * Makes every line break CRLF. BDAT content (RFC 3030) is not dot-stuffed, so it does not pass the
 * {@link DataDecoder}; this gives it the same guarantee: no bare CR or LF ever leaves Petrel.
 */
public final class LineEndings {

    private LineEndings() {}

    public static boolean isNormal(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\r') {
                if (i + 1 >= data.length || data[i + 1] != '\n') {
                    return false;
                }
                i++;
            } else if (data[i] == '\n') {
                return false;
            }
        }
        return true;
    }

    public static byte[] normalize(byte[] data) {
        if (isNormal(data)) {
            return data;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '\r') {
                if (i + 1 < data.length && data[i + 1] == '\n') {
                    i++;
                }
                out.write('\r');
                out.write('\n');
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
