# A stand-in for systemd's notify socket: binds a Unix datagram socket (a path, or an abstract name after '@'),
# and writes one JSON line per datagram received to OUT. When a datagram says READY=1 it first tries each of
# PORTS on 127.0.0.1, so the line tells whether the server answered by the time it said it was ready. Ends at
# STOPPING=1, or after 120 s without a datagram.
# usage: python3 notify-receiver.py SOCKET PORT,PORT,... OUT
import json
import socket
import sys

name, ports, out = sys.argv[1], [int(p) for p in sys.argv[2].split(",")], sys.argv[3]
receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
receiver.bind("\0" + name[1:] if name.startswith("@") else name)
receiver.settimeout(120)


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return True
    except OSError:
        return False


with open(out, "a", encoding="utf-8") as f:
    print(json.dumps({"bound": name}), file=f, flush=True)
    while True:
        fields = receiver.recv(4096).decode("utf-8").splitlines()
        line = {"fields": fields}
        if "READY=1" in fields:
            line["answering"] = [p for p in ports if answers(p)]
        print(json.dumps(line), file=f, flush=True)
        if "STOPPING=1" in fields:
            break
