#!/usr/bin/env python3
"""The far side of TLS reporting (RFC 8460) for TlsReportE2eTest: receiving MX hosts and the two report sinks.

  tlsrpt_peers.py PORT HTTPS_PORT FOLDER MX_CERT MX_KEY HTTPS_CERT HTTPS_KEY POLICY_CERT POLICY_KEY

- 127.0.0.71:PORT, Python's aiosmtpd offering STARTTLS with MX_CERT (mx.good.test); messages in FOLDER/good
- 127.0.0.72:PORT, aiosmtpd without STARTTLS; messages in FOLDER/plain
- 127.0.0.73:PORT, aiosmtpd without STARTTLS taking mailed reports: each one is parsed with Python's email package
  (multipart/report, report-type tlsrpt, its application/tlsrpt+gzip part gunzipped and read as JSON) and what it
  says is written to FOLDER/reports/N.json
- 127.0.0.74:HTTPS_PORT, http.server over TLS (HTTPS_CERT, for the address 127.0.0.74) taking POSTed reports:
  each body is gunzipped and read as JSON, written with its Content-Type and path to FOLDER/https/N.json
- 127.0.0.75:443, http.server over TLS (POLICY_CERT, for mta-sts.good.test and mta-sts.strict.test) serving each
  domain's MTA-STS policy (RFC 8461 3.3): mode enforce, its one MX host mx.DOMAIN

Prints "ready" once all listen; runs until killed.
"""
import email
import email.policy
import gzip
import http.server
import json
import os
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller


def keep(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    count = len([f for f in os.listdir(folder) if not f.endswith(".tmp")]) + 1
    path = os.path.join(folder, "%d.%s" % (count, name))
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


class Mailbox:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        keep(self.folder, "eml", envelope.original_content)
        return "250 2.0.0 Ok: kept"


class ReportBox(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        parsed = {
            "content_type": message.get_content_type(),
            "report_type": message.get_param("report-type"),
            "subject": str(message["Subject"]),
            "tls_report_domain": str(message["TLS-Report-Domain"]),
            "tls_report_submitter": str(message["TLS-Report-Submitter"]),
            "dkim_signature": str(message.get("DKIM-Signature", "")),
            "rcpt_tos": envelope.rcpt_tos,
        }
        for part in message.walk():
            if part.get_content_type() == "application/tlsrpt+gzip":
                parsed["filename"] = part.get_filename()
                parsed["report"] = json.loads(gzip.decompress(part.get_payload(decode=True)))
        keep(self.folder, "json", json.dumps(parsed).encode())
        return "250 2.0.0 Ok: report kept"


class ReportPosts(http.server.BaseHTTPRequestHandler):
    folder = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parsed = {"path": self.path, "content_type": self.headers["Content-Type"],
                  "report": json.loads(gzip.decompress(body))}
        keep(self.folder, "json", json.dumps(parsed).encode())
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Policies(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        domain = self.headers["Host"].split(":")[0][len("mta-sts."):]
        body = ("version: STSv1\r\nmode: enforce\r\nmx: mx.%s\r\nmax_age: 86400\r\n" % domain).encode()
        self.send_response(200 if self.path == "/.well-known/mta-sts.txt" else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve_tls(address, handler, cert, key):
    server = http.server.ThreadingHTTPServer(address, handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    port, https_port, folder = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(sys.argv[4], sys.argv[5])
    controllers = [
        Controller(Mailbox(os.path.join(folder, "good")), hostname="127.0.0.71", port=port, tls_context=tls,
                   require_starttls=False, server_hostname="mx.good.test"),
        Controller(Mailbox(os.path.join(folder, "plain")), hostname="127.0.0.72", port=port,
                   server_hostname="mx.plain.test"),
        Controller(ReportBox(os.path.join(folder, "reports")), hostname="127.0.0.73", port=port, decode_data=False,
                   server_hostname="mx.reports.test"),
    ]
    for c in controllers:
        c.start()
    ReportPosts.folder = os.path.join(folder, "https")
    serve_tls(("127.0.0.74", https_port), ReportPosts, sys.argv[6], sys.argv[7])
    serve_tls(("127.0.0.75", 443), Policies, sys.argv[8], sys.argv[9])
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        for c in controllers:
            c.stop()


if __name__ == "__main__":
    main()
