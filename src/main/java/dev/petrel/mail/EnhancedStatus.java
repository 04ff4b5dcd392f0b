package dev.petrel.mail;

/**
 * An enhanced mail system status code, RFC 3463: class.subject.detail. Constants are named after the
 * RFC's own descriptions, so a reader can find them in section 3 of RFC 3463 (and RFC 4954, RFC 6531, RFC 8689
 * for the AUTH, SMTPUTF8 and REQUIRETLS codes).
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("class must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("subject and detail are 1 to 3 digits");
        }
    }

    // X.0.0 Other undefined Status
    public static final EnhancedStatus OTHER_UNDEFINED = new EnhancedStatus(2, 0, 0);
    public static final EnhancedStatus OTHER_UNDEFINED_TRANSIENT = new EnhancedStatus(4, 0, 0);
    public static final EnhancedStatus OTHER_UNDEFINED_PERMANENT = new EnhancedStatus(5, 0, 0);
    // X.1.0 Other address status
    public static final EnhancedStatus OTHER_ADDRESS_STATUS = new EnhancedStatus(2, 1, 0);
    // X.1.1 Bad destination mailbox address
    public static final EnhancedStatus BAD_DESTINATION_MAILBOX = new EnhancedStatus(5, 1, 1);
    // X.1.3 Bad destination mailbox address syntax
    public static final EnhancedStatus BAD_DESTINATION_SYNTAX = new EnhancedStatus(5, 1, 3);
    // X.1.5 Destination address valid
    public static final EnhancedStatus DESTINATION_VALID = new EnhancedStatus(2, 1, 5);
    // X.1.7 Bad sender's mailbox address syntax
    public static final EnhancedStatus BAD_SENDER_SYNTAX = new EnhancedStatus(5, 1, 7);
    // X.3.0 Other or undefined mail system status
    public static final EnhancedStatus MAIL_SYSTEM_TRANSIENT = new EnhancedStatus(4, 3, 0);
    // X.3.1 Mail system full
    public static final EnhancedStatus MAIL_SYSTEM_FULL = new EnhancedStatus(4, 3, 1);
    // X.3.2 System not accepting network messages
    public static final EnhancedStatus SYSTEM_NOT_ACCEPTING = new EnhancedStatus(4, 3, 2);
    // X.3.4 Message too big for system
    public static final EnhancedStatus MESSAGE_TOO_BIG = new EnhancedStatus(5, 3, 4);
    // X.4.2 Bad connection
    public static final EnhancedStatus BAD_CONNECTION = new EnhancedStatus(4, 4, 2);
    // X.5.0 Other or undefined protocol status
    public static final EnhancedStatus PROTOCOL_OK = new EnhancedStatus(2, 5, 0);
    // X.5.1 Invalid command
    public static final EnhancedStatus INVALID_COMMAND = new EnhancedStatus(5, 5, 1);
    // X.5.2 Syntax error
    public static final EnhancedStatus SYNTAX_ERROR = new EnhancedStatus(5, 5, 2);
    // X.5.3 Too many recipients
    public static final EnhancedStatus TOO_MANY_RECIPIENTS = new EnhancedStatus(4, 5, 3);
    // X.5.4 Invalid command arguments
    public static final EnhancedStatus INVALID_ARGUMENTS = new EnhancedStatus(5, 5, 4);
    // X.5.6 Authentication Exchange line is too long (RFC 4954 6)
    public static final EnhancedStatus AUTH_LINE_TOO_LONG = new EnhancedStatus(5, 5, 6);
    // X.6.7 Non-ASCII addresses not permitted for that sender/recipient (RFC 6531 3.7.4)
    public static final EnhancedStatus NON_ASCII_NOT_PERMITTED = new EnhancedStatus(5, 6, 7);
    // X.7.0 Other or undefined security status
    public static final EnhancedStatus SECURITY_OK = new EnhancedStatus(2, 7, 0);
    public static final EnhancedStatus SECURITY_TRANSIENT = new EnhancedStatus(4, 7, 0);
    public static final EnhancedStatus SECURITY_PERMANENT = new EnhancedStatus(5, 7, 0);
    // X.7.1 Delivery not authorized, message refused
    public static final EnhancedStatus DELIVERY_NOT_AUTHORIZED = new EnhancedStatus(5, 7, 1);
    // X.7.8 Authentication credentials invalid (RFC 4954 6)
    public static final EnhancedStatus AUTH_CREDENTIALS_INVALID = new EnhancedStatus(5, 7, 8);
    // X.7.10 Encryption Needed (RFC 5248 registry): REQUIRETLS asked for without TLS
    public static final EnhancedStatus ENCRYPTION_NEEDED = new EnhancedStatus(5, 7, 10);
    // X.7.30 REQUIRETLS support required (RFC 8689 7, IANA registration)
    public static final EnhancedStatus REQUIRETLS_SUPPORT_REQUIRED = new EnhancedStatus(5, 7, 30);
    // X.7.11 Encryption required for requested authentication mechanism (RFC 4954 6)
    public static final EnhancedStatus ENCRYPTION_REQUIRED = new EnhancedStatus(5, 7, 11);

    /** The same subject and detail with another class, as when a permanent failure is turned temporary. */
    public EnhancedStatus withClass(int newClass) {
        return new EnhancedStatus(newClass, subject, detail);
    }

    public static EnhancedStatus parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not an enhanced status code: " + text);
        }
        try {
            return new EnhancedStatus(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an enhanced status code: " + text, e);
        }
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
