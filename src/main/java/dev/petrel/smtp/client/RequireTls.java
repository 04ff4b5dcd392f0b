package dev.petrel.smtp.client;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;

/**
 * RFC 8689 4.2.1: what a session must have before it carries a message tagged REQUIRETLS (TLS whose certificate was
 * authenticated, then REQUIRETLS in the EHLO reply that follows the handshake), and the refusal when it lacks it. The
 * refusal is permanent (X.7.30 "REQUIRETLS support required"): a host that fails it is left for the next MX host,
 * and when none is left the message is returned, never sent otherwise.
 */
public final class RequireTls {

    private RequireTls() {}

    /** Before the handshake: only a policy that authenticates, and a server that offers STARTTLS, can lead there. */
    static Reply beforeTls(TlsPolicy policy, Extensions extensions) {
        if (!policy.authenticates()) {
            return refusal("the destination's TLS policy does not authenticate its servers");
        }
        if (!extensions.startTls()) {
            return refusal("the server does not offer STARTTLS");
        }
        return null;
    }

    /** After the handshake and the EHLO that follows it: the certificate was authenticated, REQUIRETLS is offered. */
    static Reply afterTls(TlsPolicy policy, boolean tlsActive, Extensions extensions) {
        if (!tlsActive || !policy.authenticates()) {
            return refusal("the session is not under authenticated TLS");
        }
        if (!extensions.requireTls()) {
            return refusal("the server does not offer REQUIRETLS");
        }
        return null;
    }

    /** 550 5.7.30, saying why. */
    public static Reply refusal(String why) {
        return Reply.of(550, EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED, "REQUIRETLS support required: " + why);
    }
}
