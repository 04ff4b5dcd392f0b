#!/usr/bin/env python3
"""A scripted milter filter (protocol version 6) for Petrel's tests.

Listens on 127.0.0.1 (a free port, printed on the first line of standard output), answers OPTNEG with every
action and no protocol steps left out, CONTINUE to every stage, and at end of message the verdict that the
message's first recipient names by its local part:

  reject, tempfail, replycode, discard, quarantine, headers, body, progress, accept: as their names say;
  silent: never answers (the client's timeout and default action);
  rcptreject: REJECT at RCPT; anything else: CONTINUE.

Every packet received is written to the log file (argv[1]) as one line: the connection's number, the code, the
data as hex; so the tests can read what Petrel sent. Ends when standard input closes.
"""
import socket
import struct
import sys
import threading

LOG = open(sys.argv[1], "a", buffering=1)
LOCK = threading.Lock()
COUNTER = [0]


def packet(code, data=b""):
    return struct.pack(">I", len(data) + 1) + code.encode() + data


def z(*strings):
    return b"".join(s.encode() + b"\0" for s in strings)


def read_packet(conn):
    head = read_exactly(conn, 4)
    if head is None:
        return None, None
    (length,) = struct.unpack(">I", head)
    body = read_exactly(conn, length)
    if body is None:
        return None, None
    return chr(body[0]), body[1:]


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def end_of_message(behaviour):
    if behaviour == "reject":
        return [packet("r")]
    if behaviour == "tempfail":
        return [packet("t")]
    if behaviour == "replycode":
        return [packet("y", z("554 5.7.1 Spam message rejected by the script"))]
    if behaviour == "discard":
        return [packet("d")]
    if behaviour == "quarantine":
        return [packet("q", z("looks suspicious")), packet("c")]
    if behaviour == "headers":
        return [packet("h", z("X-Scripted", "seen\n\tfolded")),
                packet("i", struct.pack(">I", 0) + z("X-First", "first")),
                packet("m", struct.pack(">I", 1) + z("Subject", "changed by the filter")),
                packet("m", struct.pack(">I", 1) + z("X-Remove-Me", "")),
                packet("c")]
    if behaviour == "body":
        return [packet("b", b"replaced\nbody\n"), packet("a")]
    if behaviour == "progress":
        return [packet("p"), packet("p"), packet("c")]
    if behaviour == "accept":
        return [packet("a")]
    if behaviour == "silent":
        return []
    return [packet("c")]


def serve(conn):
    with LOCK:
        COUNTER[0] += 1
        number = COUNTER[0]
    behaviour = None
    with conn:
        while True:
            code, data = read_packet(conn)
            if code is None:
                return
            LOG.write("%d %s %s\n" % (number, code, data.hex()))
            if code == "O":
                conn.sendall(packet("O", struct.pack(">III", 6, 0x1FF, 0)))
            elif code in ("D", "A"):
                continue
            elif code == "Q":
                return
            elif code == "R":
                rcpt = data.split(b"\0")[0].decode()
                local = rcpt.strip("<>").split("@")[0]
                behaviour = behaviour or local
                conn.sendall(packet("r" if local == "rcptreject" else "c"))
            elif code == "E":
                for reply in end_of_message(behaviour):
                    conn.sendall(reply)
                behaviour = None
            elif code == "M":
                behaviour = None
                conn.sendall(packet("c"))
            else:
                conn.sendall(packet("c"))


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    sys.stdin.read()
    server.close()


if __name__ == "__main__":
    main()
