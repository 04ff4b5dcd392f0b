#!/usr/bin/env python3
"""A receiving SMTP server that enforces RFC 5321's line limit: Python's aiosmtpd (Debian python3-aiosmtpd)
answers "500 Line too long (see RFC5321 4.5.3.1.6)" to a line over 1,000 octets with its CRLF.

  aiosmtpd_sink.py HOST PORT FOLDER [SLOW_PEER...]

Keeps each message it accepts, as received, in FOLDER/N.eml (written under another name, then renamed), every
refusal it sends in FOLDER/refusals.log, and for each message a line "accepted PEER EHLO-NAME RCPT..." in
FOLDER/peers.log, PEER being the address the client connected from. A client connecting from one of the
SLOW_PEER addresses is answered "421 4.7.0 ..." at MAIL, as a receiver that throttles one sending address does
(a line "refused PEER EHLO-NAME" in peers.log). Prints "ready" once listening; runs until killed.
"""
import os
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder, slow):
        self.folder = folder
        self.slow = set(slow)
        self.count = 0

    def note(self, line):
        with open(os.path.join(self.folder, "peers.log"), "a") as f:
            f.write(line + "\n")

    async def handle_MAIL(self, server, session, envelope, address, options):
        if session.peer[0] in self.slow:
            self.note("refused %s %s" % (session.peer[0], session.host_name))
            return "421 4.7.0 Too much mail from your address, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.folder, "%d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        self.note("accepted %s %s %s" % (session.peer[0], session.host_name, " ".join(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: kept"

    # RCPT as the test says: before each RCPT, FOLDER/replies is read, lines of "ADDRESS REPLY" ("gone@sink.test
    # 550 5.1.1 No such user"); an address listed there gets its reply, any other 250 (no file: 250 for all). The
    # test changes the file between deliveries. Each RCPT and its answer are appended to FOLDER/rcpts.log.
    def replies(self):
        path = os.path.join(self.folder, "replies")
        out = {}
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    if line.strip():
                        address, reply = line.strip().split(" ", 1)
                        out[address.lower()] = reply
        return out

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.replies().get(address.lower(), "250 2.1.5 Ok")
        with open(os.path.join(self.folder, "rcpts.log"), "a") as f:
            f.write("%s %s\n" % (address, reply))
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply


class RecordingSMTP(SMTP):
    async def push(self, status):
        if status.startswith("5"):
            with open(os.path.join(self.event_handler.folder, "refusals.log"), "a") as f:
                f.write(status + "\n")
        return await super().push(status)


class SinkController(Controller):
    def factory(self):
        return RecordingSMTP(self.handler, decode_data=False, enable_SMTPUTF8=True, hostname="sink.test")


def serve(controller):
    """Starts the controller, says "ready", and runs until killed (requiretls_sink.py serves this way too)."""
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def main():
    host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    serve(SinkController(Sink(folder, sys.argv[4:]), hostname=host, port=port))


if __name__ == "__main__":
    main()
