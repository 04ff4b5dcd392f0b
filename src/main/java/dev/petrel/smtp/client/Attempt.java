package dev.petrel.smtp.client;

import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One transaction under way: the replies to MAIL and to each RCPT so far, and how much content was sent. */
final class Attempt {

    private final Transaction transaction;
    private final byte[] content;
    private final Reply[] rcptReplies;
    private final Reply[] finalReplies;
    private Reply mailReply;
    private int rcptSent;
    private int rcptAnswered;
    private int chunkOffset;

    Attempt(Transaction transaction) {
        this.transaction = transaction;
        this.content = DataEncoder.normalize(transaction.content());
        this.rcptReplies = new Reply[transaction.recipients().size()];
        this.finalReplies = new Reply[rcptReplies.length];
    }

    Transaction transaction() {
        return transaction;
    }

    /** The size of the message as sent, without dot-stuffing (RFC 1870 5). */
    long size() {
        return content.length;
    }

    void mailAnswered(Reply reply) {
        mailReply = reply;
    }

    boolean hasUnsentRecipient() {
        return rcptSent < rcptReplies.length;
    }

    Recipient nextRecipient() {
        return transaction.recipients().get(rcptSent++);
    }

    void rcptAnswered(Reply reply) {
        rcptReplies[rcptAnswered++] = reply;
    }

    /** Recipients the server took: MAIL and their RCPT were answered 2xx. */
    int accepted() {
        if (!isSuccess(mailReply)) {
            return 0;
        }
        return (int) Arrays.stream(rcptReplies).filter(Attempt::isSuccess).count();
    }

    /**
     * RFC 2033 4.2: after the data an LMTP server answers once for each accepted recipient, in the order of
     * their RCPT commands. True when every accepted recipient has its answer.
     */
    boolean finalAnswered(Reply reply) {
        for (int i = 0; i < rcptReplies.length; i++) {
            if (isSuccess(rcptReplies[i]) && finalReplies[i] == null) {
                finalReplies[i] = reply;
                break;
            }
        }
        for (int i = 0; i < rcptReplies.length; i++) {
            if (isSuccess(rcptReplies[i]) && finalReplies[i] == null) {
                return false;
            }
        }
        return true;
    }

    boolean mailAccepted() {
        return isSuccess(mailReply);
    }

    byte[] dotStuffed() {
        return DataEncoder.dotStuff(content);
    }

    /** The next BDAT chunk (RFC 3030 2), at most {@code maxChunk} octets, or all that is left when 0. */
    byte[] nextChunk(int maxChunk) {
        int length = content.length - chunkOffset;
        if (maxChunk > 0) {
            length = Math.min(length, maxChunk);
        }
        byte[] chunk = Arrays.copyOfRange(content, chunkOffset, chunkOffset + length);
        chunkOffset += length;
        return chunk;
    }

    boolean allChunksSent() {
        return chunkOffset >= content.length;
    }

    /**
     * One outcome per recipient: a refused MAIL decides for all, then each refused RCPT for its recipient, and
     * {@code last} (the final reply, or the failure that ended the session) for the others.
     */
    List<RecipientOutcome> outcomes(Reply last) {
        List<RecipientOutcome> out = new ArrayList<>(rcptReplies.length);
        for (int i = 0; i < rcptReplies.length; i++) {
            out.add(RecipientOutcome.of(transaction.recipients().get(i), decisive(i, last)));
        }
        return out;
    }

    private Reply decisive(int i, Reply last) {
        if (mailReply != null && !isSuccess(mailReply)) {
            return mailReply;
        }
        if (rcptReplies[i] != null && !isSuccess(rcptReplies[i])) {
            return rcptReplies[i];
        }
        return finalReplies[i] != null ? finalReplies[i] : last;
    }

    static boolean isSuccess(Reply reply) {
        return reply != null && reply.code() / 100 == 2;
    }
}
