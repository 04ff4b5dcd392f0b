package dev.petrel.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5322 3.4 address lists as Postmark's To, Cc and Bcc strings carry them. */
class AddressListTest {

    private static String show(List<Mailbox> list) {
        List<String> out = new ArrayList<>();
        list.forEach(m -> out.add(m.displayName() + "|" + m.address()));
        return String.join(" ; ", out);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', textBlock = """
            # bare addresses, one or several, white space anywhere between them
            a@a.example                                      ~ |a@a.example
            ` a@a.example , b@b.example `                    ~ |a@a.example ; |b@b.example
            # name-addr: atoms, a quoted string with a comma and quoted pairs, raw Unicode (RFC 6532 style)
            Jane Doe <jane@a.example>                        ~ Jane Doe|jane@a.example
            `"Doe, Jane" <jane@a.example>, bob@b.example`    ~ Doe, Jane|jane@a.example ; |bob@b.example
            `"Say \\"hi\\"" <x@a.example>`                   ~ Say "hi"|x@a.example
            Jöhn Müller <j@a.example>                        ~ Jöhn Müller|j@a.example
            <only@a.example>                                 ~ |only@a.example
            J. R. Smith <jrs@a.example>                      ~ J. R. Smith|jrs@a.example
            # comments are skipped (RFC 5322 3.2.2), nested ones too
            bob@b.example (Bob (the builder))                ~ |bob@b.example
            # groups give their members; an empty group none (RFC 5322 3.4)
            Team: x@c.example, Y <y@c.example>;, z@c.example ~ |x@c.example ; Y|y@c.example ; |z@c.example
            undisclosed-recipients:;                         ~ ``
            # empty elements are skipped (RFC 5322 4.4 obs-addr-list)
            `a@a.example,, b@b.example,`                     ~ |a@a.example ; |b@b.example
            ``                                               ~ ``
            # quoted local parts and international domains (held as A-labels)
            `"john doe"@a.example`                           ~ |"john doe"@a.example
            x@bücher.example                                 ~ |x@xn--bcher-kva.example
            """)
    void readsEachFormOfAddress(String text, String expected) {
        assertEquals(expected == null ? "" : expected, show(AddressList.parse(text)));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', textBlock = """
            not an address                                   ~ a name without <> around its address at position 14
            Jane <jane@a.example                             ~ "<" without ">" at position 5
            Jane Doe jane@a.example                          ~ a name without <> around its address at position 23
            `"unterminated <x@a.example>`                    ~ unterminated quoted string at position 27
            a@a.example (open                                ~ unterminated comment at position 17
            Team: x@c.example                                ~ group without ";" at position 17
            a@@b.example                                     ~ `not an address: "a@@b.example" (invalid character in local part: a@)`
            Jane <nobody>                                    ~ `not an address: "nobody"`
            jöhn@a.example                                   ~ `not an address: "jöhn@a.example" (a non-ASCII local part needs SMTPUTF8)`
            """)
    void refusesWhatIsNoAddressListSayingWhere(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressList.parse(text));
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void postmarksFromIsOneMailbox() {
        assertEquals(new Mailbox(dev.petrel.mail.Address.of("s@shop.example"), "Shop, Inc."),
                Mailbox.parse("From", "\"Shop, Inc.\" <s@shop.example>"));
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> Mailbox.parse("From", "a@a.example, b@b.example"));
        assertEquals("From: expected one mailbox, found 2", e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void refusalsForTheSendApiNameTheField() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> AddressList.parse("To", "a@a.example, <b"));
        assertEquals("To: \"<\" without \">\" at position 13", e.getMessage());
    }
}
