package dev.petrel.mail.mime;

import dev.petrel.mail.Address;
import java.util.List;

/**
 * A composed message and what its envelope needs.
 *
 * @param content the message's octets: CRLF line ends, 7-bit, no line over 998 octets (RFC 5322 2.1.1)
 * @param sender the From address, the natural reverse path
 * @param recipients to, cc and bcc in that order, each address once; Bcc is in no header
 * @param messageId the Message-ID field's value, angle brackets included
 */
public record ComposedMessage(byte[] content, Address sender, List<Address> recipients, String messageId) {
}
