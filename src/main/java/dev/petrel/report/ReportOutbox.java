package dev.petrel.report;

import dev.petrel.intake.Intake;
import dev.petrel.intake.Submission;
import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Mailed reports go through intake, the one door into the queue, as mail that starts here: DKIM-signed when there
 * is a key for the From domain, retried by the queue. Posted reports go over HTTPS with the JDK's client, the
 * certificate verified against the JDK's trust store, no redirects followed, within {@code timeout}.
 */
public final class ReportOutbox implements Outbox {

    private final Intake intake;
    private final HttpClient http;
    private final Duration timeout;

    public ReportOutbox(Intake intake, Duration timeout) {
        this.intake = intake;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void mail(Address from, Address to, byte[] message) throws IOException {
        Envelope envelope = new Envelope(ReversePath.of(from), List.of(Recipient.of(to)),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, Intake.LOCAL, null);
        Intake.Receipt receipt = intake.queue(new Submission(envelope, message, "local", null, null, true, true));
        if (receipt instanceof Intake.Receipt.Refused refused) {
            throw new IOException("refused: " + refused.reply().summary());
        }
    }

    @Override
    public void post(URI url, String contentType, byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", contentType)
                .header("User-Agent", "Petrel").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                throw new IOException("HTTP status " + answer.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
