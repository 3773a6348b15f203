#!/usr/bin/env python3
"""An ECR control-plane test double for smimg's tests: the actions moto lacks, over a local registry.

Usage:
    ecr-double.py --upstream http://127.0.0.1:MOTOPORT --registry 127.0.0.1:PORT
                  --registry-password PASSWORD [--registry-user AWS] [--listen 127.0.0.1:0]
                  [--mode full|unsupported-batch-check|unsupported-layer-upload]
                  [--account 123456789012]
                  [--min-part-size BYTES] [--max-part-size BYTES] [--part-size BYTES]
                  [--state-dir DIR]

It speaks the ECR API's JSON 1.1 protocol (`POST /`, `X-Amz-Target:
AmazonEC2ContainerRegistry_V20150921.<Action>`, `Content-Type: application/x-amz-json-1.1`) on
loopback. The first line on stdout is `LISTENING HOST:PORT` (flushed). Every request is logged to
stderr. SIGTERM or SIGINT stops it.

Actions answered here, from the registry given by --registry (plain HTTP, Basic
--registry-user/--registry-password, which is what ECR's token stands for):
  BatchCheckLayerAvailability  1 to 100 digests; HEAD /v2/<repository>/blobs/<digest> each:
                               200 -> layers[] AVAILABLE with layerSize, 404 -> failures[]
                               MissingLayerDigest, a malformed digest -> failures[] InvalidLayerDigest
  InitiateLayerUpload          -> uploadId (a UUID) and partSize
  UploadLayerPart              partFirstByte/partLastByte (inclusive) and base64 layerPartBlob; parts
                               must follow each other with no gap or overlap and match their range,
                               else InvalidLayerPartException with lastValidByteReceived (-1 when
                               nothing was received yet). Part bytes go to a file in the state
                               directory (a temporary one unless --state-dir), never kept in memory.
                               Answers lastByteReceived.
  CompleteLayerUpload          EmptyUploadException (no parts), LayerPartTooSmallException (a part
                               other than the last is below --min-part-size, 5 MiB like ECR),
                               InvalidLayerException (the bytes do not hash to the digest),
                               LayerAlreadyExistsException (the registry has the blob already),
                               UploadNotFoundException (unknown upload, or another repository's);
                               otherwise the assembled file is pushed to the registry in one
                               monolithic upload (POST, then PUT ?digest=) and the upload is gone.
Each of them first asks the upstream (moto) DescribeRepositories with the caller's Authorization
header, so a missing repository gets moto's RepositoryNotFoundException, as from ECR. A request
without an AWS4-HMAC-SHA256 Authorization header gets MissingAuthenticationTokenException. The
double's own registry requests carry `User-Agent: ecr-double`, so that a test can tell them from
the client's in the registry's access log.

--part-delay SECONDS waits that long before taking each UploadLayerPart (a slow link).

--require-access-key KEY answers every request (local or proxied) that is signed with another access
key with UnrecognizedClientException (HTTP 400), as ECR answers keys it does not know: a test of
per-side credentials then proves which key each side used. Counted as "rejected_keys".

Every other action (GetAuthorizationToken, CreateRepository, PutImage, ...) is proxied unchanged to
--upstream, so the double in front of moto is a fuller ECR.

--mode unsupported-batch-check answers BatchCheckLayerAvailability exactly as moto answers actions it
does not implement (HTTP 500, text/html "Internal Server Error" page), to test clients' fallback;
--mode unsupported-layer-upload does the same for InitiateLayerUpload, UploadLayerPart and
CompleteLayerUpload (BatchCheckLayerAvailability still answered).

GET /_double/stats returns JSON: {"mode", "actions": {Action: count, ...} (every action received,
local or proxied), "proxied", "registry_heads", "registry_pushes", "checked_digests",
"open_uploads", "state_dir"}. POST /_double/reset zeroes the counters.

Python standard library only.
"""

import argparse
import base64
import binascii
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921."
JSON_TYPE = "application/x-amz-json-1.1"
CHUNK = 64 * 1024
UPSTREAM_TIMEOUT = 120
MIB = 1024 * 1024
# Sent on the double's own registry requests, so that tests can tell them from the client's in
# the registry's access log.
USER_AGENT = "ecr-double"
MODES = ("full", "unsupported-batch-check", "unsupported-layer-upload")
UNSUPPORTED = {
    "full": (),
    "unsupported-batch-check": ("BatchCheckLayerAvailability",),
    "unsupported-layer-upload": ("InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"),
}
LOCAL_ACTIONS = ("BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload")
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "expect", "host", "content-length",
}
# A layer digest ECR can look up: ALGORITHM:HEX, with the algorithm's length for sha256 and sha512.
DIGEST_PATTERN = re.compile(r"^[a-zA-Z0-9_+.-]+:[a-fA-F0-9]+$")
DIGEST_HEX_LENGTHS = {"sha256": 64, "sha512": 128}


def is_valid_digest(digest):
    if not DIGEST_PATTERN.match(digest):
        return False
    algorithm, _, hex_part = digest.partition(":")
    return len(hex_part) == DIGEST_HEX_LENGTHS.get(algorithm, len(hex_part))
# What moto (Werkzeug) sends for an action it does not implement.
MOTO_UNSUPPORTED_BODY = (
    b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
    b"<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to "
    b"complete your request. Either the server is overloaded or there is an error in the application.</p>\n")


def log(message):
    sys.stderr.write("ecr-double: %s\n" % message)
    sys.stderr.flush()


def parse_address(text):
    text = text.strip()
    if "://" in text:
        parsed = urllib.parse.urlsplit(text)
        if parsed.scheme != "http":
            raise argparse.ArgumentTypeError("only http:// is supported: %s" % text)
        text = parsed.netloc
    host, sep, port = text.rpartition(":")
    if not sep:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    try:
        return (host or "127.0.0.1", int(port))
    except ValueError:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)


class ECRFailure(Exception):
    """An ECR error answer: HTTP status, error code, message and extra members of the body."""

    def __init__(self, code, message, status=400, **fields):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields


class RawAnswer(Exception):
    """An answer to relay as it is (an upstream error for the repository check)."""

    def __init__(self, status, headers, body):
        super().__init__("raw answer %d" % status)
        self.status = status
        self.headers = headers
        self.body = body


class Upload:
    """One layer upload: its repository, the file its parts are appended to, the part sizes."""

    def __init__(self, upload_id, registry_id, repository, path):
        self.upload_id = upload_id
        self.registry_id = registry_id
        self.repository = repository
        self.path = path
        self.received = 0
        self.part_sizes = []
        self.lock = threading.Lock()


class Registry:
    """The local registry the double answers from and pushes to (plain HTTP, Basic auth)."""

    def __init__(self, address, user, password, state):
        self.address = address
        self.authorization = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.state = state

    def connection(self):
        return http.client.HTTPConnection(self.address[0], self.address[1], timeout=UPSTREAM_TIMEOUT)

    def blob_size(self, repository, digest):
        """The blob's size if the repository has it, None if not; ECRFailure on anything else."""
        self.state.count("registry_heads")
        conn = self.connection()
        try:
            conn.request("HEAD", "/v2/%s/blobs/%s" % (repository, digest),
                         headers={"Authorization": self.authorization, "User-Agent": USER_AGENT})
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                return int(resp.getheader("Content-Length") or 0)
            if resp.status == 404:
                return None
            raise ECRFailure("ServerException", "ecr-double: the registry answered HEAD %s with %d"
                             % (digest, resp.status), status=500)
        except OSError as error:
            raise ECRFailure("ServerException", "ecr-double: registry unreachable: %s" % error, status=500)
        finally:
            conn.close()

    def push(self, repository, digest, path):
        """Pushes a file as a blob in one monolithic upload (POST, then PUT ?digest=)."""
        self.state.count("registry_pushes")
        conn = self.connection()
        try:
            conn.request("POST", "/v2/%s/blobs/uploads/" % repository,
                         headers={"Authorization": self.authorization, "User-Agent": USER_AGENT,
                                  "Content-Length": "0"})
            resp = conn.getresponse()
            resp.read()
            location = resp.getheader("Location")
            if resp.status != 202 or not location:
                raise ECRFailure("ServerException", "ecr-double: the registry answered the upload POST with %d"
                                 % resp.status, status=500)
            target = urllib.parse.urlsplit(location)
            query = target.query + ("&" if target.query else "") + urllib.parse.urlencode({"digest": digest})
            size = os.path.getsize(path)
            conn.putrequest("PUT", target.path + "?" + query, skip_accept_encoding=True)
            conn.putheader("Authorization", self.authorization)
            conn.putheader("User-Agent", USER_AGENT)
            conn.putheader("Content-Type", "application/octet-stream")
            conn.putheader("Content-Length", str(size))
            conn.endheaders()
            with open(path, "rb") as source:
                while True:
                    piece = source.read(CHUNK)
                    if not piece:
                        break
                    conn.send(piece)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 201:
                raise ECRFailure("ServerException", "ecr-double: the registry answered the blob PUT with %d: %s"
                                 % (resp.status, body[:200].decode("utf-8", "replace")), status=500)
        except OSError as error:
            raise ECRFailure("ServerException", "ecr-double: registry unreachable: %s" % error, status=500)
        finally:
            conn.close()


class DoubleState:
    """Counters, open uploads and settings, shared by all handler threads."""

    def __init__(self, args, state_dir):
        self.mode = args.mode
        self.account = args.account
        self.upstream = args.upstream
        self.min_part_size = args.min_part_size
        self.max_part_size = args.max_part_size
        self.part_size = args.part_size
        self.required_access_key = args.require_access_key
        self.part_delay = args.part_delay
        self.state_dir = state_dir
        self.registry = Registry(args.registry, args.registry_user, args.registry_password, self)
        self.lock = threading.Lock()
        self.uploads = {}
        self.reset()

    def reset(self):
        with self.lock:
            self.actions = {}
            self.counters = {"proxied": 0, "registry_heads": 0, "registry_pushes": 0, "checked_digests": 0,
                             "rejected_keys": 0}

    def count_action(self, action):
        with self.lock:
            self.actions[action] = self.actions.get(action, 0) + 1

    def count(self, name, amount=1):
        with self.lock:
            self.counters[name] += amount

    def stats(self):
        with self.lock:
            result = {"mode": self.mode, "actions": dict(self.actions), "open_uploads": len(self.uploads),
                      "state_dir": self.state_dir}
            result.update(self.counters)
            return result

    def new_upload(self, registry_id, repository):
        upload_id = str(uuid.uuid4())
        path = os.path.join(self.state_dir, upload_id)
        open(path, "wb").close()
        upload = Upload(upload_id, registry_id, repository, path)
        with self.lock:
            self.uploads[upload_id] = upload
        return upload

    def find_upload(self, upload_id, registry_id, repository):
        with self.lock:
            upload = self.uploads.get(upload_id)
        if upload is None or upload.repository != repository or upload.registry_id != registry_id:
            raise ECRFailure("UploadNotFoundException",
                             "The upload with id '%s' could not be found, or is not valid for the repository '%s'"
                             " in the registry with id '%s'" % (upload_id, repository, registry_id))
        return upload

    def finish_upload(self, upload):
        with self.lock:
            self.uploads.pop(upload.upload_id, None)
        try:
            os.remove(upload.path)
        except OSError:
            pass


class DoubleHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 300
    state = None  # set on the subclass

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        log(format % args)

    # --- plumbing ---

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            pieces = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(pieces)
                pieces.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send_bytes(self, status, headers, body, reason=None):
        self.send_response_only(status, reason)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status, payload, extra_headers=()):
        headers = [("Content-Type", JSON_TYPE), ("x-amzn-RequestId", str(uuid.uuid4()))] + list(extra_headers)
        self.send_bytes(status, headers, json.dumps(payload).encode())

    def send_failure(self, failure):
        payload = {"__type": failure.code, "message": failure.message}
        payload.update(failure.fields)
        log('"%s %s" -> %d %s: %s' % (self.command, self.action_name(), failure.status, failure.code, failure.message))
        self.send_json(failure.status, payload, [("x-amzn-ErrorType", failure.code)])

    def action_name(self):
        target = self.headers.get("X-Amz-Target", "")
        return target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target

    # --- dispatch ---

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_double/"):
            return self.control(path)
        self.proxy(self.read_body())

    do_HEAD = do_PUT = do_DELETE = do_PATCH = do_GET

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_double/"):
            return self.control(path)
        body = self.read_body()
        action = self.action_name()
        if action:
            self.state.count_action(action)
        rejected = self.rejected_access_key()
        if rejected is not None:
            self.state.count("rejected_keys")
            log('"POST %s" -> 403 (access key not accepted here)' % action)
            return self.send_failure(ECRFailure(
                "UnrecognizedClientException", "The security token included in the request is invalid.", status=400))
        if action not in LOCAL_ACTIONS:
            return self.proxy(body)
        if action in UNSUPPORTED[self.state.mode]:
            log('"POST %s" -> 500 (unsupported, like moto)' % action)
            return self.send_bytes(500, [("Content-Type", "text/html; charset=utf-8")], MOTO_UNSUPPORTED_BODY,
                                   reason="INTERNAL SERVER ERROR")
        try:
            self.require_signature()
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                raise ECRFailure("SerializationException", "the request body is not JSON")
            if not isinstance(request, dict):
                raise ECRFailure("SerializationException", "the request body is not a JSON object")
            answer = getattr(self, "action_" + action)(request)
        except ECRFailure as failure:
            return self.send_failure(failure)
        except RawAnswer as raw:
            log('"POST %s" -> %d from the upstream repository check' % (action, raw.status))
            return self.send_bytes(raw.status, raw.headers, raw.body)
        log('"POST %s" -> 200' % action)
        self.send_json(200, answer)

    def control(self, path):
        self.read_body()
        if path == "/_double/stats" and self.command in ("GET", "HEAD"):
            return self.send_bytes(200, [("Content-Type", "application/json")], json.dumps(self.state.stats()).encode())
        if path == "/_double/reset" and self.command == "POST":
            self.state.reset()
            return self.send_bytes(204, [], b"")
        return self.send_bytes(404, [("Content-Type", "text/plain")], b"unknown control path\n")

    # --- upstream (moto) ---

    def forwarded_headers(self):
        return [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]

    def call_upstream(self, headers, body):
        host, port = self.state.upstream
        conn = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", "%s:%d" % (host, port))
            for key, value in headers:
                conn.putheader(key, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders()
            if body:
                conn.send(body)
            resp = conn.getresponse()
            payload = resp.read()
            kept = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
            return resp.status, resp.reason, kept, payload
        finally:
            conn.close()

    def proxy(self, body):
        self.state.count("proxied")
        try:
            status, reason, headers, payload = self.call_upstream(self.forwarded_headers(), body)
        except OSError as error:
            log('"%s %s %s" upstream failed: %s' % (self.command, self.path, self.action_name(), error))
            return self.send_bytes(502, [("Content-Type", "text/plain")], b"ecr-double: upstream failed\n")
        log('"%s %s" -> %d (proxied)' % (self.command, self.action_name() or self.path, status))
        self.send_bytes(status, headers, payload, reason=reason)

    def check_repository(self, registry_id, repository):
        """Asks moto whether the repository exists (with the caller's headers, so its region)."""
        headers = [(k, v) for k, v in self.forwarded_headers() if k.lower() != "x-amz-target"]
        headers.append(("X-Amz-Target", TARGET_PREFIX + "DescribeRepositories"))
        body = json.dumps({"registryId": registry_id, "repositoryNames": [repository]}).encode()
        try:
            status, _, answer_headers, payload = self.call_upstream(headers, body)
        except OSError as error:
            raise ECRFailure("ServerException", "ecr-double: upstream unreachable: %s" % error, status=500)
        if status != 200:
            raise RawAnswer(status, answer_headers, payload)

    # --- request validation ---

    def rejected_access_key(self):
        """With --require-access-key: the access key of a request signed with another one."""
        wanted = self.state.required_access_key
        if not wanted:
            return None
        match = re.search(r"Credential=([^/,\s]+)/", self.headers.get("Authorization", ""))
        key = match.group(1) if match else ""
        return None if key == wanted else key

    def require_signature(self):
        authorization = self.headers.get("Authorization", "")
        if not authorization.startswith("AWS4-HMAC-SHA256 "):
            raise ECRFailure("MissingAuthenticationTokenException", "Missing Authentication Token", status=403)

    @staticmethod
    def string_member(request, name):
        value = request.get(name)
        if not isinstance(value, str) or not value:
            raise ECRFailure("InvalidParameterException", "Invalid parameter: '%s' must be a non-empty string" % name)
        return value

    @staticmethod
    def integer_member(request, name):
        value = request.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ECRFailure("InvalidParameterException", "Invalid parameter: '%s' must be a non-negative integer" % name)
        return value

    def repository_of(self, request):
        registry_id = request.get("registryId") or self.state.account
        repository = self.string_member(request, "repositoryName")
        self.check_repository(registry_id, repository)
        return registry_id, repository

    # --- actions ---

    def action_BatchCheckLayerAvailability(self, request):
        digests = request.get("layerDigests")
        if not isinstance(digests, list) or not 1 <= len(digests) <= 100 \
                or not all(isinstance(d, str) for d in digests):
            raise ECRFailure("InvalidParameterException",
                             "Invalid parameter: 'layerDigests' must hold between 1 and 100 digests")
        registry_id, repository = self.repository_of(request)
        layers, failures = [], []
        self.state.count("checked_digests", len(digests))
        for digest in digests:
            if not is_valid_digest(digest):
                failures.append({"layerDigest": digest, "failureCode": "InvalidLayerDigest",
                                 "failureReason": "Invalid layer digest"})
                continue
            size = self.state.registry.blob_size(repository, digest)
            if size is None:
                failures.append({"layerDigest": digest, "failureCode": "MissingLayerDigest",
                                 "failureReason": "Could not find layer"})
            else:
                layers.append({"layerDigest": digest, "layerAvailability": "AVAILABLE", "layerSize": size})
        return {"layers": layers, "failures": failures}

    def action_InitiateLayerUpload(self, request):
        registry_id, repository = self.repository_of(request)
        upload = self.state.new_upload(registry_id, repository)
        return {"uploadId": upload.upload_id, "partSize": self.state.part_size}

    def action_UploadLayerPart(self, request):
        if self.state.part_delay:
            time.sleep(self.state.part_delay)
        registry_id, repository = self.repository_of(request)
        upload_id = self.string_member(request, "uploadId")
        first = self.integer_member(request, "partFirstByte")
        last = self.integer_member(request, "partLastByte")
        encoded = self.string_member(request, "layerPartBlob")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ECRFailure("InvalidParameterException", "Invalid parameter: 'layerPartBlob' is not base64")
        upload = self.state.find_upload(upload_id, registry_id, repository)
        with upload.lock:
            def invalid(reason):
                return ECRFailure("InvalidLayerPartException", reason, registryId=registry_id,
                                  repositoryName=repository, uploadId=upload_id,
                                  lastValidByteReceived=upload.received - 1)
            if first != upload.received:
                raise invalid("The part's first byte %d does not follow the last byte received (%d)"
                              % (first, upload.received - 1))
            if last < first or last - first + 1 != len(data):
                raise invalid("The part's range %d-%d does not match its %d bytes" % (first, last, len(data)))
            if len(data) > self.state.max_part_size:
                raise invalid("The part has %d bytes; at most %d are accepted" % (len(data), self.state.max_part_size))
            with open(upload.path, "ab") as sink:
                sink.write(data)
            upload.received += len(data)
            upload.part_sizes.append(len(data))
            received = upload.received
        return {"registryId": registry_id, "repositoryName": repository, "uploadId": upload_id,
                "lastByteReceived": received - 1}

    def action_CompleteLayerUpload(self, request):
        registry_id, repository = self.repository_of(request)
        upload_id = self.string_member(request, "uploadId")
        digests = request.get("layerDigests")
        if not isinstance(digests, list) or len(digests) != 1 or not isinstance(digests[0], str):
            raise ECRFailure("InvalidParameterException", "Invalid parameter: 'layerDigests' must hold one digest")
        digest = digests[0]
        upload = self.state.find_upload(upload_id, registry_id, repository)
        with upload.lock:
            if not upload.part_sizes:
                raise ECRFailure("EmptyUploadException", "The upload with id '%s' contains no layer parts" % upload_id)
            for index, size in enumerate(upload.part_sizes[:-1]):
                if size < self.state.min_part_size:
                    raise ECRFailure("LayerPartTooSmallException",
                                     "Layer part %d has %d bytes; every part but the last must have at least %d"
                                     % (index + 1, size, self.state.min_part_size))
            algorithm, _, expected = digest.partition(":")
            hasher = hashlib.sha256()
            with open(upload.path, "rb") as source:
                while True:
                    piece = source.read(CHUNK)
                    if not piece:
                        break
                    hasher.update(piece)
            actual = "sha256:" + hasher.hexdigest()
            if algorithm != "sha256" or expected.lower() != hasher.hexdigest():
                raise ECRFailure("InvalidLayerException",
                                 "The layer's digest is %s, not %s" % (actual, digest))
            if self.state.registry.blob_size(repository, actual) is not None:
                self.state.finish_upload(upload)
                raise ECRFailure("LayerAlreadyExistsException",
                                 "The layer %s already exists in the repository '%s'" % (actual, repository))
            self.state.registry.push(repository, actual, upload.path)
            self.state.finish_upload(upload)
        return {"registryId": registry_id, "repositoryName": repository, "uploadId": upload_id,
                "layerDigest": actual}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description="ECR control-plane test double (layer actions) in front of moto.")
    parser.add_argument("--listen", default="127.0.0.1:0", type=parse_address, help="HOST:PORT (port 0: any)")
    parser.add_argument("--upstream", required=True, type=parse_address, help="moto: http://HOST:PORT")
    parser.add_argument("--registry", required=True, type=parse_address, help="the local registry: HOST:PORT")
    parser.add_argument("--registry-user", default="AWS")
    parser.add_argument("--registry-password", required=True)
    parser.add_argument("--mode", default="full", choices=MODES)
    parser.add_argument("--account", default="123456789012", help="registryId when a request names none")
    parser.add_argument("--min-part-size", type=int, default=5 * MIB,
                        help="smallest part but the last (CompleteLayerUpload checks; ECR: 5 MiB)")
    parser.add_argument("--max-part-size", type=int, default=20 * MIB, help="largest part UploadLayerPart accepts")
    parser.add_argument("--part-size", type=int, default=10 * MIB, help="partSize InitiateLayerUpload answers")
    parser.add_argument("--part-delay", type=float, default=0.0,
                        help="seconds to wait before taking each UploadLayerPart (a slow link, for interruption tests)")
    parser.add_argument("--require-access-key", help="answer every request signed with another access key "
                        "with UnrecognizedClientException, as an account's ECR answers another account's keys")
    parser.add_argument("--state-dir", help="where upload parts are kept (default: a temporary directory)")
    args = parser.parse_args()

    own_state_dir = args.state_dir is None
    state_dir = tempfile.mkdtemp(prefix="ecr-double-") if own_state_dir else args.state_dir
    os.makedirs(state_dir, exist_ok=True)
    state = DoubleState(args, state_dir)
    handler = type("BoundDoubleHandler", (DoubleHandler,), {"state": state})
    server = Server(args.listen, handler)
    address = "%s:%d" % server.server_address[:2]

    stop = threading.Event()
    # A parent may have spawned us with these signals blocked (Foundation's Process does).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    sys.stdout.write("LISTENING %s\n" % address)
    sys.stdout.flush()
    log("listening on %s, upstream %s:%d, registry %s:%d, mode %s, parts in %s" % (
        address, args.upstream[0], args.upstream[1], args.registry[0], args.registry[1], args.mode, state_dir))
    while not stop.wait(0.5):
        pass
    log("stopping")
    server.shutdown()
    server.server_close()
    if own_state_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
