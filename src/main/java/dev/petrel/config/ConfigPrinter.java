package dev.petrel.config;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints the effective configuration as TOML that loads back to the same values. */
public final class ConfigPrinter {

    private ConfigPrinter() {}

    public static String print(Config c) {
        StringBuilder out = new StringBuilder();
        out.append("hostname = ").append(q(c.hostname())).append('\n');
        out.append("data_dir = ").append(q(c.dataDir().toString())).append("\n\n");
        for (Config.Listener l : c.listeners()) {
            String host = l.host().contains(":") ? "[" + l.host() + "]" : l.host();
            out.append("[[listeners]]\naddress = ").append(q(host + ":" + l.port())).append("\nrole = ")
                    .append(q(l.role().name().toLowerCase(Locale.ROOT))).append('\n');
            if (l.proxy().enabled()) {
                out.append("proxy_protocol = true\ntrusted_proxies = ").append(list(l.proxy().trustedProxies()))
                        .append("\nproxy_timeout = ").append(q(Units.format(l.proxy().timeout()))).append('\n');
            }
            out.append('\n');
        }
        out.append("[tls]\n");
        if (c.tls().certificate() != null) {
            out.append("certificate = ").append(q(c.tls().certificate().toString())).append('\n');
            out.append("private_key = ").append(q(c.tls().privateKey().toString())).append('\n');
        } else {
            out.append("# certificate and private_key unset: a self-signed pair in data_dir/tls\n");
        }
        out.append("\n[dns]\nnameservers = ").append(list(c.nameservers()))
                .append("\ndnssec = ").append(c.dnssec()).append('\n');
        out.append("\n[policy]\nrelay_networks = ").append(list(c.relayNetworks()))
                .append("\nhold = ").append(c.hold()).append('\n');
        out.append("\n[domains]\nlocal = ").append(list(c.localDomains())).append('\n');
        Config.Limits l = c.limits();
        out.append("\n[limits]\nmessage_size = ").append(l.messageSize())
                .append("\nrecipients = ").append(l.recipients())
                .append("\nline_length = ").append(l.lineLength())
                .append("\nerrors = ").append(l.errors())
                .append("\nconnections = ").append(l.connections())
                .append("\nconnections_per_client = ").append(l.connectionsPerClient())
                .append("\nauth_failures = ").append(l.authFailures())
                .append("\nauth_failure_window = ").append(q(Units.format(l.authFailureWindow())))
                .append("\nhops = ").append(l.hops())
                .append("\nqueue_reserve = ").append(l.queueReserve()).append('\n');
        Config.Timeouts t = c.timeouts();
        out.append("\n[timeouts]\nhelo = ").append(q(Units.format(t.helo())))
                .append("\nmail = ").append(q(Units.format(t.mail())))
                .append("\nrcpt = ").append(q(Units.format(t.rcpt())))
                .append("\ndata_block = ").append(q(Units.format(t.dataBlock())))
                .append("\nauth = ").append(q(Units.format(t.auth())))
                .append("\ntls_handshake = ").append(q(Units.format(t.tlsHandshake())))
                .append("\ndrain = ").append(q(Units.format(t.drain()))).append('\n');
        Config.Http h = c.http();
        out.append("\n[http]\naddress = ").append(q((h.host().contains(":") ? "[" + h.host() + "]" : h.host()) + ":" + h.port()))
                .append("\npublic_url = ").append(q(h.publicUrl()))
                .append("\ntls = ").append(h.tls())
                .append("\nmax_body = ").append(h.maxBody())
                .append("\nwebhook_allow_private = ").append(h.webhookAllowPrivate())
                .append("\nbatch_messages = ").append(h.batchMessages())
                .append("\nidempotency_window = ").append(q(Units.format(h.idempotencyWindow())))
                .append("\nmessage_retention = ").append(q(Units.format(h.messageRetention())))
                .append("\nunsubscribe_validity = ").append(q(Units.format(h.unsubscribeValidity()))).append('\n');
        Config.Delivery d = c.delivery();
        out.append("\n[delivery]\nremote_port = ").append(c.remotePort())
                .append("\nsite_concurrency = ").append(d.siteConcurrency())
                .append("\nrecipients_per_transaction = ").append(d.recipientsPerTransaction())
                .append("\nfirst_retry = ").append(q(Units.format(d.firstRetry())))
                .append("\nmax_retry = ").append(q(Units.format(d.maxRetry())))
                .append("\nlifetime = ").append(q(Units.format(d.lifetime())))
                .append("\ndelay_notice = ").append(q(d.delayNotice().isZero() ? "0" : Units.format(d.delayNotice())))
                .append("\nconnect_timeout = ").append(q(Units.format(d.connectTimeout())))
                .append("\nrequire_tls = ").append(list(d.requireTls()))
                .append("\nsite_message_rate = ").append(d.siteMessageRate())
                .append("\nmta_sts = ").append(d.mtaSts())
                .append("\ndane = ").append(d.dane())
                .append("\nattempts_in_flight = ").append(d.attemptsInFlight())
                .append("\nmessages_per_connection = ").append(d.messagesPerConnection())
                .append("\nconnection_idle = ").append(q(Units.format(d.connectionIdle())))
                .append("\nretry_jitter = ").append(d.retryJitter())
                .append("\nsite_backoff = ").append(q(Units.format(d.siteBackoff())));
        Config.ClientTimeouts ct = d.timeouts();
        out.append("\ngreeting_timeout = ").append(q(Units.format(ct.greeting())))
                .append("\nehlo_timeout = ").append(q(Units.format(ct.ehlo())))
                .append("\nmail_timeout = ").append(q(Units.format(ct.mail())))
                .append("\nrcpt_timeout = ").append(q(Units.format(ct.rcpt())))
                .append("\ndata_init_timeout = ").append(q(Units.format(ct.dataInit())))
                .append("\ndata_block_timeout = ").append(q(Units.format(ct.dataBlock())))
                .append("\nfinal_dot_timeout = ").append(q(Units.format(ct.finalDot())))
                .append("\nstream_refresh = ").append(q(Units.format(d.streamRefresh()))).append('\n');
        for (Config.EgressPool pool : d.egress()) {
            out.append("\n[[delivery.egress]]\nname = ").append(q(pool.name()))
                    .append("\nsources = ").append(list(pool.sources()));
            if (pool.ehlo() != null) {
                out.append("\nehlo = ").append(q(pool.ehlo()));
            }
            out.append('\n');
        }
        Config.LocalDelivery ld = c.localDelivery();
        out.append("\n[local_delivery]\nmaildir = ").append(q(ld.maildir()))
                .append("\nrecipient_delimiter = ").append(q(ld.recipientDelimiter()))
                .append("\ncase_sensitive = ").append(ld.caseSensitive())
                .append("\nover_quota_grace = ").append(q(Units.format(ld.overQuotaGrace()))).append('\n');
        out.append("\n[local_delivery.transports]\n");
        ld.transports().forEach((domain, transport) -> out.append(q(domain)).append(" = ").append(q(transport)).append('\n'));
        out.append("\n[mailauth]\ndmarc_reject = ").append(c.mailAuth().dmarcReject())
                .append("\ntemperror_defer = ").append(c.mailAuth().temperrorDefer())
                .append("\ndmarc_quarantine = ").append(c.mailAuth().dmarcQuarantine()).append('\n');
        out.append("\n[bounce]\ndomain = ").append(q(c.bounce().domain())).append("\ncomplaints = [")
                .append(String.join(", ", c.bounce().complaints().stream().map(ConfigPrinter::q).toList()))
                .append("]\nfeedback_id = ").append(q(c.bounce().feedbackId())).append('\n');
        if (c.bounce().rulesFile() != null) {
            out.append("rules = ").append(q(c.bounce().rulesFile().toString())).append('\n');
        } else {
            out.append("# rules unset: the rules that ship with Petrel alone\n");
        }
        Config.Reputation r = c.reputation();
        out.append("\n[reputation]\nenabled = ").append(r.enabled())
                .append("\nwindow = ").append(q(Units.format(r.window())))
                .append("\nmin_volume = ").append(r.minVolume())
                .append("\nhard_bounce_rate = ").append(r.hardBounceRate())
                .append("\ncomplaint_rate = ").append(r.complaintRate()).append('\n');
        out.append("\n[log]\nformat = ").append(q(c.log().format().label())).append("\nlevel = ")
                .append(q(c.log().level().label())).append('\n');
        out.append(acme(c.acme()));
        Config.Reports rp = c.reports();
        // the default sender is left unset, as it follows the host name
        boolean ownFrom = !rp.from().equals(Config.Reports.defaults(c.hostname()).from());
        out.append("\n[reports]\norganization = ").append(q(rp.organization()))
                .append(ownFrom ? "\nfrom = " : "\n# from unset: ").append(ownFrom ? q(rp.from()) : rp.from())
                .append("\ncontact = ").append(q(rp.contact())).append("\ntls = ").append(rp.tls())
                .append("\ndmarc = ").append(rp.dmarc()).append('\n');
        out.append("\n[store]\nurl = ").append(q(withoutPassword(c.storeUrl()))).append('\n');
        // the default name is left unset, as it follows the host name
        boolean ownName = !c.cluster().node().equals(c.hostname());
        out.append("\n[cluster]\n").append(ownName ? "node = " + q(c.cluster().node()) : "# node unset: the host name")
                .append("\nlease = ").append(q(Units.format(c.cluster().lease()))).append('\n');
        c.milters().forEach(m -> milter(out, m));
        return out.toString();
    }

    private static String acme(Config.Acme a) {
        if (!a.enabled()) {
            return "\n# [acme] unset: no certificates from an ACME CA\n";
        }
        StringBuilder out = new StringBuilder("\n[acme]\ndirectory = ").append(q(a.directory().toString()))
                .append("\ncontact = ").append(q(a.contact()))
                .append("\nnames = [").append(String.join(", ", a.names().stream().map(ConfigPrinter::q).toList()))
                .append("]\naccept_terms = ").append(a.acceptTerms())
                .append("\nrenew_before = ").append(q(Units.format(a.renewBefore())))
                .append("\ncheck_interval = ").append(q(Units.format(a.checkInterval())))
                .append("\nchallenge = ").append(q(a.challenge())).append('\n');
        if (a.trust() != null) {
            out.append("trust = ").append(q(a.trust().toString())).append('\n');
        }
        return out.toString();
    }

    private static void milter(StringBuilder out, Config.Milter m) {
        out.append("\n[[milters]]\naddress = ").append(q(m.address()))
                .append("\nconnect_timeout = ").append(q(Units.format(m.connectTimeout())))
                .append("\ncommand_timeout = ").append(q(Units.format(m.commandTimeout())))
                .append("\ntotal_timeout = ").append(q(Units.format(m.totalTimeout())))
                .append("\ndefault_action = ").append(q(m.defaultAction().name().toLowerCase(Locale.ROOT)))
                .append("\nroles = ").append(list(m.roles().stream().sorted()
                        .map(r -> r.name().toLowerCase(Locale.ROOT)).toList())).append('\n');
    }

    /** The url with the value of its password parameter hidden: the printed configuration is often shown around. */
    static String withoutPassword(String url) {
        return url.replaceAll("([?&]password=)[^&]*", "$1********");
    }

    // a TOML basic string: backslash, quote and control characters escaped (TOML 1.0 "String")
    private static String q(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String list(List<String> items) {
        return items.stream().map(ConfigPrinter::q).collect(Collectors.joining(", ", "[", "]"));
    }
}
