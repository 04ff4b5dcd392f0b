#!/usr/bin/env python3
"""dkimpy (Debian python3-dkim) as the reference for ARC (RFC 8617), to check Petrel's seals and verification.

  arc.py sign MESSAGE KEYFILE DOMAIN SELECTOR SRV_ID   prints the next ARC set (AS, AMS, AAR), each with its CRLF;
                                                       KEYFILE holds a PEM RSA key; the set carries the results of
                                                       the message's Authentication-Results fields of SRV_ID
  arc.py verify MESSAGE RECORDS.json                   keys from a table: DNS name -> TXT record text
  arc.py verify MESSAGE --dns HOST:PORT                keys from that DNS server (a private dnsmasq)

verify prints "cv=pass", "cv=fail", "cv=none" (or "cv=ended" for a chain a sealer failed), the reason on standard
error, and one line "i=N ams=True|False as=True|False" per set, newest first; it exits 0.
"""
import sys

import dkim

from dkim_verify import table_lookup, use_dns_server


def sign(message_file, key_file, domain, selector, srv_id):
    with open(message_file, "rb") as f:
        message = f.read()
    with open(key_file, "rb") as f:
        key = f.read()
    fields = dkim.arc_sign(message, selector.encode(), domain.encode(), key, srv_id.encode(),
                           include_headers=[b"from", b"to", b"subject", b"date"], linesep=b"\r\n")
    if not fields:
        sys.exit("dkimpy made no ARC set")
    sys.stdout.buffer.write(b"".join(fields))


def verify(message_file, where, address=None):
    with open(message_file, "rb") as f:
        message = f.read()
    dnsfunc = use_dns_server(address) if where == "--dns" else table_lookup(where)
    cv, results, reason = dkim.arc_verify(message, dnsfunc=dnsfunc)
    print("cv=" + (cv.decode() if cv is not None else "ended"))
    print(reason, file=sys.stderr)
    for r in results:
        print("i=%d ams=%s as=%s" % (r["instance"], r["ams-valid"], r["as-valid"]))


if __name__ == "__main__":
    if sys.argv[1] == "sign":
        sign(*sys.argv[2:])
    else:
        verify(*sys.argv[2:])
