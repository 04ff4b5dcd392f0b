#!/usr/bin/env python3
"""dkimpy (Debian python3-dkim) as the reference verifier for Petrel's DKIM signatures.

  dkim_verify.py MESSAGE RECORDS.json     keys from a table: DNS name -> TXT record text
  dkim_verify.py MESSAGE --dns HOST:PORT  keys from that DNS server (a private dnsmasq), through dnspython

Prints one line per DKIM-Signature, top first: "pass" or "fail" (the reason on standard error), and exits 0.
"""
import json
import sys

import dkim


def table_lookup(records_file):
    with open(records_file) as f:
        records = json.load(f)

    def dnsfunc(name, timeout=5):
        key = name.decode("ascii") if isinstance(name, bytes) else name
        value = records.get(key.rstrip("."))
        return value.encode("ascii") if value is not None else None
    return dnsfunc


def use_dns_server(address):
    import dns.resolver
    host, port = address.rsplit(":", 1)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = int(port)
    resolver.lifetime = 5
    dns.resolver.default_resolver = resolver
    return dkim.dnsplug.get_txt


def main(args):
    with open(args[0], "rb") as f:
        message = f.read()
    dnsfunc = use_dns_server(args[2]) if args[1] == "--dns" else table_lookup(args[1])
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
    main(sys.argv[1:])
