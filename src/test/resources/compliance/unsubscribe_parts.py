#!/usr/bin/env python3
"""Reads a message (base64 on standard input) with Python's email package and prints, as JSON, what one-click
unsubscribe puts in it: the List-Unsubscribe and List-Unsubscribe-Post fields (every occurrence), the header
fields each DKIM signature covers (its h= tag), and the decoded text of each text/plain and text/html part."""
import base64
import email
import email.policy
import json
import sys

message = email.message_from_bytes(base64.b64decode(sys.stdin.read()), policy=email.policy.default)
signed = []
for signature in message.get_all("DKIM-Signature") or []:
    tags = dict(t.strip().split("=", 1) for t in str(signature).replace("\r\n", "").split(";") if "=" in t)
    signed.append([name.strip().lower() for name in tags.get("h", "").split(":")])
parts = {"text/plain": [], "text/html": []}
for part in message.walk():
    if part.get_content_type() in parts and not part.is_multipart():
        parts[part.get_content_type()].append(part.get_content())
print(json.dumps({
    "list_unsubscribe": [str(v) for v in message.get_all("List-Unsubscribe") or []],
    "list_unsubscribe_post": [str(v) for v in message.get_all("List-Unsubscribe-Post") or []],
    "signed": signed,
    "text": parts["text/plain"],
    "html": parts["text/html"],
    "defects": [str(d) for d in message.defects],
}))
