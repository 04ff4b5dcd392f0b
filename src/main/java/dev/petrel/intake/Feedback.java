package dev.petrel.intake;

import dev.petrel.mail.Address;
import java.io.IOException;
import java.util.List;

/**
 * Where reports from receivers go instead of the queue: mail from elsewhere to the bounce domain or a complaints
 * address is read (DSNs, ARF complaints) and becomes events; it is stored in no mailbox. The bounce package
 * implements it; the command line wires it.
 */
public interface Feedback {

    Feedback NONE = new Feedback() {
        @Override
        public boolean isFeedbackAddress(Address to) {
            return false;
        }

        @Override
        public void receive(List<Address> recipients, byte[] content) {
            throw new IllegalStateException("no feedback address here");
        }
    };

    boolean isFeedbackAddress(Address to);

    /** Reads the report these recipients got; what cannot be read is kept for an operator. */
    void receive(List<Address> recipients, byte[] content) throws IOException;
}
