#!/usr/bin/env python3
"""Python's smtplib as a Petrel client, for the end-to-end tests (dev.petrel.e2e.PythonSmtplibTest and
ProxyProtocolTest).

Prints one JSON object on standard output saying what the server answered; the Java test asserts on it.
Exits 3 when a check made here fails (a TLS version below 1.2 was negotiated), 2 on bad arguments.

  smtp_client.py send  --host H --port P --tls none|starttls|implicit [--tls-max 1.2]
                       [--auth none|auto|plain|login --user U --password W]
                       --sender S --rcpt R [--rcpt R2 ...] --message FILE [--count N] [--source ADDRESS]
                       [--mail-option REQUIRETLS ...]
                       (a greeting other than 220 is reported as "connect_error")
                       (with --count, N messages on one connection: "messages" lists each one's answers)
  smtp_client.py tls11 --host H --port P --tls starttls|implicit --cert PEM --key PEM
"""
import argparse
import base64
import json
import smtplib
import socket
import ssl
import sys
import threading
import warnings

HELO = "python.e2e.test"
ALLOWED = ("TLSv1.2", "TLSv1.3")


def client_context(tls_max=None):
    # the server's certificate is self-signed: no verification, but never below TLS 1.2
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if tls_max == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def features(s):
    return {k: v for k, v in s.esmtp_features.items()}


def check_tls(s, result):
    version = s.sock.version()
    result["tls_version"] = version
    result["tls_cipher"] = s.sock.cipher()[0]
    if version not in ALLOWED:
        print(json.dumps(result))
        print("negotiated %s, not TLS 1.2 or 1.3" % version, file=sys.stderr)
        sys.exit(3)


def authenticate(s, args, result):
    """Returns True when authenticated; records the failure otherwise."""
    try:
        if args.auth == "auto":
            # smtplib picks: CRAM-MD5, then PLAIN, then LOGIN, among those advertised
            code, resp = s.login(args.user, args.password)
        else:
            s.user, s.password = args.user, args.password
            if args.auth == "plain":
                # with the initial response on the AUTH line (RFC 4954 4)
                code, resp = s.auth("PLAIN", s.auth_plain)
            else:
                # the classic exchange: AUTH LOGIN, then 334 for the user name and the password
                code, resp = s.auth("LOGIN", s.auth_login, initial_response_ok=False)
        result["auth"] = [code, text(resp)]
        return True
    except smtplib.SMTPAuthenticationError as e:
        result["auth_error"] = {"type": "SMTPAuthenticationError", "code": e.smtp_code, "message": text(e.smtp_error)}
    except smtplib.SMTPNotSupportedError as e:
        result["auth_error"] = {"type": "SMTPNotSupportedError", "message": str(e)}
        # and if a client sends credentials anyway, the server must refuse them
        token = base64.b64encode(("\0%s\0%s" % (args.user, args.password)).encode()).decode()
        code, resp = s.docmd("AUTH", "PLAIN " + token)
        result["raw_auth"] = [code, text(resp)]
    return False


def transaction(s, args, message, result):
    """One message: MAIL, RCPT, DATA, each answer recorded; True when DATA was answered."""
    code, resp = s.mail(args.sender, args.mail_option or [])
    result["mail"] = [code, text(resp)]
    if code != 250:
        return False
    answers = []
    for rcpt in args.rcpt:
        code, resp = s.rcpt(rcpt)
        answers.append([code, text(resp)])
    result["rcpt"] = answers[0]
    if len(answers) > 1:
        result["rcpts"] = answers
    if not any(a[0] in (250, 251) for a in answers):
        return False
    # bytes go as they are: smtplib only dot-stuffs them and adds the final dot
    code, resp = s.data(message)
    result["data"] = [code, text(resp)]
    return True


def send(args):
    result = {}
    with open(args.message, "rb") as f:
        message = f.read()
    ctx = client_context(args.tls_max)
    source = (args.source, 0) if args.source else None
    try:
        if args.tls == "implicit":
            s = smtplib.SMTP_SSL(args.host, args.port, local_hostname=HELO, context=ctx, timeout=30,
                                 source_address=source)
        else:
            s = smtplib.SMTP(args.host, args.port, local_hostname=HELO, timeout=30, source_address=source)
    except smtplib.SMTPConnectError as e:
        # a greeting other than 220 (421 for a client shut out)
        result["connect_error"] = [e.smtp_code, text(e.smtp_error)]
        return result
    try:
        s.ehlo()
        result["features"] = features(s)
        if args.tls == "starttls":
            code, resp = s.starttls(context=ctx)
            result["starttls"] = [code, text(resp)]
            s.ehlo()
            result["features_after_tls"] = features(s)
        if args.tls != "none":
            check_tls(s, result)
        if args.auth != "none" and not authenticate(s, args, result):
            return result
        if args.count is None:
            transaction(s, args, message, result)
            return result
        result["messages"] = []
        for _ in range(args.count):
            answers = {}
            if not transaction(s, args, message, answers):
                s.rset()
            result["messages"].append(answers)
        return result
    finally:
        try:
            s.quit()
        except (smtplib.SMTPException, OSError):
            pass


def tls11_context(server_side=False):
    # TLS 1.0 and 1.1 are deprecated: that is the point of the test
    warnings.simplefilter("ignore", DeprecationWarning)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server_side else ssl.PROTOCOL_TLS_CLIENT)
    if not server_side:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    # OpenSSL 3 allows TLS 1.0 and 1.1 only at security level 0
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


def control(args):
    """Can this OpenSSL speak TLS 1.1 at all? A local TLS 1.1 server with Petrel's own key answers that."""
    outcome = {}
    try:
        server_ctx = tls11_context(server_side=True)
        server_ctx.load_cert_chain(args.cert, args.key)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(30)

        def serve():
            try:
                conn, _ = listener.accept()
                conn.settimeout(30)
                with server_ctx.wrap_socket(conn, server_side=True) as tls:
                    outcome["server_version"] = tls.version()
                    tls.recv(1)
            except (OSError, ssl.SSLError) as e:
                outcome["server_error"] = str(e)

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        with socket.create_connection(listener.getsockname(), timeout=30) as raw:
            with tls11_context().wrap_socket(raw) as tls:
                outcome["client_version"] = tls.version()
                tls.sendall(b"x")
        t.join(30)
        listener.close()
    except (OSError, ssl.SSLError, ValueError) as e:
        outcome["error"] = "%s: %s" % (type(e).__name__, e)
    outcome["ok"] = outcome.get("client_version") == "TLSv1.1"
    return outcome


def tls11(args):
    result = {"openssl": ssl.OPENSSL_VERSION, "control": control(args)}
    ctx = tls11_context()
    s = None
    try:
        if args.tls == "implicit":
            s = smtplib.SMTP_SSL(args.host, args.port, local_hostname=HELO, context=ctx, timeout=30)
        else:
            s = smtplib.SMTP(args.host, args.port, local_hostname=HELO, timeout=30)
            s.ehlo()
            result["starttls_advertised"] = s.has_extn("starttls")
            s.starttls(context=ctx)
        result["refused"] = False
        result["tls_version"] = s.sock.version()
    except ssl.SSLError as e:
        result["refused"] = True
        result["error"] = str(e)
        result["reason"] = e.reason
    except (smtplib.SMTPException, OSError) as e:
        # refused, but not by a TLS alert: the test shows what happened
        result["refused"] = True
        result["error"] = "%s: %s" % (type(e).__name__, e)
        result["reason"] = None
    finally:
        if s is not None:
            try:
                s.close()
            except OSError:
                pass
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["send", "tls11"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    p.add_argument("--tls-max", choices=["1.2"])
    p.add_argument("--auth", choices=["none", "auto", "plain", "login"], default="none")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--sender")
    p.add_argument("--rcpt", action="append", help="a recipient; given again, more recipients")
    p.add_argument("--message")
    p.add_argument("--count", type=int)
    p.add_argument("--mail-option", action="append", help="a MAIL parameter (REQUIRETLS); given again, more")
    p.add_argument("--source", help="the local address to connect from (a loopback address behind a proxy)")
    p.add_argument("--cert")
    p.add_argument("--key")
    args = p.parse_args()
    result = send(args) if args.mode == "send" else tls11(args)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
