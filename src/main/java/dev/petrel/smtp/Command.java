package dev.petrel.smtp;

/** One SMTP command line, parsed (RFC 5321 4.1.1, RFC 3207, RFC 4954, RFC 3030). */
public sealed interface Command {

    record Ehlo(String domain) implements Command {}

    record Helo(String domain) implements Command {}

    /** MAIL FROM: the reverse path as written between the angle brackets, and the raw parameters. */
    record Mail(String path, String parameters) implements Command {}

    /** RCPT TO: the forward path as written between the angle brackets, and the raw parameters. */
    record Rcpt(String path, String parameters) implements Command {}

    record Data() implements Command {}

    record Bdat(long size, boolean last) implements Command {}

    record Rset() implements Command {}

    record Noop() implements Command {}

    record Quit() implements Command {}

    record Vrfy(String argument) implements Command {}

    record Expn(String argument) implements Command {}

    record Help() implements Command {}

    record StartTls() implements Command {}

    /** AUTH mechanism [initial-response]; the response is null when absent. */
    record Auth(String mechanism, String initialResponse) implements Command {}

    /** A request for another protocol on an SMTP port, such as an HTTP request line. */
    record ForeignProtocol(String verb) implements Command {}

    record Unknown(String verb) implements Command {}

    /** A known verb with arguments that do not parse; the reply says what is wrong. */
    record Invalid(String verb, String problem) implements Command {}
}
