#!/usr/bin/env python3
"""Reads messages composed by Petrel with Python's email package (a MIME parser Petrel did not write) and prints
what it found as JSON, for the tests of dev.petrel.mail.mime. Reads one message per line of standard input, in
base64, and answers each with one line of JSON, so one process serves many messages."""
import base64
import email
import email.header
import email.policy
import json
import sys


def structure(part):
    """The content types as a tree: multipart/mixed(multipart/alternative(text/plain,text/html),image/png)."""
    if part.is_multipart():
        return part.get_content_type() + "(" + ",".join(structure(p) for p in part.get_payload()) + ")"
    return part.get_content_type()


def mailboxes(msg, name):
    header = msg[name]
    if header is None:
        return None
    return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]


def legacy(raw, name):
    """The field decoded by the older API, which drops white space between encoded words as RFC 2047 6.2 says
    (the newer one keeps it inside display names)."""
    value = email.message_from_bytes(raw)[name]
    if value is None:
        return None
    return str(email.header.make_header(email.header.decode_header(value)))


def defects(msg):
    found = []
    for part in msg.walk():
        found += [type(d).__name__ for d in part.defects]
        for name, value in part.items():
            found += [name + ": " + type(d).__name__ for d in getattr(value, "defects", [])]
    return found


def filename(part):
    """The file name as the header's own parser reads it: filename of Content-Disposition, else name of
    Content-Type, RFC 2231 decoded. Not part.get_filename(): under policy.default it takes the value already
    unquoted and decoded by the header and unquotes it once more (email.utils.unquote through
    collapse_rfc2231_value), so a name that begins and ends with a quote or with angle brackets loses them:
    filename*=UTF-8''%22%22 (the name "") reads as empty and filename="<a>" as a. compat32 and mail readers
    keep them."""
    for field, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        header = part[field]
        if header is not None and param in header.params:
            return header.params[param]
    return None


def leaves(msg, out):
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        name = filename(part)
        if part.get_content_disposition() in ("attachment", "inline") and name is not None:
            out["attachments"].append({
                "filename": name,
                "content_type": part.get_content_type(),
                "content": base64.b64encode(payload).decode("ascii"),
                "content_id": part["Content-ID"] and str(part["Content-ID"]),
                "disposition": part.get_content_disposition(),
                "encoding": part.get("Content-Transfer-Encoding"),
                "charset": part.get_param("charset"),
            })
        else:
            key = "html" if part.get_content_type() == "text/html" else "text"
            out[key] = payload.decode(part.get_content_charset() or "ascii")
            out[key + "_encoding"] = part.get("Content-Transfer-Encoding")
            out[key + "_charset"] = part.get_content_charset()


def describe(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    out = {
        "structure": structure(msg),
        "from": mailboxes(msg, "From"),
        "to": mailboxes(msg, "To"),
        "cc": mailboxes(msg, "Cc"),
        "reply_to": mailboxes(msg, "Reply-To"),
        "has_bcc": msg["Bcc"] is not None,
        "from_legacy": legacy(raw, "From"),
        "to_legacy": legacy(raw, "To"),
        "subject": str(msg["Subject"]) if msg["Subject"] is not None else None,
        "date": msg["Date"].datetime.isoformat() if msg["Date"] is not None and msg["Date"].datetime else None,
        "message_id": str(msg["Message-ID"]),
        "mime_version": str(msg["MIME-Version"]),
        "headers": [[k, str(v)] for k, v in msg.items()],
        "defects": defects(msg),
        "max_line": max(len(line) for line in lines),
        "longest_line": max(lines, key=len).decode("ascii", "replace"),
        "from_raw": email.message_from_bytes(raw)["From"],
        "bare_line_ends": raw.count(b"\n") - raw.count(b"\r\n") + raw.count(b"\r") - raw.count(b"\r\n"),
        "eight_bit": any(b > 127 for b in raw),
        "attachments": [],
        "text": None,
        "html": None,
    }
    leaves(msg, out)
    return out


def main():
    for line in sys.stdin:
        try:
            answer = describe(base64.b64decode(line.strip()))
        except Exception as e:  # the test shows what went wrong instead of hanging
            answer = {"error": repr(e)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
