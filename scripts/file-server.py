#!/usr/bin/env python3
"""A static file server for smimg's download tests (package indexes, wheels, conda channels).

Usage:
    file-server.py --root DIR [--listen 127.0.0.1:0] [--user U --password P]
                   [--truncate-once] [--ignore-range] [--fail-first N]

The first line on stdout is `LISTENING HOST:PORT` (flushed). SIGTERM or SIGINT stops it.

- GET/HEAD serve files under DIR; `Range: bytes=N-` is answered 206 unless --ignore-range.
- With --user/--password, paths under /private/ need that Basic auth (401 otherwise).
- /go/PORT/REST answers 307 to http://127.0.0.1:PORT/REST (a redirect to another host:port).
- --truncate-once: the first GET of each file announces the full length, sends half, and closes.
- --fail-first N: the first N requests (any path) get 503 with Retry-After: 0.
- GET /_server/stats returns JSON: {"requests": n, "gets": {path: n}, "authorization": [paths
  requested with an Authorization header], "ranges": [Range headers seen]}.

Python standard library only.
"""

import argparse
import base64
import http.server
import json
import os
import signal
import sys
import threading

LOCK = threading.Lock()
STATS = {"requests": 0, "gets": {}, "authorization": [], "ranges": []}
TRUNCATED = set()
FAILURES = {"left": 0}


def main():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--truncate-once", action="store_true")
    parser.add_argument("--ignore-range", action="store_true")
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    FAILURES["left"] = args.fail_first
    root = os.path.realpath(args.root)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *values):
            sys.stderr.write("%s\n" % (fmt % values))

        def do_HEAD(self):
            self.handle_request(head=True)

        def do_GET(self):
            self.handle_request(head=False)

        def send_plain(self, code, text, extra=None):
            body = text.encode()
            self.send_response(code)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def handle_request(self, head):
            path = self.path.split("?", 1)[0]
            if path == "/_server/stats":
                with LOCK:
                    body = json.dumps(STATS).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            with LOCK:
                STATS["requests"] += 1
                if not head:
                    STATS["gets"][path] = STATS["gets"].get(path, 0) + 1
                if self.headers.get("Authorization"):
                    STATS["authorization"].append(path)
                if self.headers.get("Range"):
                    STATS["ranges"].append(self.headers.get("Range"))
                fail = FAILURES["left"] > 0
                if fail:
                    FAILURES["left"] -= 1
            if fail:
                self.send_plain(503, "try again", {"Retry-After": "0"})
                return
            if path.startswith("/go/"):
                port, _, rest = path[4:].partition("/")
                self.send_plain(307, "moved", {"Location": "http://127.0.0.1:%s/%s" % (port, rest)})
                return
            if path.startswith("/private/") and args.user is not None:
                wanted = "Basic " + base64.b64encode(("%s:%s" % (args.user, args.password)).encode()).decode()
                if self.headers.get("Authorization") != wanted:
                    self.send_plain(401, "unauthorized", {"WWW-Authenticate": 'Basic realm="test"'})
                    return
            relative = urllib_unquote(path).lstrip("/")
            full = os.path.realpath(os.path.join(root, relative))
            json_page = False
            if full.startswith(root) and os.path.isdir(full):
                # A package index's project page: PEP 691 JSON when asked for and present
                # (index.json), else PEP 503 HTML (index.html).
                accept = self.headers.get("Accept") or ""
                if "application/vnd.pypi.simple.v1+json" in accept and os.path.isfile(os.path.join(full, "index.json")):
                    full, json_page = os.path.join(full, "index.json"), True
                else:
                    full = os.path.join(full, "index.html")
            if not full.startswith(root) or not os.path.isfile(full):
                self.send_plain(404, "not found")
                return
            size = os.path.getsize(full)
            start = 0
            status = 200
            wanted_range = self.headers.get("Range")
            if wanted_range and wanted_range.startswith("bytes=") and not args.ignore_range:
                first = wanted_range[6:].split("-", 1)[0]
                if first.isdigit():
                    start = int(first)
                    if start >= size:
                        self.send_plain(416, "range not satisfiable", {"Content-Range": "bytes */%d" % size})
                        return
                    status = 206
            self.send_response(status)
            content_type = "application/vnd.pypi.simple.v1+json" if json_page else "application/json" if full.endswith(".json") else (
                "text/html" if full.endswith(".html") or full.endswith("/") else "application/octet-stream")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(size - start))
            if status == 206:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
            self.end_headers()
            if head:
                return
            truncate = False
            if args.truncate_once and start == 0:
                with LOCK:
                    if path not in TRUNCATED:
                        TRUNCATED.add(path)
                        truncate = True
            with open(full, "rb") as handle:
                handle.seek(start)
                remaining = size - start
                limit = remaining // 2 if truncate else remaining
                sent = 0
                while sent < limit:
                    chunk = handle.read(min(65536, limit - sent))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    sent += len(chunk)
            if truncate:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)

    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print("LISTENING %s:%d" % (host, server.server_address[1]), flush=True)
    server.serve_forever()


def urllib_unquote(text):
    from urllib.parse import unquote
    return unquote(text)


if __name__ == "__main__":
    main()
