#!/usr/bin/env python3
"""aiosmtpd_sink.py that also counts the connections open at once, and takes its time over each message.

  counting_sink.py HOST PORT FOLDER DELAY

As aiosmtpd_sink.py (messages in FOLDER/N.eml, a line per message in FOLDER/peers.log), and: each message's DATA
is answered DELAY seconds after it arrived, so that a sender's connections overlap; the most connections ever open
at once is kept in FOLDER/peak (rewritten each time it grows), and a line "open N" or "closed N" with the count
after each connection opens or closes in FOLDER/connections.log. One event loop serves every connection, so the
count needs no lock.
"""
import asyncio
import os
import sys

from aiosmtpd.controller import Controller

from aiosmtpd_sink import RecordingSMTP, Sink, serve


class Counter:
    def __init__(self, folder):
        self.folder = folder
        self.open = 0
        self.peak = 0

    def changed(self, what):
        with open(os.path.join(self.folder, "connections.log"), "a") as f:
            f.write("%s %d\n" % (what, self.open))
        if self.open > self.peak:
            self.peak = self.open
            with open(os.path.join(self.folder, "peak.tmp"), "w") as f:
                f.write("%d\n" % self.peak)
            os.rename(os.path.join(self.folder, "peak.tmp"), os.path.join(self.folder, "peak"))


class SlowSink(Sink):
    def __init__(self, folder, delay):
        super().__init__(folder, [])
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


class CountingSMTP(RecordingSMTP):
    def __init__(self, handler, counter, **kwargs):
        super().__init__(handler, **kwargs)
        self.counter = counter

    def connection_made(self, transport):
        self.counter.open += 1
        self.counter.changed("open")
        super().connection_made(transport)

    def connection_lost(self, error):
        self.counter.open -= 1
        self.counter.changed("closed")
        super().connection_lost(error)


class CountingController(Controller):
    def __init__(self, handler, counter, **kwargs):
        super().__init__(handler, **kwargs)
        self.counter = counter

    def factory(self):
        return CountingSMTP(self.handler, self.counter, decode_data=False, enable_SMTPUTF8=True,
                            hostname="sink.test")


def main():
    host, port, folder, delay = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    serve(CountingController(SlowSink(folder, delay), Counter(folder), hostname=host, port=port))


if __name__ == "__main__":
    main()
