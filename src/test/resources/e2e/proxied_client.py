#!/usr/bin/env python3
"""Python's smtplib sending one message from a chosen loopback address, for dev.petrel.e2e.ProxyProtocolTest.

  proxied_client.py HOST PORT SOURCE_ADDRESS SENDER RECIPIENT MESSAGE_FILE

Prints one JSON object: the server's replies ("greeting", "ehlo", "mail", "rcpt", "data", each [code, text]), or
"disconnected" with the error when the server closed the connection first (and "after": the last step answered).
"""
import json
import smtplib
import sys

HELO = "python.e2e.test"


def main():
    host, port, source, sender, recipient, message_file = sys.argv[1:7]
    with open(message_file, "rb") as f:
        message = f.read()
    result = {}
    step = "connect"
    s = smtplib.SMTP(timeout=30, source_address=(source, 0))
    try:
        result["greeting"] = list(s.connect(host, int(port)))
        step = "greeting"
        result["ehlo"] = list(s.ehlo(HELO))
        step = "ehlo"
        result["mail"] = list(s.mail(sender))
        step = "mail"
        result["rcpt"] = list(s.rcpt(recipient))
        step = "rcpt"
        if result["rcpt"][0] == 250:
            result["data"] = list(s.data(message))
            step = "data"
        s.quit()
    except (smtplib.SMTPServerDisconnected, ConnectionError) as e:
        result["disconnected"] = "%s: %s" % (type(e).__name__, e)
        result["after"] = step
    print(json.dumps(result, default=lambda b: b.decode("utf-8", "replace")))


if __name__ == "__main__":
    main()
