#!/usr/bin/env python3
"""Reads a DMARC aggregate report mail as a domain owner's tools do, for dev.petrel.e2e.DmarcReportsTest.

  dmarc_report_read.py MESSAGE.eml...

Checks the message form of RFC 7489 7.2.1.1 (a MIME message whose report is an application/gzip part named
RECEIVER!POLICY-DOMAIN!BEGIN!END.xml.gz) and the XML of Appendix C: the elements every report must have, in the
schema's order, with values of the schema's types. Prints one JSON object: the subject, the file name, the
metadata, the published policy and the records; one line per message. Exits 1 with the reason on standard error when a check fails.
"""
import email
import email.policy
import gzip
import json
import re
import sys
import xml.etree.ElementTree as ET

DISPOSITIONS = {"none", "quarantine", "reject"}
DKIM_RESULTS = {"none", "pass", "fail", "policy", "neutral", "temperror", "permerror"}
SPF_RESULTS = {"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"}
OVERRIDES = {"forwarded", "sampled_out", "trusted_forwarder", "mailing_list", "local_policy", "other"}


class Invalid(Exception):
    pass


def children(node, names, optional=()):
    """The child elements, which must be exactly `names` in order (those in `optional` may be missing)."""
    found = [c.tag for c in node]
    expected = [n for n in names if n in found or n not in optional]
    if found != expected:
        raise Invalid("%s has %s, Appendix C wants %s" % (node.tag, found, names))
    return {c.tag: c for c in node}


def text(node, name, allowed=None, integer=False):
    value = (node.find(name).text or "").strip()
    if allowed is not None and value not in allowed:
        raise Invalid("%s/%s is %r, not one of %s" % (node.tag, name, value, sorted(allowed)))
    if integer and not re.fullmatch(r"\d+", value):
        raise Invalid("%s/%s is %r, not an integer" % (node.tag, name, value))
    return int(value) if integer else value


def metadata(node):
    children(node, ["org_name", "email", "extra_contact_info", "report_id", "date_range", "error"],
             optional=("extra_contact_info", "error"))
    dates = node.find("date_range")
    children(dates, ["begin", "end"])
    out = {k: text(node, k) for k in ("org_name", "email", "report_id")}
    if node.find("extra_contact_info") is not None:
        out["extra_contact_info"] = text(node, "extra_contact_info")
    out["begin"] = text(dates, "begin", integer=True)
    out["end"] = text(dates, "end", integer=True)
    return out


def policy(node):
    children(node, ["domain", "adkim", "aspf", "p", "sp", "pct", "fo"], optional=("adkim", "aspf", "fo"))
    out = {"domain": text(node, "domain"), "p": text(node, "p", DISPOSITIONS), "sp": text(node, "sp", DISPOSITIONS),
           "pct": text(node, "pct", integer=True)}
    for k in ("adkim", "aspf", "fo"):
        if node.find(k) is not None:
            out[k] = text(node, k)
    return out


def record(node):
    children(node, ["row", "identifiers", "auth_results"])
    row = node.find("row")
    children(row, ["source_ip", "count", "policy_evaluated"])
    evaluated = row.find("policy_evaluated")
    tags = [c.tag for c in evaluated]
    if tags[:3] != ["disposition", "dkim", "spf"] or any(t != "reason" for t in tags[3:]):
        raise Invalid("policy_evaluated has %s" % tags)
    reasons = [text(r, "type", OVERRIDES) for r in evaluated.findall("reason")]
    ids = node.find("identifiers")
    children(ids, ["envelope_to", "envelope_from", "header_from"], optional=("envelope_to",))
    auth = node.find("auth_results")
    tags = [c.tag for c in auth]
    if not tags or tags[-1] != "spf" or tags != sorted(tags):
        raise Invalid("auth_results has %s: any dkim, then at least one spf" % tags)
    dkim = []
    for d in auth.findall("dkim"):
        children(d, ["domain", "selector", "result", "human_result"], optional=("selector", "human_result"))
        dkim.append({"domain": text(d, "domain"), "selector": d.findtext("selector", ""),
                     "result": text(d, "result", DKIM_RESULTS)})
    spf = []
    for s in auth.findall("spf"):
        children(s, ["domain", "scope", "result"], optional=("scope",))
        spf.append({"domain": text(s, "domain"), "scope": s.findtext("scope", ""),
                    "result": text(s, "result", SPF_RESULTS)})
    return {"source_ip": text(row, "source_ip"), "count": text(row, "count", integer=True),
            "disposition": text(evaluated, "disposition", DISPOSITIONS),
            "dkim": text(evaluated, "dkim", {"pass", "fail"}), "spf": text(evaluated, "spf", {"pass", "fail"}),
            "reasons": reasons, "envelope_from": text(ids, "envelope_from"), "header_from": text(ids, "header_from"),
            "dkim_results": dkim, "spf_results": spf}


def report(xml):
    root = ET.fromstring(xml)
    if root.tag != "feedback":
        raise Invalid("the root is %s, not feedback" % root.tag)
    tags = [c.tag for c in root]
    if tags[:3] != ["version", "report_metadata", "policy_published"] or len(tags) < 4 \
            or any(t != "record" for t in tags[3:]):
        raise Invalid("feedback has %s" % tags)
    return {"version": root.findtext("version"), "metadata": metadata(root.find("report_metadata")),
            "policy": policy(root.find("policy_published")),
            "records": [record(r) for r in root.findall("record")]}


def main(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    parts = [p for p in message.walk() if p.get_content_type() == "application/gzip"]
    if len(parts) != 1:
        raise Invalid("%d application/gzip parts" % len(parts))
    name = parts[0].get_filename()
    if not re.fullmatch(r"[^!]+![^!]+!\d+!\d+\.xml\.gz", name or ""):
        raise Invalid("file name %r is not receiver!policy-domain!begin!end.xml.gz" % name)
    out = report(gzip.decompress(parts[0].get_payload(decode=True)))
    out.update({"subject": str(message["Subject"]), "from": str(message["From"]), "to": str(message["To"]),
                "filename": name, "text_parts": len([p for p in message.walk()
                                                     if p.get_content_type() == "text/plain"])})
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    try:
        for path in sys.argv[1:]:
            main(path)
    except (Invalid, ET.ParseError) as e:
        print("not a valid DMARC aggregate report: %s" % e, file=sys.stderr)
        sys.exit(1)
