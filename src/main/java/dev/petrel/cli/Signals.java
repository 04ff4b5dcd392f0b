package dev.petrel.cli;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import sun.misc.Signal;

/**
 * The signals an operator sends a running server, handed to the thread that serves: a handler only records
 * which came, so nothing slow runs on the JVM's signal thread. Taking TERM and INT over from the JVM replaces
 * its default (run the shutdown hooks, exit 143) with a drain and exit 0; without a handler HUP would end the
 * process. {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle one.
 */
final class Signals {

    private Signals() {}

    /** A queue that receives the name of each of {@code names} ("TERM", "HUP") as it arrives. */
    static BlockingQueue<String> listen(PrintStream err, String... names) {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        for (String name : names) {
            try {
                Signal.handle(new Signal(name), signal -> received.offer(signal.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM runs with -Xrs, or the signal is the JVM's own: keep its default
                err.println("petrel: cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
        return received;
    }
}
