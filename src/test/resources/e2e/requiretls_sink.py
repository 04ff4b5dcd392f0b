#!/usr/bin/env python3
"""A receiving SMTP server that speaks REQUIRETLS (RFC 8689), for dev.petrel.e2e.RequireTlsTest: Python's aiosmtpd
(Debian python3-aiosmtpd) offering STARTTLS with the given certificate, and REQUIRETLS in the EHLO reply once the
session is under TLS, as RFC 8689 2 has it, unless FOLDER/no-requiretls exists (the test creates it to play a server
without the extension).

  requiretls_sink.py HOST PORT FOLDER CERT KEY

Keeps what it takes as aiosmtpd_sink.py does (FOLDER/N.eml, peers.log, rcpts.log), and for each MAIL a line
"MAIL <SENDER> PARAMETERS... tls=yes|no" in FOLDER/mail.log. Prints "ready" once listening; runs until killed.
"""
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from aiosmtpd_sink import Sink, serve


class RequireTlsSink(Sink):
    def __init__(self, folder):
        super().__init__(folder, [])

    def offers_requiretls(self):
        return not os.path.exists(os.path.join(self.folder, "no-requiretls"))

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if session.ssl is not None and self.offers_requiretls():
            # before the last line ("250 HELP"), which ends the reply
            responses.insert(len(responses) - 1, "250-REQUIRETLS")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):
        with open(os.path.join(self.folder, "mail.log"), "a") as f:
            f.write("MAIL <%s> %s tls=%s\n" % (address, " ".join(options), "yes" if session.ssl else "no"))
        return await super().handle_MAIL(server, session, envelope, address, options)


class RequireTlsSMTP(SMTP):
    # aiosmtpd refuses MAIL parameters it does not know (555); REQUIRETLS, where offered, is taken and left in the
    # options handle_MAIL records
    def _getparams(self, params):
        result = super()._getparams(params)
        if result is not None and self.session.ssl is not None and self.event_handler.offers_requiretls():
            result.pop("REQUIRETLS", None)
        return result


class SinkController(Controller):
    def factory(self):
        return RequireTlsSMTP(self.handler, decode_data=False, enable_SMTPUTF8=True, hostname="sink.test",
                              tls_context=self.tls)


def main():
    host, port, folder, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    controller = SinkController(RequireTlsSink(folder), hostname=host, port=port)
    controller.tls = context
    serve(controller)


if __name__ == "__main__":
    main()
