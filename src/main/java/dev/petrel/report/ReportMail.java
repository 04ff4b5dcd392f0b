package dev.petrel.report;

import dev.petrel.mail.Address;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A TLS report as mail (RFC 8460 5.3): multipart/report with report-type "tlsrpt" (RFC 6522), the Subject and the
 * TLS-Report-Domain and TLS-Report-Submitter fields it asks for, a short text and the gzip-compressed report as an
 * attachment named as 5.1 says. Date and Message-ID are left to intake, which adds them to mail made here.
 */
final class ReportMail {

    private static final String CRLF = "\r\n";

    private ReportMail() {}

    static byte[] of(TlsReport report, Address to) {
        String boundary = "=_tlsrpt_" + Long.toHexString(report.start()) + "_"
                + Integer.toHexString(report.domain().name().hashCode());
        StringBuilder m = head(report, to, boundary)
                .append("This is a multipart message in MIME format.").append(CRLF)
                .append(CRLF).append("--").append(boundary).append(CRLF)
                .append("Content-Type: text/plain; charset=\"us-ascii\"").append(CRLF)
                .append("Content-Transfer-Encoding: 7bit").append(CRLF)
                .append(CRLF)
                .append("This is an aggregate TLS report from ").append(report.submitter().domain()).append(" for ")
                .append(report.domain().name()).append(", ").append(report.day()).append(" (UTC).").append(CRLF)
                .append(CRLF).append("--").append(boundary).append(CRLF)
                .append("Content-Type: application/tlsrpt+gzip").append(CRLF)
                .append("Content-Transfer-Encoding: base64").append(CRLF)
                .append("Content-Disposition: attachment;").append(CRLF)
                .append("\tfilename=\"").append(report.fileName()).append('"').append(CRLF)
                .append(CRLF)
                .append(Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(report.gzipped())).append(CRLF)
                .append("--").append(boundary).append("--").append(CRLF);
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder head(TlsReport report, Address to, String boundary) {
        String domain = report.domain().name();
        String submitter = report.submitter().domain();
        return new StringBuilder()
                .append("From: <").append(report.submitter().from()).append('>').append(CRLF)
                .append("To: <").append(to).append('>').append(CRLF)
                // RFC 8460 5.3: "Report Domain: {} Submitter: {} Report-ID: <{}>", folded as its example is
                .append("Subject: Report Domain: ").append(domain).append(CRLF)
                .append(" Submitter: ").append(submitter).append(CRLF)
                .append(" Report-ID: <").append(report.id()).append('>').append(CRLF)
                .append("TLS-Report-Domain: ").append(domain).append(CRLF)
                .append("TLS-Report-Submitter: ").append(submitter).append(CRLF)
                .append("Auto-Submitted: auto-generated").append(CRLF)
                .append("MIME-Version: 1.0").append(CRLF)
                .append("Content-Type: multipart/report; report-type=\"tlsrpt\";").append(CRLF)
                .append("\tboundary=\"").append(boundary).append('"').append(CRLF)
                .append(CRLF);
    }
}
