package dev.petrel.report;

import java.time.LocalDate;

/** One kind of daily report ("tls", later "dmarc"): sends a UTC day's reports that were not sent yet. */
public interface DailyReport {

    /** The kind's name, as {@code petrel report send --kind} and {@link SentReports} know it. */
    String kind();

    /** Sends the day's reports that no one sent yet; what came of it. */
    Summary send(LocalDate day);

    /**
     * What one run did.
     *
     * @param sent reports sent (queued, or posted) now
     * @param alreadySent reports sent before, not again
     * @param failed reports that could not be sent, tried again at a later run
     * @param unrequested domains with results that ask for no report
     */
    record Summary(int sent, int alreadySent, int failed, int unrequested) {

        public static final Summary NONE = new Summary(0, 0, 0, 0);

        public Summary plus(Summary o) {
            return new Summary(sent + o.sent, alreadySent + o.alreadySent, failed + o.failed,
                    unrequested + o.unrequested);
        }

        @Override
        public String toString() {
            return sent + " sent, " + alreadySent + " sent before, " + failed + " failed, " + unrequested
                    + " domain(s) asking for none";
        }
    }
}
