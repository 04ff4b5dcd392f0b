#!/usr/bin/env python3
"""A receiving SMTP server that answers RCPT as a file tells it: Python's aiosmtpd (Debian python3-aiosmtpd).

  bouncing_sink.py HOST PORT FOLDER

Before each RCPT it reads FOLDER/replies, lines of "ADDRESS REPLY" ("gone@sink.test 550 5.1.1 No such user"),
and answers an address listed there with its reply, any other with 250. The test changes the file between
deliveries. Each RCPT and its answer are appended to FOLDER/rcpts.log; each message accepted is kept as
FOLDER/N.eml (written under another name, then renamed). Prints "ready" once listening; runs until killed.
"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

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

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.folder, "%d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Sink-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Ok: kept"


def main():
    host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    controller = Controller(Sink(folder), hostname=host, port=port, decode_data=False, enable_SMTPUTF8=True,
                            server_hostname="sink.test")
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
