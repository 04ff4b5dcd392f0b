#!/usr/bin/env python3
"""A receiving SMTP server that notes who sent each message: Python's aiosmtpd (Debian python3-aiosmtpd).

  egress_sink.py HOST PORT LOG [SLOW_PEER...]

Appends a line "accepted PEER EHLO-NAME RCPT..." to LOG for each message it takes, where PEER is the address
the client connected from. A client connecting from one of the SLOW_PEER addresses is answered
"421 4.7.0 ..." at MAIL, as a receiver that throttles one sending address does, and a line "refused PEER
EHLO-NAME" is appended. Prints "ready" once listening; runs until killed.
"""
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, log, slow):
        self.log = log
        self.slow = set(slow)

    def note(self, line):
        with open(self.log, "a") as f:
            f.write(line + "\n")

    async def handle_MAIL(self, server, session, envelope, address, options):
        if session.peer[0] in self.slow:
            self.note("refused %s %s" % (session.peer[0], session.host_name))
            return "421 4.7.0 Too much mail from your address, try again later"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.note("accepted %s %s %s" % (session.peer[0], session.host_name, " ".join(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: kept"


def main():
    host, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    controller = Controller(Sink(log, sys.argv[4:]), hostname=host, port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
