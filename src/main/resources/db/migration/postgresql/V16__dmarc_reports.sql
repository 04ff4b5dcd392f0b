-- DMARC aggregate reports (RFC 7489 7.2, issue 20): the verdicts of inbound mail counted per UTC day
-- (YYYY-MM-DD) and policy domain, one row per distinct source, outcome and identifiers; the policy each domain
-- published that day; and the reports sent, one row per day, domain and destination, written before the report is
-- queued so that it never goes twice. Inbound mail is the server's, not a tenant's.
CREATE TABLE dmarc_policies (
    day TEXT NOT NULL,
    domain TEXT NOT NULL,
    adkim TEXT NOT NULL,
    aspf TEXT NOT NULL,
    p TEXT NOT NULL,
    sp TEXT NOT NULL,
    pct INTEGER NOT NULL,
    fo TEXT NOT NULL,
    rua TEXT NOT NULL,
    PRIMARY KEY (day, domain)
);

CREATE TABLE dmarc_rows (
    day TEXT NOT NULL,
    domain TEXT NOT NULL,
    source_ip TEXT NOT NULL,
    disposition TEXT NOT NULL,
    dkim TEXT NOT NULL,
    spf TEXT NOT NULL,
    reason TEXT NOT NULL,
    header_from TEXT NOT NULL,
    envelope_from TEXT NOT NULL,
    dkim_results TEXT NOT NULL,
    spf_domain TEXT NOT NULL,
    spf_scope TEXT NOT NULL,
    spf_result TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (day, domain, source_ip, disposition, dkim, spf, reason, header_from, envelope_from, dkim_results,
                 spf_domain, spf_scope, spf_result)
);

CREATE TABLE dmarc_reports_sent (
    day TEXT NOT NULL,
    domain TEXT NOT NULL,
    destination TEXT NOT NULL,
    report_id TEXT NOT NULL,
    sent_ms BIGINT NOT NULL,
    PRIMARY KEY (day, domain, destination)
);
