package dev.petrel.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.Address;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The address list parser reads back the ASCII address fields the composer writes, whatever the names hold. */
class AddressListPropertyTest {

    @Provide
    Arbitrary<Mailbox> mailbox() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40)
                .filter(s -> !s.contains("=?"));
        Arbitrary<String> local = Arbitraries.strings().withChars("abc019.+_-").ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.startsWith(".") && !s.endsWith(".") && !s.contains(".."));
        return Combinators.combine(name, local).as((n, l) -> new Mailbox(Address.of(l + "@x.example"), n));
    }

    @Property(tries = 500)
    void writtenAddressFieldsParseBackToTheSameMailboxes(@ForAll("mailbox") Mailbox a, @ForAll("mailbox") Mailbox b,
                                                         @ForAll("mailbox") Mailbox c) {
        String field = Fields.addresses("To", List.of(a, b, c));
        String value = field.substring("To:".length()).replace("\r\n", "");
        assertEquals(List.of(a, b, c), AddressList.parse(value));
    }
}
