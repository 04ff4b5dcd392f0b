"""Real mail clients for dev.petrel.testing.Dovecot: Python's imaplib, poplib and smtplib.LMTP.

    dovecot_client.py imap PORT USER    fetch every INBOX message over IMAP (read-only)
    dovecot_client.py pop3 PORT USER    fetch every message over POP3 (RETR, no DELE)
    dovecot_client.py lmtp TARGET FROM TO
                                        deliver standard input over LMTP; TARGET is a
                                        port on 127.0.0.1 or the path of a unix socket

imap and pop3 read the password as the first line of standard input (so it is in no
command line) and print each message as one line of base64, in mailbox order: the bytes
exactly as the server sent them, whatever they contain. Any failure is an exception:
a traceback on standard error and a non-zero exit.
"""

import base64
import imaplib
import poplib
import smtplib
import sys

HOST = "127.0.0.1"
TIMEOUT_SECONDS = 20


def emit(message):
    sys.stdout.write(base64.b64encode(message).decode("ascii") + "\n")


def check(reply, what):
    status, data = reply
    if status != "OK":
        raise RuntimeError(f"{what}: {status} {data!r}")
    return data


def imap(port, user, password):
    with imaplib.IMAP4(HOST, port, timeout=TIMEOUT_SECONDS) as client:
        client.login(user, password)
        # EXAMINE and BODY.PEEK[]: reading changes no flag and moves no file from new/ to cur/
        check(client.select("INBOX", readonly=True), "EXAMINE INBOX")
        numbers = check(client.search(None, "ALL"), "SEARCH ALL")[0].split()
        for number in numbers:
            # the literal of BODY[] is the whole message, the same octets RFC822 returns
            data = check(client.fetch(number, "(BODY.PEEK[])"), f"FETCH {number!r}")
            emit(data[0][1])


def pop3(port, user, password):
    # RFC 1939 imposes no line limit on RETR; poplib's default of 2048 octets would refuse long lines
    poplib._MAXLINE = 1 << 20
    client = poplib.POP3(HOST, port, timeout=TIMEOUT_SECONDS)
    try:
        client.user(user)
        client.pass_(password)
        count, _ = client.stat()
        for number in range(1, count + 1):
            # retr strips each line's CRLF and undoes the dot-stuffing of RFC 1939 3;
            # every line of the message ended in CRLF on the wire, so put it back on each
            _, lines, _ = client.retr(number)
            emit(b"".join(line + b"\r\n" for line in lines))
    finally:
        client.quit()


def lmtp(target, sender, recipient, message):
    # a host starting with "/" is a unix socket to smtplib.LMTP
    client = (smtplib.LMTP(target, timeout=TIMEOUT_SECONDS) if target.startswith("/")
              else smtplib.LMTP(HOST, int(target), timeout=TIMEOUT_SECONDS))
    try:
        # bytes go out as they are, dot-stuffed, with CRLF added only if the last line lacks one;
        # a refused recipient or DATA raises
        client.sendmail(sender, [recipient], message)
    finally:
        client.quit()


def main(args):
    command = args[0]
    if command == "lmtp":
        lmtp(args[1], args[2], args[3], sys.stdin.buffer.read())
        return
    password = sys.stdin.readline().rstrip("\n")
    if command == "imap":
        imap(int(args[1]), args[2], password)
    elif command == "pop3":
        pop3(int(args[1]), args[2], password)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
