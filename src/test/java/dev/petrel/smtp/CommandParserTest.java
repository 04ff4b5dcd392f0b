package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {

    static Stream<Arguments> wellFormedCommands() {
        return Stream.of(
                // EHLO and HELO take one domain or address literal (RFC 5321 4.1.1.1); verbs ignore case
                Arguments.of("EHLO client.example", new Command.Ehlo("client.example")),
                Arguments.of("ehlo client.example", new Command.Ehlo("client.example")),
                Arguments.of("EhLo [192.0.2.1]", new Command.Ehlo("[192.0.2.1]")),
                Arguments.of("EHLO client.example ", new Command.Ehlo("client.example")),
                Arguments.of("HELO client.example", new Command.Helo("client.example")),
                Arguments.of("helo x", new Command.Helo("x")),
                // MAIL FROM: the path between the brackets, the parameters after it
                Arguments.of("MAIL FROM:<a@b.example>", new Command.Mail("a@b.example", "")),
                Arguments.of("mail from:<a@b.example>", new Command.Mail("a@b.example", "")),
                Arguments.of("MAIL FROM:<>", new Command.Mail("", "")),
                Arguments.of("MAIL FROM:<a@b.example> SIZE=100 BODY=8BITMIME",
                        new Command.Mail("a@b.example", "SIZE=100 BODY=8BITMIME")),
                Arguments.of("MAIL FROM:<a@b.example>  SMTPUTF8 ", new Command.Mail("a@b.example", "SMTPUTF8")),
                // a ">" inside a quoted local part does not end the path
                Arguments.of("MAIL FROM:<\"a>b\"@c.example>", new Command.Mail("\"a>b\"@c.example", "")),
                Arguments.of("MAIL FROM:<\"a\\\">b\"@c.example> SIZE=1", new Command.Mail("\"a\\\">b\"@c.example", "SIZE=1")),
                // like Postfix, a space after the colon is tolerated
                Arguments.of("MAIL FROM: <a@b.example>", new Command.Mail("a@b.example", "")),
                Arguments.of("MAIL FROM:   <a@b.example> SIZE=5", new Command.Mail("a@b.example", "SIZE=5")),
                // a source route stays in the path; the session strips it
                Arguments.of("MAIL FROM:<@relay.example:a@b.example>", new Command.Mail("@relay.example:a@b.example", "")),
                // RCPT TO
                Arguments.of("RCPT TO:<u@x.example>", new Command.Rcpt("u@x.example", "")),
                Arguments.of("rcpt to:<u@x.example>", new Command.Rcpt("u@x.example", "")),
                Arguments.of("RCPT TO: <u@x.example>", new Command.Rcpt("u@x.example", "")),
                Arguments.of("RCPT TO:<Postmaster>", new Command.Rcpt("Postmaster", "")),
                Arguments.of("RCPT TO:<u@x.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@x.example",
                        new Command.Rcpt("u@x.example", "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@x.example")),
                // commands without arguments
                Arguments.of("DATA", new Command.Data()),
                Arguments.of("data", new Command.Data()),
                Arguments.of("RSET", new Command.Rset()),
                Arguments.of("QUIT", new Command.Quit()),
                Arguments.of("quit", new Command.Quit()),
                Arguments.of("STARTTLS", new Command.StartTls()),
                Arguments.of("StartTLS", new Command.StartTls()),
                // NOOP and HELP may have an argument, which is ignored (RFC 5321 4.1.1.8, 4.1.1.9)
                Arguments.of("NOOP", new Command.Noop()),
                Arguments.of("NOOP anything at all", new Command.Noop()),
                Arguments.of("HELP", new Command.Help()),
                Arguments.of("help MAIL", new Command.Help()),
                // VRFY and EXPN keep their argument
                Arguments.of("VRFY user", new Command.Vrfy("user")),
                Arguments.of("vrfy  John Smith ", new Command.Vrfy("John Smith")),
                Arguments.of("EXPN staff", new Command.Expn("staff")),
                // BDAT size [LAST] (RFC 3030 2)
                Arguments.of("BDAT 100", new Command.Bdat(100, false)),
                Arguments.of("BDAT 0 LAST", new Command.Bdat(0, true)),
                Arguments.of("bdat 5 last", new Command.Bdat(5, true)),
                Arguments.of("BDAT 1000000  LAST", new Command.Bdat(1_000_000, true)),
                Arguments.of("BDAT 999999999999999999", new Command.Bdat(999_999_999_999_999_999L, false)),
                // AUTH mechanism [initial-response] (RFC 4954 4); the mechanism is uppercased
                Arguments.of("AUTH PLAIN", new Command.Auth("PLAIN", null)),
                Arguments.of("auth plain AGFsaWNlAHNlY3JldA==", new Command.Auth("PLAIN", "AGFsaWNlAHNlY3JldA==")),
                Arguments.of("AUTH PLAIN =", new Command.Auth("PLAIN", "=")),
                Arguments.of("AUTH scram-sha-256", new Command.Auth("SCRAM-SHA-256", null)),
                // another protocol talking to an SMTP port (Postfix's smtpd_forbidden_commands)
                Arguments.of("GET / HTTP/1.1", new Command.ForeignProtocol("GET")),
                Arguments.of("get /index.html HTTP/1.0", new Command.ForeignProtocol("GET")),
                Arguments.of("POST /form HTTP/1.1", new Command.ForeignProtocol("POST")),
                Arguments.of("HEAD / HTTP/1.1", new Command.ForeignProtocol("HEAD")),
                Arguments.of("PUT /x HTTP/1.1", new Command.ForeignProtocol("PUT")),
                Arguments.of("CONNECT mx.example:25 HTTP/1.1", new Command.ForeignProtocol("CONNECT")),
                Arguments.of("OPTIONS * HTTP/1.1", new Command.ForeignProtocol("OPTIONS")),
                Arguments.of("DELETE /x HTTP/1.1", new Command.ForeignProtocol("DELETE")),
                Arguments.of("USER root", new Command.ForeignProtocol("USER")),
                // anything else is an unknown verb
                Arguments.of("FOO bar", new Command.Unknown("FOO")),
                Arguments.of("XCLIENT ADDR=1.2.3.4", new Command.Unknown("XCLIENT")),
                Arguments.of("", new Command.Unknown("")),
                Arguments.of(" EHLO x", new Command.Unknown("")));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("wellFormedCommands")
    void linesParseIntoTheirCommands(String line, Command expected) {
        assertEquals(expected, CommandParser.parse(line));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            # EHLO and HELO need exactly one argument
            EHLO                                | EHLO
            'EHLO   '                           | EHLO
            EHLO two words                      | EHLO
            HELO                                | HELO
            # MAIL and RCPT need their keyword and a path in angle brackets
            MAIL                                | MAIL
            MAIL FROM:                          | MAIL
            MAIL FROM:a@b.example               | MAIL
            MAIL FROM:<a@b.example              | MAIL
            MAIL FROM <a@b.example>             | MAIL
            MAIL TO:<a@b.example>               | MAIL
            MAIL FROM:<\"a>b@c.example>         | MAIL
            RCPT TO:u@x.example                 | RCPT
            RCPT FROM:<u@x.example>             | RCPT
            RCPT TO:                            | RCPT
            # parameters are separated from the path by a space
            MAIL FROM:<a@b.example>SIZE=100     | MAIL
            RCPT TO:<u@x.example>NOTIFY=NEVER   | RCPT
            # commands that take no argument
            DATA now                            | DATA
            RSET all                            | RSET
            QUIT please                         | QUIT
            STARTTLS now                        | STARTTLS
            # VRFY needs an argument
            VRFY                                | VRFY
            # BDAT size [LAST]: a size of at most 18 digits, and only LAST after it
            BDAT                                | BDAT
            BDAT LAST                           | BDAT
            BDAT -1                             | BDAT
            BDAT 1.5                            | BDAT
            BDAT x                              | BDAT
            BDAT 10 FIRST                       | BDAT
            BDAT 10 LAST now                    | BDAT
            BDAT 1234567890123456789            | BDAT
            # AUTH needs a mechanism and at most one initial response
            AUTH                                | AUTH
            AUTH PLAIN abc def                  | AUTH
            """)
    void malformedArgumentsMakeAnInvalidCommand(String line, String verb) {
        Command command = CommandParser.parse(line == null ? "" : line);
        assertEquals(verb, assertInstanceOf(Command.Invalid.class, command, line).verb());
    }
}
