#!/usr/bin/env python3
"""A Docker registry token service (the "Bearer" auth of distribution) for smimg's tests.

Usage:
    token-server.py --listen 127.0.0.1:PORT --key KEY.pem --cert CERT.pem
                    --issuer ISSUER --service SERVICE --user USER --password-file FILE
                    [--expires-in 300] [--short-lived-prefix expiring/] [--short-expires-in 3]
                    [--registry-leeway 60]

The registry is configured with `auth.token` {realm: http://HOST:PORT/token, service: SERVICE,
issuer: ISSUER, rootcertbundle: CERT}; this server signs its tokens with KEY, the private key of
CERT. Every request is logged to stderr (never a password or a token). SIGTERM stops it.

Endpoints
  GET /token?service=S&scope=T:NAME:ACTIONS[&scope=...][&offline_token=true]
        The Docker token protocol. With `Authorization: Basic` of USER and the password: a token
        granting the requested actions among pull, push and delete on every repository (and
        `registry:catalog:*`); with `offline_token=true` also a `refresh_token`. A wrong user or
        password: 401. No `Authorization`: an anonymous token that grants nothing (like a private
        repository on Docker Hub or Harbor), so the registry answers 401 `insufficient_scope`.
        Answer: {"token", "access_token" (the same JWT), "expires_in", "issued_at"}.
  POST /token (application/x-www-form-urlencoded, the OAuth2 form of the protocol)
        grant_type=refresh_token, refresh_token=R, client_id, service, scope (repeated or
            space-separated): R must be a refresh token this server issued;
        grant_type=password, username, password, client_id, service, scope,
            access_type=offline (then a refresh token is issued too).
        Answer: {"access_token", "expires_in", "issued_at", "scope"[, "refresh_token"]} (no
        `token` field, so a client must read `access_token`). A refresh token it does not know,
        or wrong credentials: 401 {"error": "invalid_grant"}.
  GET /_stats
        {"token_requests": n (GET and POST /token, answered or not), "by_scope": {scope: n},
         "by_scope_set": {"scope scope": n}, "by_repository": {name: n}, "by_grant":
         {"basic"|"anonymous"|"refresh_token"|"password"|"rejected": n}, "grants_by_repository":
         {name: {grant: n}}, "issued_tokens":
         [every access token issued], "refresh_tokens": [every refresh token issued]}
        A request without a scope counts under "" in by_scope_set.

The JWT (what distribution 2.8's registry/auth/token checks):
  header  {"typ": "JWT", "alg": "RS256", "kid": K} where K is the libtrust key id of the public
          key: SHA-256 of its DER SubjectPublicKeyInfo, the first 30 bytes, base32 without
          padding, in 12 groups of 4 joined by ":". The registry indexes the public keys of the
          certificates in its rootcertbundle by that id.
  claims  iss (must be the registry's `issuer`), sub (the user, "" when anonymous), aud (the
          registry's `service`), exp, nbf, iat, jti (random), access: [{type, name, actions}].

Expiry: a token lives --expires-in seconds (--short-expires-in when a requested repository name
starts with --short-lived-prefix, for tests of renewal). distribution accepts a token until 60 s
after its `exp` (clock-skew leeway); --registry-leeway L (default 60) writes `exp` L seconds early
so that the registry rejects a token exactly `expires_in` seconds after it was issued.

Python 3 with the `cryptography` package.
"""

import argparse
import base64
import hashlib
import http.server
import json
import secrets
import signal
import socketserver
import sys
import threading
import time
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

GRANTABLE = ("pull", "push", "delete")


def log(message):
    sys.stderr.write("%s token-server: %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), message))
    sys.stderr.flush()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def libtrust_key_id(public_key):
    """The key id distribution (through libtrust) gives a public key."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    encoded = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode("ascii").rstrip("=")
    return ":".join(encoded[i:i + 4] for i in range(0, len(encoded), 4))


def parse_address(text):
    host, sep, port = text.rpartition(":")
    if not sep:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    return (host or "127.0.0.1", int(port))


def parse_scopes(values):
    """`type[(class)]:name:actions` entries; several may share one value, space-separated."""
    scopes = []
    for value in values:
        for item in value.split():
            kind, sep, rest = item.partition(":")
            name, sep2, actions = rest.rpartition(":")
            if not sep or not sep2 or not name:
                continue
            scopes.append((item, kind.split("(")[0], name, [a for a in actions.split(",") if a]))
    return scopes


class TokenState:
    """Counters, issued tokens and refresh tokens, shared by the handler threads."""

    def __init__(self, args, private_key, key_id, password):
        self.args = args
        self.private_key = private_key
        self.key_id = key_id
        self.password = password
        self.lock = threading.Lock()
        self.token_requests = 0
        self.by_scope = {}
        self.by_scope_set = {}
        self.by_repository = {}
        self.by_grant = {}
        self.grants_by_repository = {}
        self.issued = []
        self.refresh_tokens = {}

    def count(self, scopes, grant):
        with self.lock:
            self.token_requests += 1
            self.by_grant[grant] = self.by_grant.get(grant, 0) + 1
            key = " ".join(sorted(raw for raw, _, _, _ in scopes))
            self.by_scope_set[key] = self.by_scope_set.get(key, 0) + 1
            for raw, kind, name, _ in scopes:
                self.by_scope[raw] = self.by_scope.get(raw, 0) + 1
            for name in sorted({name for _, kind, name, _ in scopes if kind == "repository"}):
                self.by_repository[name] = self.by_repository.get(name, 0) + 1
                grants = self.grants_by_repository.setdefault(name, {})
                grants[grant] = grants.get(grant, 0) + 1

    def regrant(self, scopes, grant):
        """A request counted under one grant turned out to be rejected."""
        with self.lock:
            self.by_grant[grant] -= 1
            self.by_grant["rejected"] = self.by_grant.get("rejected", 0) + 1
            for name in {name for _, kind, name, _ in scopes if kind == "repository"}:
                grants = self.grants_by_repository[name]
                grants[grant] -= 1
                grants["rejected"] = grants.get("rejected", 0) + 1

    def stats(self):
        with self.lock:
            return {
                "token_requests": self.token_requests,
                "by_scope": dict(self.by_scope),
                "by_scope_set": dict(self.by_scope_set),
                "by_repository": dict(self.by_repository),
                "by_grant": dict(self.by_grant),
                "grants_by_repository": {name: dict(grants) for name, grants in self.grants_by_repository.items()},
                "issued_tokens": list(self.issued),
                "refresh_tokens": list(self.refresh_tokens),
            }

    def credentials_valid(self, user, password):
        return secrets.compare_digest(user.encode(), self.args.user.encode()) and \
            secrets.compare_digest(password.encode(), self.password.encode())

    def new_refresh_token(self, subject):
        token = "smimg-refresh-" + secrets.token_hex(24)
        with self.lock:
            self.refresh_tokens[token] = subject
        return token

    def refresh_subject(self, token):
        with self.lock:
            return self.refresh_tokens.get(token)

    def lifetime(self, scopes):
        prefix = self.args.short_lived_prefix
        if prefix and any(kind == "repository" and name.startswith(prefix) for _, kind, name, _ in scopes):
            return self.args.short_expires_in
        return self.args.expires_in

    def issue(self, subject, scopes):
        """A signed JWT for `subject` (None: anonymous) and what it grants, and its lifetime."""
        access = []
        if subject is not None:
            for _, kind, name, actions in scopes:
                if kind == "repository":
                    granted = [a for a in actions if a in GRANTABLE or a == "*"]
                elif kind == "registry" and name == "catalog":
                    granted = [a for a in actions if a == "*"]
                else:
                    granted = []
                if granted:
                    access.append({"type": kind, "name": name, "actions": granted})
        lifetime = self.lifetime(scopes)
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "kid": self.key_id}
        claims = {
            "iss": self.args.issuer,
            "sub": subject or "",
            "aud": self.args.service,
            "exp": now + lifetime - self.args.registry_leeway,
            "nbf": now - 1,
            "iat": now,
            "jti": secrets.token_hex(16),
            "access": access,
        }
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        signature = self.private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        token = signing_input + "." + b64url(signature)
        with self.lock:
            self.issued.append(token)
        return token, lifetime, access


class TokenHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set on the subclass
    server_version = "smimg-test-token-server"

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # one line per request is written by `respond`, without query strings

    def respond(self, status, body, headers=None, note=""):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        log("%s %s -> %d %s" % (self.command, urllib.parse.urlsplit(self.path).path, status, note))

    def reject(self, status, error, description, scopes, grant):
        self.state.regrant(scopes, grant)
        self.respond(status, {"error": error, "error_description": description,
                              "errors": [{"code": "UNAUTHORIZED" if status == 401 else "DENIED",
                                          "message": description}]},
                     headers={"WWW-Authenticate": 'Basic realm="smimg-test-token-server"'} if status == 401 else None,
                     note=description)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/_stats":
            self.respond(200, self.state.stats())
        elif url.path == "/token":
            self.get_token(query)
        else:
            self.respond(404, {"error": "not_found"})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if url.path != "/token":
            self.respond(404, {"error": "not_found"})
            return
        form = urllib.parse.parse_qs(body, keep_blank_values=True)
        self.post_token(form)

    def basic_credentials(self):
        header = self.headers.get("Authorization", "")
        if not header.lower().startswith("basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return ("", "")
        return (user, password)

    def check_service(self, values):
        service = (values.get("service") or [""])[0]
        if service != self.state.args.service:
            self.respond(400, {"error": "invalid_request",
                               "error_description": "unknown service %r (expected %r)" % (service, self.state.args.service)},
                         note="wrong service")
            return False
        return True

    def get_token(self, query):
        scopes = parse_scopes(query.get("scope", []))
        credentials = self.basic_credentials()
        grant = "anonymous" if credentials is None else "basic"
        self.state.count(scopes, grant)
        if not self.check_service(query):
            return
        subject = None
        if credentials is not None:
            if not self.state.credentials_valid(*credentials):
                self.reject(401, "unauthorized", "wrong user name or password", scopes, grant)
                return
            subject = credentials[0]
        token, lifetime, access = self.state.issue(subject, scopes)
        answer = {"token": token, "access_token": token, "expires_in": lifetime,
                  "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if subject is not None and (query.get("offline_token") or [""])[0].lower() == "true":
            answer["refresh_token"] = self.state.new_refresh_token(subject)
        self.respond(200, answer, note="%s %s asked %r, granted %s" % (
            grant, subject or "(anonymous)", " ".join(raw for raw, _, _, _ in scopes),
            json.dumps(access, separators=(",", ":"))))

    def post_token(self, form):
        scopes = parse_scopes(form.get("scope", []))
        grant = (form.get("grant_type") or [""])[0]
        self.state.count(scopes, grant if grant in ("refresh_token", "password") else "rejected")
        if not self.check_service(form):
            return
        if not (form.get("client_id") or [""])[0]:
            self.respond(400, {"error": "invalid_request", "error_description": "client_id is missing"},
                         note="no client_id")
            return
        issue_refresh = False
        if grant == "refresh_token":
            subject = self.state.refresh_subject((form.get("refresh_token") or [""])[0])
            if subject is None:
                self.reject(401, "invalid_grant", "unknown refresh token", scopes, grant)
                return
        elif grant == "password":
            user = (form.get("username") or [""])[0]
            if not self.state.credentials_valid(user, (form.get("password") or [""])[0]):
                self.reject(401, "invalid_grant", "wrong user name or password", scopes, grant)
                return
            subject = user
            issue_refresh = (form.get("access_type") or [""])[0] == "offline"
        else:
            self.respond(400, {"error": "unsupported_grant_type",
                               "error_description": "grant_type must be refresh_token or password"},
                         note="grant_type %r" % grant)
            return
        token, lifetime, access = self.state.issue(subject, scopes)
        answer = {"access_token": token, "expires_in": lifetime,
                  "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "scope": " ".join(raw for raw, _, _, _ in scopes)}
        if issue_refresh:
            answer["refresh_token"] = self.state.new_refresh_token(subject)
        self.respond(200, answer, note="%s %s asked %r, granted %s" % (
            grant, subject, answer["scope"], json.dumps(access, separators=(",", ":"))))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description="Docker registry token service for smimg's tests.")
    parser.add_argument("--listen", default="127.0.0.1:0", type=parse_address)
    parser.add_argument("--key", required=True, help="PEM private key (RSA) that signs tokens")
    parser.add_argument("--cert", required=True, help="PEM certificate of that key (the registry's rootcertbundle)")
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--expires-in", type=int, default=300)
    parser.add_argument("--short-lived-prefix", default="expiring/")
    parser.add_argument("--short-expires-in", type=int, default=3)
    parser.add_argument("--registry-leeway", type=int, default=60)
    args = parser.parse_args()

    with open(args.key, "rb") as f:
        private_key = serialization.load_pem_private_key(f.read(), password=None)
    with open(args.cert, "rb") as f:
        certificate = x509.load_pem_x509_certificate(f.read())
    key_id = libtrust_key_id(private_key.public_key())
    if libtrust_key_id(certificate.public_key()) != key_id:
        log("error: %s is not the certificate of %s" % (args.cert, args.key))
        return 2
    with open(args.password_file) as f:
        password = f.read().strip()

    state = TokenState(args, private_key, key_id, password)
    server = Server(args.listen, type("BoundTokenHandler", (TokenHandler,), {"state": state}))
    stop = threading.Event()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    address = "%s:%d" % server.server_address[:2]
    sys.stdout.write("LISTENING %s\n" % address)
    sys.stdout.flush()
    log("listening on %s: issuer %s, service %s, kid %s, tokens live %d s (%d s under %r)" % (
        address, args.issuer, args.service, key_id, args.expires_in, args.short_expires_in,
        args.short_lived_prefix))
    while not stop.wait(0.5):
        pass
    log("stopping")
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
