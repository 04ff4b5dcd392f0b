#!/usr/bin/env python3
"""aiosmtpd_sink.py that keeps each message, then takes its time before it says so.

  slow_sink.py HOST PORT FOLDER DELAY

As aiosmtpd_sink.py (messages in FOLDER/N.eml, a line per message in FOLDER/peers.log), but each message's DATA is
answered "250" DELAY seconds after the message was kept, so that a sender has deliveries in flight most of the time,
and one killed during that wait has delivered a message it never heard acknowledged (ClusterKillTest counts them).
"""
import asyncio
import sys

from aiosmtpd_sink import Sink, SinkController, serve


class SlowSink(Sink):
    def __init__(self, folder, delay):
        super().__init__(folder, [])
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(self.delay)
        return reply


def main():
    host, port, folder, delay = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    serve(SinkController(SlowSink(folder, delay), hostname=host, port=port))


if __name__ == "__main__":
    main()
