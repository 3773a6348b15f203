#!/usr/bin/env python3
"""An HTTP reverse proxy in front of a registry that injects faults, for smimg's tests.

Usage:
    fault-proxy.py --upstream 127.0.0.1:PORT [--listen 127.0.0.1:0] [--mode MODE]
                   [--digest sha256:...] [--count N] [--delay SECONDS] [--reject-redirect-authorization]

The first line on stdout is `LISTENING HOST:PORT` (flushed), so a test can start the proxy and
read the port it got. Every request is logged to stderr. SIGTERM or SIGINT stops it.

Everything is forwarded as it is: method, path, query, headers, request bodies (Content-Length or
chunked, streamed in 64 KiB pieces) and responses (status, headers, streamed body). `Location`
headers that point at the upstream are rewritten to point at the proxy.

Modes (--count N limits how many requests get the fault; default 1 for truncate-blob, throttle,
server-error and delay-upload, every matching request for corrupt-blob and redirect-blobs;
--digest limits the blob modes to one blob):
  passthrough     no fault
  corrupt-blob    GET /v2/<name>/blobs/<digest>: same length, one byte (the middle one) flipped
  truncate-blob   GET of a blob: full Content-Length announced, half the body sent, connection
                  closed; Range requests are forwarded like any other
  throttle        the first N requests get 429 with `Retry-After: 1`
  server-error    the first N blob upload PUTs (/v2/<name>/blobs/uploads/<id>) get 500
  delay-upload    the first N blob upload PUTs are held --delay seconds (default 4) before they
                  are forwarded, as a slow upload would be: a bearer token can expire meanwhile
  redirect-blobs  GET of a blob that the upstream answers 200 (so auth and existence are checked
                  by the registry) gets 307 to a second listener (127.0.0.2 if it can be bound,
                  else 127.0.0.1, on another port) that serves the blob bytes, as a storage
                  backend with presigned URLs would; it records whether an Authorization header
                  reached it (with --reject-redirect-authorization it also answers such requests
                  400, as S3 does when a presigned URL comes with an Authorization header)

GET /_proxy/stats on the proxy returns JSON:
  {"mode": ..., "requests": n, "faults_injected": n, "blob_gets": n, "blob_uploads": n,
   "redirect_requests": n, "redirect_authorization_seen": bool, "redirect_address": "host:port"}
`requests` counts proxied requests (not the /_proxy/ ones). POST /_proxy/reset zeroes the
counters and the fault budget.

Python standard library only.
"""

import argparse
import http.client
import http.server
import json
import re
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse

CHUNK = 64 * 1024
UPSTREAM_TIMEOUT = 300
CLIENT_IDLE_TIMEOUT = 300
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "expect", "host", "content-length",
}
BLOB_PATH = re.compile(
    r"^/v2/(?P<name>.+)/blobs/(?P<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)$")
UPLOAD_PATH = re.compile(r"^/v2/(?P<name>.+)/blobs/uploads/[^/]+$")
REDIRECT_PATH = re.compile(r"^/redirected/(?P<token>[0-9a-f]+)$")
MODES = ("passthrough", "corrupt-blob", "truncate-blob", "throttle", "server-error", "delay-upload",
         "redirect-blobs")


def log(message):
    sys.stderr.write("fault-proxy: %s\n" % message)
    sys.stderr.flush()


def parse_address(text, default_host="127.0.0.1"):
    text = text.strip()
    if "://" in text:
        parsed = urllib.parse.urlsplit(text)
        if parsed.scheme != "http":
            raise argparse.ArgumentTypeError("only http:// upstreams are supported: %s" % text)
        text = parsed.netloc
    host, sep, port = text.rpartition(":")
    if not sep:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    try:
        return (host or default_host, int(port))
    except ValueError:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)


class ProxyState:
    """Counters and the fault budget, shared by all handler threads."""

    def __init__(self, mode, digest, count, upstream, reject_redirect_authorization, delay=4.0):
        self.mode = mode
        self.delay = delay
        self.digest = digest
        self.count = count
        self.upstream = upstream
        self.reject_redirect_authorization = reject_redirect_authorization
        self.proxy_address = None
        self.redirect_address = None
        self.lock = threading.Lock()
        self.redirect_tokens = {}
        self.reset()

    def reset(self):
        with self.lock:
            self.requests = 0
            self.faults = 0
            self.blob_gets = 0
            self.blob_uploads = 0
            self.redirect_requests = 0
            self.redirect_authorization_seen = False

    def take_fault(self):
        """True if one more fault may be injected (and counts it)."""
        with self.lock:
            if self.count is not None and self.faults >= self.count:
                return False
            self.faults += 1
            return True

    def count_request(self, blob_get=False, blob_upload=False):
        with self.lock:
            self.requests += 1
            self.blob_gets += int(blob_get)
            self.blob_uploads += int(blob_upload)

    def record_redirect_request(self, has_authorization):
        with self.lock:
            self.redirect_requests += 1
            self.redirect_authorization_seen = self.redirect_authorization_seen or has_authorization

    def new_redirect_token(self, name, digest, authorization):
        token = secrets.token_hex(16)
        with self.lock:
            self.redirect_tokens[token] = (name, digest, authorization)
        return token

    def redirect_target(self, token):
        with self.lock:
            return self.redirect_tokens.get(token)

    def stats(self):
        with self.lock:
            return {
                "mode": self.mode,
                "digest": self.digest,
                "count": self.count,
                "requests": self.requests,
                "faults_injected": self.faults,
                "blob_gets": self.blob_gets,
                "blob_uploads": self.blob_uploads,
                "redirect_requests": self.redirect_requests,
                "redirect_authorization_seen": self.redirect_authorization_seen,
                "redirect_address": self.redirect_address,
                "upstream": "%s:%d" % self.upstream,
            }


class ForwardingHandler(http.server.BaseHTTPRequestHandler):
    """Shared plumbing: reading request bodies, calling the upstream, streaming responses."""

    protocol_version = "HTTP/1.1"
    timeout = CLIENT_IDLE_TIMEOUT
    state = None  # set on the subclass

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        log(format % args)

    # --- request bodies ---

    def request_body_chunks(self):
        """Yields the request body in pieces (Content-Length or chunked); nothing if none."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ConnectionError("client closed the connection inside a chunked body")
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return
                while size > 0:
                    piece = self.rfile.read(min(CHUNK, size))
                    if not piece:
                        raise ConnectionError("client closed the connection inside a chunk")
                    size -= len(piece)
                    yield piece
                self.rfile.readline(3)  # CRLF after the chunk
        else:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining > 0:
                piece = self.rfile.read(min(CHUNK, remaining))
                if not piece:
                    raise ConnectionError("client closed the connection inside the body")
                remaining -= len(piece)
                yield piece

    def drain_request_body(self):
        for _ in self.request_body_chunks():
            pass

    # --- upstream ---

    def open_upstream(self, method, target, headers, body=None, chunked=False, content_length=None):
        """Sends a request upstream, streaming `body` (an iterable of bytes); returns (conn, resp)."""
        host, port = self.state.upstream
        conn = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", "%s:%d" % (host, port))
            for key, value in headers:
                conn.putheader(key, value)
            if chunked:
                conn.putheader("Transfer-Encoding", "chunked")
            elif content_length is not None:
                conn.putheader("Content-Length", str(content_length))
            conn.endheaders()
            if body is not None:
                for piece in body:
                    if chunked:
                        conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
                    else:
                        conn.send(piece)
                if chunked:
                    conn.send(b"0\r\n\r\n")
            return conn, conn.getresponse()
        except BaseException:
            conn.close()
            raise

    def forwarded_request_headers(self):
        connection_tokens = {t.strip().lower() for t in self.headers.get("Connection", "").split(",")}
        return [(k, v) for k, v in self.headers.items()
                if k.lower() not in HOP_BY_HOP and k.lower() not in connection_tokens]

    # --- responses ---

    def send_simple(self, status, headers=(), body=b""):
        self.send_response_only(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.wfile.flush()

    def send_registry_error(self, status, code, message, headers=()):
        body = json.dumps({"errors": [{"code": code, "message": message, "detail": None}]}).encode()
        self.send_simple(status, [("Content-Type", "application/json; charset=utf-8")] + list(headers), body)

    def relay_response(self, resp, header_filter=None, body_filter=None):
        """Streams an upstream response to the client.

        body_filter(length) returns a callable(piece, offset) -> (piece, stop) or None;
        stop=True means: send `piece`, then drop the connection.
        """
        status = resp.status
        headers = [(k, v) for k, v in resp.getheaders()
                   if k.lower() not in HOP_BY_HOP and k.lower() != "connection"]
        if header_filter is not None:
            headers = header_filter(headers)
        length_header = resp.getheader("Content-Length")
        has_body = self.command != "HEAD" and status not in (204, 304) and status >= 200
        self.response_started = True
        self.send_response_only(status, resp.reason)
        for key, value in headers:
            self.send_header(key, value)
        if not has_body:
            if length_header is not None:
                self.send_header("Content-Length", length_header)
            self.end_headers()
            self.wfile.flush()
            return
        chunked_out = False
        if length_header is not None:
            self.send_header("Content-Length", length_header)
        elif self.request_version == "HTTP/1.1":
            self.send_header("Transfer-Encoding", "chunked")
            chunked_out = True
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        length = int(length_header) if length_header is not None else None
        transform = body_filter(length) if body_filter is not None else None
        offset = 0
        while True:
            piece = resp.read1(CHUNK)
            if not piece:
                break
            stop = False
            if transform is not None:
                piece, stop = transform(piece, offset)
            offset += len(piece)
            if chunked_out:
                if piece:
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            else:
                self.wfile.write(piece)
            if stop:
                self.abort_connection()
                return
        if chunked_out:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def abort_connection(self):
        """Closes the client connection now, before the announced body is complete."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, ConnectionError, socket.timeout) as error:
            log("connection ended: %s" % error)
            self.close_connection = True


class ProxyHandler(ForwardingHandler):
    def do_GET(self):
        self.dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def dispatch(self):
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        if path.startswith("/_proxy/"):
            return self.control(path)
        state = self.state
        blob = BLOB_PATH.match(path)
        upload = UPLOAD_PATH.match(path)
        is_blob_get = self.command == "GET" and blob is not None
        is_blob_upload = self.command == "PUT" and upload is not None
        state.count_request(blob_get=is_blob_get, blob_upload=is_blob_upload)
        digest_matches = blob is not None and (state.digest is None or blob.group("digest") == state.digest)

        if state.mode == "throttle" and state.take_fault():
            self.drain_request_body()
            self.log_fault("429 throttle")
            return self.send_registry_error(
                429, "TOOMANYREQUESTS", "fault-proxy: too many requests", [("Retry-After", "1")])
        if state.mode == "server-error" and is_blob_upload and state.take_fault():
            self.drain_request_body()
            self.log_fault("500 on blob upload")
            return self.send_registry_error(500, "UNKNOWN", "fault-proxy: injected server error")
        if state.mode == "delay-upload" and is_blob_upload and state.take_fault():
            self.log_fault("holding the blob upload %.1f s" % state.delay)
            time.sleep(state.delay)
        body_filter = None
        if is_blob_get and digest_matches and state.mode in ("corrupt-blob", "truncate-blob"):
            body_filter = self.fault_body_filter(state.mode)
        redirect = None
        if state.mode == "redirect-blobs" and is_blob_get and digest_matches:
            redirect = (blob.group("name"), blob.group("digest"))
        self.forward(split, body_filter, redirect)

    def redirect_instead(self, name, digest):
        """Answers 307 to the second listener (the upstream said 200: auth and blob are fine)."""
        token = self.state.new_redirect_token(name, digest, self.headers.get("Authorization"))
        location = "http://%s/redirected/%s" % (self.state.redirect_address, token)
        self.log_fault("307 -> %s" % location)
        self.send_simple(307, [("Location", location)])

    def fault_body_filter(self, mode):
        def make(length):
            if length is None or length == 0 or not self.state.take_fault():
                return None
            if mode == "corrupt-blob":
                target = length // 2
                self.log_fault("flipping byte %d of %d" % (target, length))

                def corrupt(piece, offset):
                    if offset <= target < offset + len(piece):
                        data = bytearray(piece)
                        data[target - offset] ^= 0xFF
                        piece = bytes(data)
                    return piece, False
                return corrupt
            half = length // 2
            self.log_fault("sending %d of %d bytes, then closing" % (half, length))

            def truncate(piece, offset):
                if offset + len(piece) >= half:
                    return piece[: half - offset], True
                return piece, False
            return truncate
        return make

    def forward(self, split, body_filter=None, redirect=None):
        target = split.path + ("?" + split.query if split.query else "")
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        content_length = self.headers.get("Content-Length")
        has_body = chunked or (content_length is not None)
        conn = None
        self.response_started = False
        try:
            conn, resp = self.open_upstream(
                self.command, target, self.forwarded_request_headers(),
                body=self.request_body_chunks() if has_body else None,
                chunked=chunked, content_length=None if chunked else content_length)
            log('"%s %s" -> %d' % (self.command, self.path, resp.status))
            if redirect is not None and resp.status in (200, 206) and self.state.take_fault():
                conn.close()  # the body is served by the second listener
                conn = None
                return self.redirect_instead(*redirect)
            self.relay_response(resp, header_filter=self.rewrite_location, body_filter=body_filter)
        except (OSError, http.client.HTTPException) as error:
            if isinstance(error, (BrokenPipeError, ConnectionResetError)):
                raise
            log('"%s %s" upstream failed: %s' % (self.command, self.path, error))
            if self.response_started:
                self.abort_connection()  # too late for an error response: cut the body short
                return
            try:
                self.send_registry_error(502, "UNKNOWN", "fault-proxy: upstream failed: %s" % error)
            except OSError:
                pass
            self.close_connection = True
        finally:
            if conn is not None:
                conn.close()

    def rewrite_location(self, headers):
        upstream = "%s:%d" % self.state.upstream
        rewritten = []
        for key, value in headers:
            if key.lower() == "location":
                parts = urllib.parse.urlsplit(value)
                if parts.scheme == "http" and parts.netloc == upstream:
                    value = urllib.parse.urlunsplit(parts._replace(netloc=self.state.proxy_address))
            rewritten.append((key, value))
        return rewritten

    def control(self, path):
        self.drain_request_body()
        if path == "/_proxy/stats" and self.command in ("GET", "HEAD"):
            body = json.dumps(self.state.stats()).encode()
            return self.send_simple(200, [("Content-Type", "application/json")], body)
        if path == "/_proxy/reset" and self.command == "POST":
            self.state.reset()
            return self.send_simple(204)
        return self.send_simple(404, [("Content-Type", "text/plain")], b"unknown control path\n")

    def log_fault(self, what):
        log('"%s %s" fault: %s' % (self.command, self.path, what))

    def log_request(self, code="-", size="-"):
        pass  # forward() and log_fault() log each request


class RedirectHandler(ForwardingHandler):
    """The second listener of redirect-blobs: serves blob bytes for a one-off URL."""

    def do_GET(self):
        state = self.state
        has_authorization = "Authorization" in self.headers
        state.record_redirect_request(has_authorization)
        log('redirect listener: "%s %s" Authorization header: %s'
            % (self.command, self.path, "present" if has_authorization else "absent"))
        self.drain_request_body()
        match = REDIRECT_PATH.match(urllib.parse.urlsplit(self.path).path)
        target = state.redirect_target(match.group("token")) if match else None
        if target is None:
            return self.send_simple(403, [("Content-Type", "text/plain")], b"unknown or missing token\n")
        if has_authorization and state.reject_redirect_authorization:
            body = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidArgument</Code>"
                    b"<Message>Only one auth mechanism allowed</Message></Error>")
            return self.send_simple(400, [("Content-Type", "application/xml")], body)
        name, digest, authorization = target
        headers = []
        if authorization:
            headers.append(("Authorization", authorization))
        if "Range" in self.headers:
            headers.append(("Range", self.headers["Range"]))
        conn = None
        try:
            conn, resp = self.open_upstream(self.command, "/v2/%s/blobs/%s" % (name, digest), headers)
            keep = {"content-type", "content-range", "accept-ranges", "etag", "last-modified"}
            self.relay_response(resp, header_filter=lambda hs: [(k, v) for k, v in hs if k.lower() in keep])
        finally:
            if conn is not None:
                conn.close()

    do_HEAD = do_GET

    def log_request(self, code="-", size="-"):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def bind_redirect_listener(handler):
    for host in ("127.0.0.2", "127.0.0.1"):
        try:
            return Server((host, 0), handler)
        except OSError:
            continue
    raise OSError("cannot bind a second listener on 127.0.0.2 or 127.0.0.1")


def main():
    parser = argparse.ArgumentParser(description="Fault-injecting reverse proxy for registry tests.")
    parser.add_argument("--listen", default="127.0.0.1:0", type=parse_address, help="HOST:PORT (port 0: any)")
    parser.add_argument("--upstream", required=True, type=parse_address, help="registry HOST:PORT (plain HTTP)")
    parser.add_argument("--mode", default="passthrough", choices=MODES)
    parser.add_argument("--digest", help="only this blob (sha256:...) for the blob modes")
    parser.add_argument("--count", type=int, help="how many requests get the fault")
    parser.add_argument("--delay", type=float, default=4.0, help="delay-upload: seconds to hold an upload")
    parser.add_argument("--reject-redirect-authorization", action="store_true",
                        help="redirect-blobs: answer 400 when the redirected request has an Authorization header")
    args = parser.parse_args()
    count = args.count
    if count is None and args.mode in ("truncate-blob", "throttle", "server-error", "delay-upload"):
        count = 1

    state = ProxyState(args.mode, args.digest, count, args.upstream, args.reject_redirect_authorization,
                       args.delay)
    proxy_handler = type("BoundProxyHandler", (ProxyHandler,), {"state": state})
    proxy = Server(args.listen, proxy_handler)
    host, port = proxy.server_address[:2]
    state.proxy_address = "%s:%d" % (host, port)
    servers = [proxy]
    if args.mode == "redirect-blobs":
        redirect = bind_redirect_listener(type("BoundRedirectHandler", (RedirectHandler,), {"state": state}))
        state.redirect_address = "%s:%d" % redirect.server_address[:2]
        servers.append(redirect)

    stop = threading.Event()
    # A parent may have spawned us with these signals blocked (Foundation's Process does).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
               for s in servers]
    for thread in threads:
        thread.start()
    sys.stdout.write("LISTENING %s\n" % state.proxy_address)
    sys.stdout.flush()
    log("listening on %s, upstream %s:%d, mode %s%s" % (
        state.proxy_address, args.upstream[0], args.upstream[1], args.mode,
        ", redirect listener %s" % state.redirect_address if state.redirect_address else ""))
    while not stop.wait(0.5):
        pass
    log("stopping")
    for server in servers:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
