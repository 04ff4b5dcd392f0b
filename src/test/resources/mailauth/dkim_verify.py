#!/usr/bin/env python3
"""dkimpy (Debian python3-dkim) as the reference verifier for Petrel's DKIM signatures.

  dkim_verify.py MESSAGE RECORDS.json

RECORDS.json maps DNS names ("sel._domainkey.example.com") to TXT record text; no DNS is used.
Prints one line per DKIM-Signature, top first: "pass" or "fail" (the reason on standard error), and exits 0.
"""
import json
import sys

import dkim


def main(message_file, records_file):
    with open(message_file, "rb") as f:
        message = f.read()
    with open(records_file) as f:
        records = json.load(f)

    def dnsfunc(name, timeout=5):
        key = name.decode("ascii") if isinstance(name, bytes) else name
        key = key.rstrip(".")
        value = records.get(key)
        return value.encode("ascii") if value is not None else None

    verifier = dkim.DKIM(message)
    count = len([h for h in verifier.headers if h[0].lower() == b"dkim-signature"])
    for i in range(count):
        try:
            ok = verifier.verify(idx=i, dnsfunc=dnsfunc)
        except dkim.DKIMException as e:
            # a body hash that does not match is reported by raising; it is a failed signature all the same
            print("fail", e, file=sys.stderr)
            ok = False
        print("pass" if ok else "fail")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
