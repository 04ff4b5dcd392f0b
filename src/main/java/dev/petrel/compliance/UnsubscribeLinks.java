package dev.petrel.compliance;

import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import dev.petrel.tenant.Tenant;
import dev.petrel.tenant.Tenants;
import dev.petrel.mail.TextParts;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-click unsubscribe links of broadcast mail (RFC 8058, RFC 2369): which messages get them (those sent on a
 * tenant's broadcast stream), each recipient's link, and the header fields that carry it. Intake asks it before it
 * signs, so the DKIM signature covers the fields (RFC 8058 4: they must be covered, or receivers ignore them).
 */
public final class UnsubscribeLinks {

    /** Adds no links: tests, and mail without tenants. */
    public static final UnsubscribeLinks NONE = new UnsubscribeLinks(null, null, null, null);

    /** The local part of the mailto address on the bounce domain ({@code unsubscribe@BOUNCE_DOMAIN}). */
    public static final String MAILBOX = "unsubscribe";

    /** What a body says where the recipient's link goes. */
    public static final String PLACEHOLDER = "{{unsubscribe_url}}";

    /** The path of the unsubscribe routes, before the token. */
    public static final String PATH = "/unsubscribe/";

    private final UnsubscribeTokens tokens;
    private final Streams streams;
    private final Tenants tenants;
    private final String publicUrl;
    private final Address mailbox;

    /** Links with no mailto form: no bounce domain. */
    public UnsubscribeLinks(UnsubscribeTokens tokens, Streams streams, Tenants tenants, String publicUrl) {
        this(tokens, streams, tenants, publicUrl, null);
    }

    /**
     * @param publicUrl {@code [http] public_url}, without a trailing slash
     * @param mailbox the address of the mailto form ({@value #MAILBOX} on the bounce domain), or null for none
     */
    public UnsubscribeLinks(UnsubscribeTokens tokens, Streams streams, Tenants tenants, String publicUrl,
                            Address mailbox) {
        this.tokens = tokens;
        this.streams = streams;
        this.tenants = tenants;
        this.publicUrl = publicUrl;
        this.mailbox = mailbox;
    }

    /** The address of the mailto form, when there is a bounce domain. */
    public Optional<Address> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    /**
     * One recipient's ways out of one message, both carrying the same token: the one-click link, and the mailto
     * form (RFC 2369 3.2, RFC 6068) with the token as its subject, or null without a bounce domain. The token does
     * not fit a local part (RFC 5321 4.5.3.1.1: 64 octets; it names the recipient's address, up to 254), and a
     * shorter keyed local part would have to be looked up in what the server keeps of the message, which is
     * gone before the 60 days CASL asks for; a subject carries the whole token, as RFC 2369's own example carries
     * {@code ?subject=unsubscribe}.
     */
    public record Link(String url, String mailto) {

        /**
         * RFC 2369 3.2 List-Unsubscribe with each URL in angle brackets, in order of preference (the link first:
         * RFC 8058 asks for an HTTPS URI, and Gmail and Yahoo use it), folded between them (RFC 5322 2.2.3); and
         * RFC 8058 3.1 List-Unsubscribe-Post, which says a POST of {@code List-Unsubscribe=One-Click} to the
         * link unsubscribes at once; CRLF line breaks.
         */
        public String fields() {
            return "List-Unsubscribe: <" + url + ">" + (mailto == null ? "" : ",\r\n <" + mailto + ">")
                    + "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
        }
    }

    /** Whether mail sent in this context carries unsubscribe links: it goes out on a tenant's broadcast stream. */
    public boolean applies(SendContext context) {
        if (tokens == null || context.tenant() == null || context.stream() == null) {
            return false;
        }
        TenantId tenant;
        try {
            tenant = TenantId.parse(context.tenant());
        } catch (IllegalArgumentException e) {
            return false;
        }
        Optional<Stream> stream = streams.stream(tenant, context.stream());
        return stream.isPresent() && stream.get().kind() == Stream.Kind.BROADCAST;
    }

    /** The link (and mailto form) that unsubscribes this recipient of this message from the context's stream. */
    public Link link(SendContext context, Address recipient, QueueId id) {
        String token = tokens.issue(TenantId.parse(context.tenant()), context.stream(), recipient, id.value());
        // RFC 6068 2: a token is URL-safe base64, all unreserved characters, so the subject needs no %-encoding
        return new Link(publicUrl + PATH + token, mailbox == null ? null : "mailto:" + mailbox + "?subject=" + token);
    }

    /**
     * The message's body for one recipient: {@value #PLACEHOLDER} in its text and HTML parts becomes the link;
     * where no part has it, each gets a short footer with the link and the tenant's identification (CASL 6(2)
     * asks for both in commercial mail).
     */
    public byte[] personalize(SendContext context, byte[] content, String url) {
        if (TextParts.contains(content, PLACEHOLDER)) {
            return TextParts.edit(content, (type, text) -> text.replace(PLACEHOLDER,
                    type.equals("text/html") ? html(url) : url));
        }
        String identification = tenants.tenant(TenantId.parse(context.tenant())).map(Tenant::identification)
                .orElse("");
        return TextParts.edit(content, (type, text) -> type.equals("text/html")
                ? htmlFooter(text, url, identification) : textFooter(text, url, identification));
    }

    // RFC 3676 4.3: "-- " alone on a line starts a signature, which readers may fold away
    private static String textFooter(String text, String url, String identification) {
        String start = text.isEmpty() || text.endsWith("\r\n") ? "" : "\r\n";
        return text + start + "\r\n-- \r\n" + (identification.isEmpty() ? "" : identification.replaceAll("\r?\n",
                "\r\n") + "\r\n") + "Unsubscribe: " + url + "\r\n";
    }

    // before </body> when there is one, else at the end
    private static String htmlFooter(String html, String url, String identification) {
        String footer = "<hr><p style=\"font-size:small\">" + (identification.isEmpty() ? ""
                : html(identification).replaceAll("\r?\n", "<br>") + "<br>") + "<a href=\"" + html(url)
                + "\">Unsubscribe</a></p>";
        int end = html.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
        return end < 0 ? html + footer : html.substring(0, end) + footer + html.substring(end);
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** What the token names, when it is a current one of ours. */
    public Optional<UnsubscribeToken> read(String token) {
        return tokens == null ? Optional.empty() : tokens.read(token);
    }
}
