#!/usr/bin/env python3
"""sigv4-server.py: a tiny S3 endpoint that checks AWS Signature Version 4.

s3rver (the S3 server of the other tests) does not check V4 signatures, so
this one does, for the requests sp-stage and sp-load make: HEAD, PUT and
GET of objects, and GET ?list-type=2.  Every request's signature is
recomputed from the request as received (canonical request, string to
sign, signing key, as in AWS's documentation) with the one key pair it
knows; a mismatch answers 403 SignatureDoesNotMatch, a PUT whose body does
not hash to its x-amz-content-sha256 answers 400 XAmzContentSHA256Mismatch.
Objects live in memory.  Each request is logged to stderr as
"METHOD PATH STATUS".  --redirect URL answers requests (only those of
--redirect-method when given) 307 TemporaryRedirect to URL followed by
the request's path, as S3 does for a bucket in another region.

--fail N answers the first N requests 503 SlowDown, with --retry-after S
as its Retry-After header when given.

usage: sigv4-server.py --port-file FILE --key ID --secret SECRET [--region R]
                       [--redirect URL [--redirect-method METHOD]]
                       [--fail N [--retry-after S]]
"""
import argparse
import hashlib
import hmac
import http.server
import os
import sys
import threading
import urllib.parse
from xml.sax.saxutils import escape

objects = {}


def enc(s):
    return urllib.parse.quote(s, safe="-_.~")


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", ctype="application/xml", headers=()):
        sys.stderr.write("%s %s %d\n" % (self.command, self.path, status))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, msg, headers=()):
        self.answer(status, ("<?xml version=\"1.0\"?><Error><Code>%s</Code><Message>%s</Message></Error>"
                             % (code, escape(msg))).encode(), headers=headers)

    def redirected(self):
        to, only = self.server.redirect, self.server.redirect_method
        if to is None or (only is not None and only != self.command):
            return False
        self.error(307, "TemporaryRedirect", "Please re-send this request to the specified temporary endpoint.",
                   headers=[("Location", to + self.path)])
        return True

    def slowed(self):
        with self.server.lock:
            if self.server.fail <= 0:
                return False
            self.server.fail -= 1
        retry = [] if self.server.retry_after is None else [("Retry-After", self.server.retry_after)]
        self.error(503, "SlowDown", "Please reduce your request rate.", headers=retry)
        return True

    def verified(self, body):
        if self.redirected() or self.slowed():
            return False
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            self.error(403, "AccessDenied", "no SigV4 Authorization header")
            return False
        parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
        cred = parts["Credential"].split("/")
        if cred[0] != self.server.key or cred[2] != self.server.region or cred[3] != "s3":
            self.error(403, "InvalidAccessKeyId", "unknown key or scope %s" % parts["Credential"])
            return False
        signed = parts["SignedHeaders"].split(";")
        for need in ("host", "x-amz-date", "x-amz-content-sha256"):
            if need not in signed:
                self.error(403, "AccessDenied", "header %s not signed" % need)
                return False
        payload = self.headers.get("x-amz-content-sha256")
        if payload != "UNSIGNED-PAYLOAD" and payload != hashlib.sha256(body).hexdigest():
            self.error(400, "XAmzContentSHA256Mismatch", "payload hash mismatch")
            return False
        raw_path, _, raw_query = self.path.partition("?")
        path = "/".join(enc(urllib.parse.unquote(seg)) for seg in raw_path.split("/"))
        query = "&".join("%s=%s" % (enc(k), enc(v)) for k, v in
                         sorted(urllib.parse.parse_qsl(raw_query, keep_blank_values=True)))
        headers = "".join("%s:%s\n" % (h, " ".join(self.headers.get(h, "").split())) for h in signed)
        creq = "\n".join([self.command, path, query, headers, ";".join(signed), payload])
        date = self.headers.get("x-amz-date")
        scope = "/".join(cred[1:])
        sts = "\n".join(["AWS4-HMAC-SHA256", date, scope, hashlib.sha256(creq.encode()).hexdigest()])
        k = sign(("AWS4" + self.server.secret).encode(), cred[1])
        for part in (cred[2], cred[3], "aws4_request"):
            k = sign(k, part)
        want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, parts["Signature"]):
            self.error(403, "SignatureDoesNotMatch", "canonical request was: " + creq.replace("\n", "|"))
            return False
        return True

    def key(self):
        p = urllib.parse.unquote(self.path.partition("?")[0]).lstrip("/")
        return p.partition("/")[2]

    def do_HEAD(self):
        if self.verified(b""):
            self.answer(200 if self.key() in objects else 404)

    def do_GET(self):
        if not self.verified(b""):
            return
        q = dict(urllib.parse.parse_qsl(self.path.partition("?")[2]))
        if q.get("list-type") == "2":
            keys = sorted(k for k in objects if k.startswith(q.get("prefix", "")))
            body = "".join("<Contents><Key>%s</Key></Contents>" % escape(k) for k in keys)
            self.answer(200, ("<?xml version=\"1.0\"?><ListBucketResult><IsTruncated>false</IsTruncated>%s"
                              "</ListBucketResult>" % body).encode())
        elif self.key() in objects:
            self.answer(200, objects[self.key()], "application/octet-stream")
        else:
            self.error(404, "NoSuchKey", "no such key")

    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.verified(body):
            objects[self.key()] = body
            self.answer(200)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--redirect")
    ap.add_argument("--redirect-method")
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--retry-after")
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.key, srv.secret, srv.region = a.key, a.secret, a.region
    srv.redirect, srv.redirect_method = a.redirect, a.redirect_method
    srv.fail, srv.retry_after, srv.lock = a.fail, a.retry_after, threading.Lock()
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
