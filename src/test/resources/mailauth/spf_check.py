#!/usr/bin/env python3
"""pyspf (Debian python3-spf) as the reference SPF implementation, asking the same DNS server as Petrel.

  spf_check.py DNS_HOST DNS_PORT CASES.json

CASES.json is a list of {"i": client address, "s": MAIL FROM (may be ""), "h": HELO}. Prints one result per
case, one per line ("pass", "fail", "softfail", "neutral", "none", "permerror", "temperror").
"""
import json
import sys

import dns.resolver
import spf


def main(host, port, cases_file):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = int(port)
    resolver.lifetime = 5
    dns.resolver.default_resolver = resolver
    with open(cases_file) as f:
        cases = json.load(f)
    for case in cases:
        result, _explanation = spf.check2(i=case["i"], s=case["s"], h=case["h"], timeout=10)
        print(result)


if __name__ == "__main__":
    main(*sys.argv[1:])
