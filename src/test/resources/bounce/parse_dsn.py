#!/usr/bin/env python3
"""Parses a DSN with Python's email package (a MIME parser Petrel did not write) and prints what it found
as JSON, for DsnParseTest to check. Usage: parse_dsn.py FILE"""
import email
import email.policy
import json
import sys


def fields(block):
    """A header block as a dict of lower-case field name to value (str() of the policy's header object)."""
    return {name.lower(): str(value) for name, value in block.items()}


def status_blocks(part):
    """The per-message block and per-recipient blocks of a delivery-status part."""
    payload = part.get_payload()
    if part.get_content_type() == "message/delivery-status":
        # the parser splits message/delivery-status into one sub-message per block (RFC 3464 2.1)
        return [fields(block) for block in payload]
    # message/global-delivery-status (RFC 6533) is unknown to the parser, which reads it as one message: the
    # per-message block as its header, the per-recipient blocks as its body
    first = payload[0]
    rest = first.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
    blocks = [b for b in rest.split("\n\n") if b.strip()]
    return [fields(first)] + [fields(email.message_from_string(b, policy=email.policy.default)) for b in blocks]


def returned_message(part):
    """The returned message (or its header section) as a message object."""
    payload = part.get_payload()
    if isinstance(payload, list):
        # message/rfc822 and message/global: parsed as an enclosed message
        return payload[0]
    return email.message_from_bytes(part.get_payload(decode=True), policy=email.policy.default)


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = msg.get_payload() if msg.is_multipart() else []
    out = {
        "content_type": msg.get_content_type(),
        "report_type": msg.get_param("report-type"),
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "subject": str(msg["Subject"]),
        "auto_submitted": str(msg["Auto-Submitted"]),
        "has_date": msg["Date"] is not None and msg["Date"].datetime is not None,
        "has_message_id": msg["Message-ID"] is not None,
        "defects": [type(d).__name__ for d in msg.defects] + [type(d).__name__ for p in parts for d in p.defects],
        "bare_line_ends": raw.replace(b"\r\n", b"").count(b"\n") + raw.replace(b"\r\n", b"").count(b"\r"),
        "parts": [p.get_content_type() for p in parts],
    }
    if len(parts) >= 1:
        out["text"] = parts[0].get_content()
    if len(parts) >= 2:
        blocks = status_blocks(parts[1])
        out["per_message"] = blocks[0] if blocks else {}
        out["recipients"] = blocks[1:]
    if len(parts) >= 3:
        returned = returned_message(parts[2])
        out["returned_subject"] = str(returned["Subject"]) if returned["Subject"] is not None else None
        body = returned.get_payload(decode=True)
        out["returned_body"] = body.decode("utf-8") if body else None
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
