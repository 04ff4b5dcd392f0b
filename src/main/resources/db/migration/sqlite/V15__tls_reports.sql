-- TLS reporting (issue 20, RFC 8460): outbound TLS results counted per UTC day, policy domain, policy, result and
-- host, never one row per message; and the reports sent, one row per (kind, day, domain, destination), so that a
-- restart sends none twice. Successes are counted with empty host and addresses (reports list failures only).
CREATE TABLE tls_results (
    day TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    policy_type TEXT NOT NULL,
    policy_hash TEXT NOT NULL,
    policy_strings TEXT NOT NULL,
    mx_hosts TEXT NOT NULL,
    result_type TEXT NOT NULL,
    mx_host TEXT NOT NULL,
    sending_ip TEXT NOT NULL,
    receiving_ip TEXT NOT NULL,
    sessions BIGINT NOT NULL,
    PRIMARY KEY (day, policy_domain, policy_hash, result_type, mx_host, sending_ip, receiving_ip)
);

CREATE TABLE sent_reports (
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    domain TEXT NOT NULL,
    destination TEXT NOT NULL,
    sent_ms BIGINT NOT NULL,
    PRIMARY KEY (kind, day, domain, destination)
);
