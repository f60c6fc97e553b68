#!/usr/bin/env python3
"""catch.py: a loopback listener that only records what reaches it.

Each request is logged to --log as one line "METHOD PATH HEADER-NAMES"
(the header names lowercased, sorted, comma-separated; values are never
written, so a token that arrives is seen by its header's name without
being copied) and answered 200 with an empty JSON object.  The port goes
to --port-file once listening.  For the redirect cases: whatever a tool
sends to the place a redirect points at lands here.

usage: catch.py --port-file FILE --log FILE
"""
import argparse
import http.server
import os


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            self.rfile.read(n)
        names = ",".join(sorted(k.lower() for k in self.headers.keys()))
        with open(self.server.log, "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, names))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"{}")

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.log = a.log
    open(a.log, "a").close()
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
