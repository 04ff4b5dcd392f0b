#!/usr/bin/env python3
"""dkimpy (Debian python3-dkim) as a reference signer, to check Petrel's DKIM verification.

  dkim_sign.py MESSAGE KEYFILE DOMAIN SELECTOR ALGORITHM CANONICALIZATION LENGTH

ALGORITHM is rsa-sha256 or ed25519-sha256; KEYFILE holds a PEM RSA key, or the base64 Ed25519 seed;
CANONICALIZATION is like relaxed/simple; LENGTH is yes to add l=. Prints the DKIM-Signature field (with its CRLF).
"""
import sys

import dkim


def main(message_file, key_file, domain, selector, algorithm, canonicalization, length):
    with open(message_file, "rb") as f:
        message = f.read()
    with open(key_file, "rb") as f:
        key = f.read()
    header, body = canonicalization.encode().split(b"/")
    signature = dkim.sign(message, selector.encode(), domain.encode(), key,
                          canonicalize=(header, body), signature_algorithm=algorithm.encode(),
                          include_headers=[b"from", b"to", b"subject", b"date"], length=(length == "yes"),
                          linesep=b"\r\n")
    sys.stdout.buffer.write(signature)


if __name__ == "__main__":
    main(*sys.argv[1:])
