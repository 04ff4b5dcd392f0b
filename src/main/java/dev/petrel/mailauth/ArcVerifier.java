package dev.petrel.mailauth;

import dev.petrel.mail.HeaderSection;

/**
 * Validates the Authenticated Received Chain of a message (RFC 8617 5.2): its structure, the newest
 * ARC-Message-Signature, each ARC-Seal from the newest down, with keys from DNS as DKIM finds them; and, as the
 * optional step 5 allows, the oldest instance from which the message is still as the sealers saw it.
 */
public final class ArcVerifier {

    private final DkimVerifier dkim;

    public ArcVerifier(DkimVerifier dkim) {
        this.dkim = dkim;
    }

    public ArcResult verify(byte[] message) {
        HeaderSection section = HeaderSection.read(message);
        ArcChain chain = ArcChain.read(section);
        if (chain.empty()) {
            // RFC 8617 5.2 step 1: no sets, cv=none
            return ArcResult.NONE;
        }
        if (chain.broken() != null) {
            return ArcResult.fail(0, chain.broken());
        }
        int n = chain.highest();
        String structure = structureProblem(chain);
        if (structure != null) {
            return ArcResult.fail(n, structure);
        }
        // RFC 8617 5.2 step 4: the newest ARC-Message-Signature must verify
        DkimResult newest = dkim.verifyMessageSignature(chain.set(n).signature(), section, message);
        if (newest.outcome() != DkimResult.Outcome.PASS) {
            return ArcResult.fail(n, "ARC-Message-Signature i=" + n + ": " + newest.reason());
        }
        int oldestPass = oldestPass(chain, section, message);
        // RFC 8617 5.2 step 6: every seal, from the newest down, over the sets up to its own
        for (int i = n; i >= 1; i--) {
            DkimResult seal = dkim.verifySeal(chain.set(i).sealTags(), chain.sealInput(i));
            if (seal.outcome() != DkimResult.Outcome.PASS) {
                return ArcResult.fail(n, "ARC-Seal i=" + i + ": " + seal.reason());
            }
        }
        return new ArcResult(ArcResult.Status.PASS, n, oldestPass, null);
    }

    // RFC 8617 5.2 steps 2 and 3: a chain that a sealer marked failed stays failed; instance 1 says cv=none and
    // every later one cv=pass
    private static String structureProblem(ArcChain chain) {
        int n = chain.highest();
        if (chain.set(n).cv().equals("fail")) {
            return "ARC-Seal i=" + n + " says cv=fail";
        }
        for (int i = 1; i <= n; i++) {
            String want = i == 1 ? "none" : "pass";
            if (!chain.set(i).cv().equals(want)) {
                return "ARC-Seal i=" + i + " says cv=" + chain.set(i).cv() + ", not " + want;
            }
        }
        return null;
    }

    // RFC 8617 5.2 step 5: the older signatures from N-1 down; the lowest instance before the first that fails
    private int oldestPass(ArcChain chain, HeaderSection section, byte[] message) {
        for (int i = chain.highest() - 1; i >= 1; i--) {
            DkimResult r = dkim.verifyMessageSignature(chain.set(i).signature(), section, message);
            if (r.outcome() != DkimResult.Outcome.PASS) {
                return i + 1;
            }
        }
        return 0;
    }
}
