#!/usr/bin/env bash
# smimg loopback test harness.
#
#   scripts/test-env.sh up       install what is missing, start the services, push the fixtures,
#                                write .test-env/env (a second `up` while all is healthy is a no-op;
#                                a half-up environment is taken down and started again)
#   scripts/test-env.sh down     stop exactly the processes `up` started (pid files), remove .test-env/
#   scripts/test-env.sh status   print what runs and whether it answers
#
# Runs as root on Debian 12 without stdin. Every service listens on loopback only, on a free port
# picked at start, and keeps its state (config, storage, logs, pid file) in .test-env/<service>/
# in the repository root (gitignored).
#
# Variables written to .test-env/env (KEY=VALUE lines, no quoting needed; `set -a; . .test-env/env`):
#   SMIMG_TEST_HARNESS=1                  the harness is up
#   SMIMG_TEST_REGISTRY                   127.0.0.1:PORT  registry A, plain HTTP, no auth; holds the fixtures
#   SMIMG_TEST_REGISTRY_LOG               registry A's log file (access log lines + registry log lines)
#   SMIMG_TEST_REGISTRY2                  127.0.0.1:PORT  registry B, plain HTTP, no auth, starts empty
#   SMIMG_TEST_REGISTRY2_LOG              registry B's log file
#   SMIMG_TEST_AUTH_REGISTRY              127.0.0.1:PORT  plain HTTP, htpasswd Basic auth
#   SMIMG_TEST_AUTH_USER                  smimg
#   SMIMG_TEST_AUTH_PASSWORD              random hex, generated anew by each `up`
#   SMIMG_TEST_AUTH_REGISTRY_LOG          its log file
#   SMIMG_TEST_TLS_REGISTRY               localhost:PORT  HTTPS, no auth, certificate for localhost/127.0.0.1
#   SMIMG_TEST_TLS_CA                     PEM file of the self-signed CA that signed the server certificate
#   SMIMG_TEST_TLS_CERT_DIR               directory holding only ca.crt (for `skopeo --cert-dir`)
#   SMIMG_TEST_TLS_REGISTRY_LOG           its log file
#   SMIMG_TEST_ECR_REGISTRY               127.0.0.1:PORT  plain HTTP, htpasswd user AWS, password
#                                         123456789012-auth-token (what moto's ECR token decodes to)
#   SMIMG_TEST_ECR_USER                   AWS
#   SMIMG_TEST_ECR_PASSWORD               123456789012-auth-token
#   SMIMG_TEST_ECR_REGISTRY_LOG           its log file
#   SMIMG_TEST_TOKEN_REGISTRY             127.0.0.1:PORT  plain HTTP, Docker token (Bearer) auth through
#                                         the token server below (distribution's `auth.token`)
#   SMIMG_TEST_TOKEN_USER                 smimg-token (pull, push and delete on every repository)
#   SMIMG_TEST_TOKEN_PASSWORD             random hex, generated anew by each `up`
#   SMIMG_TEST_TOKEN_REGISTRY_LOG         its log file
#   SMIMG_TEST_TOKEN_SERVER               http://127.0.0.1:PORT  scripts/token-server.py: GET/POST /token
#                                         issues RS256 JWTs the registry accepts; GET /_stats counts
#                                         token requests and lists the tokens issued
#   SMIMG_TEST_TOKEN_SERVER_LOG           its log file (one line per request, no secrets)
#   SMIMG_TEST_TOKEN_SERVICE              smimg-test (the `service` of the challenge)
#   SMIMG_TEST_TOKEN_EXPIRES_IN           300: seconds a token lives...
#   SMIMG_TEST_TOKEN_SHORT_LIVED_PREFIX   expiring/: ...except when a requested repository's name
#   SMIMG_TEST_TOKEN_SHORT_EXPIRES_IN     3          starts with this prefix (for renewal tests)
#   SMIMG_TEST_MOTO                       http://127.0.0.1:PORT  moto server (ECR/STS/IAM control plane)
#   SMIMG_TEST_MOTO_LOG                   moto's log file
#   SMIMG_TEST_ECR_CN_REGISTRY            127.0.0.1:PORT  a second "ECR" registry, playing the China
#                                         partition's account 210987654321: htpasswd user AWS, password
#   SMIMG_TEST_ECR_CN_PASSWORD            210987654321-auth-token (what moto-cn's token decodes to)
#   SMIMG_TEST_ECR_CN_ACCOUNT             210987654321
#   SMIMG_TEST_ECR_CN_REGISTRY_LOG        its log file
#   SMIMG_TEST_MOTO_CN                    http://127.0.0.1:PORT  a second moto, started with
#                                         MOTO_ACCOUNT_ID=210987654321: the China side's control plane
#   SMIMG_TEST_MOTO_CN_LOG                its log file
#   SMIMG_TEST_FIXTURE_MULTILAYER_DIGEST  manifest digest of $SMIMG_TEST_REGISTRY/fixtures/multilayer:v1
#   SMIMG_TEST_FIXTURE_MULTIARCH_DIGEST   index digest of $SMIMG_TEST_REGISTRY/fixtures/multiarch:v1
#   SMIMG_TEST_FIXTURE_DOCKER_DIGEST      manifest digest of $SMIMG_TEST_REGISTRY/fixtures/docker:v1
#   SMIMG_TEST_FIXTURE_LAYOUT             OCI layout the fixtures were built in (tags multilayer,
#                                         multiarch, amd64, arm64); read-only for tests, copy it first
#   SMIMG_TEST_FAULT_PROXY                absolute path of scripts/fault-proxy.py
#   SMIMG_TEST_PYTHON                     the real python3 interpreter (to run the fault proxy)
#   SMIMG_TEST_STATE                      the .test-env directory
#
# Fixture images (pushed with skopeo, built with umoci from deterministic content):
#   $SMIMG_TEST_REGISTRY/fixtures/multilayer:v1   OCI manifest, 4 gzip layers (the last one a whiteout),
#                                                 config with Entrypoint, Env, WorkingDir
#   $SMIMG_TEST_REGISTRY/fixtures/multiarch:v1    OCI index: linux/amd64 + linux/arm64 manifests
#   $SMIMG_TEST_REGISTRY/fixtures/docker:v1       the multilayer image with Docker schema2 media types
#   $SMIMG_TEST_AUTH_REGISTRY/fixtures/multilayer:v1, $SMIMG_TEST_TLS_REGISTRY/fixtures/multilayer:v1
#   and $SMIMG_TEST_TOKEN_REGISTRY/fixtures/multilayer:v1
#                                                 the same image, for pulls through auth, TLS and tokens
#
# Token auth: the token registry's challenge is `Bearer realm="$SMIMG_TEST_TOKEN_SERVER/token",
# service="smimg-test"`. With Basic credentials of the token user the server grants what is asked
# among pull, push and delete; without credentials it issues a token that grants nothing (as a
# private registry does), so the registry then answers 401 insufficient_scope; a wrong password
# gets 401 from the token server. `POST /token` speaks the OAuth2 form (grant_type=password with
# access_type=offline returns a refresh token; grant_type=refresh_token accepts refresh tokens the
# server issued). Details and the JWT format: the docstring of scripts/token-server.py.
#
# Setting SMIMG_TEST_READY_TIMEOUT (seconds, default 30) changes how long `up` waits for each
# service to answer.
#
# Each registry's log file receives its access log (one Apache-style line per request, e.g.
# `"PUT /v2/x/blobs/uploads/...?digest=sha256:... HTTP/1.1" 201`) and its own log lines.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/.test-env"
ENV_FILE="$STATE/env"
SERVICES=(registry registry2 auth tls ecr moto token-server token-registry ecr-cn moto-cn)
AUTH_USER=smimg
TOKEN_USER=smimg-token
TOKEN_SERVICE=smimg-test
TOKEN_ISSUER=smimg-test-issuer
TOKEN_EXPIRES_IN=300
TOKEN_SHORT_LIVED_PREFIX=expiring/
TOKEN_SHORT_EXPIRES_IN=3
ECR_USER=AWS
ECR_PASSWORD=123456789012-auth-token
ECR_CN_ACCOUNT=210987654321
ECR_CN_PASSWORD=$ECR_CN_ACCOUNT-auth-token
READY_TIMEOUT=${SMIMG_TEST_READY_TIMEOUT:-30}
APT_PACKAGES=(docker-registry skopeo umoci apache2-utils openssl curl jq isal pigz zstd time
  libarchive-dev libisal-dev libzstd-dev ca-certificates)
FIXTURE_TIME=2024-01-01T00:00:00Z
export NO_PROXY=127.0.0.1,127.0.0.2,localhost no_proxy=127.0.0.1,127.0.0.2,localhost
export DEBIAN_FRONTEND=noninteractive

log() { printf '[test-env] %s\n' "$*" >&2; }
die() { printf '[test-env] error: %s\n' "$*" >&2; exit 1; }

# --- processes -------------------------------------------------------------------------------

# Start time of a live process (field 22 of /proc/PID/stat), to tell our process from a recycled
# pid. Fails for a process that is gone or a zombie waiting to be reaped.
proc_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  local rest=${stat##*) }
  # shellcheck disable=SC2086
  set -- $rest
  [[ $1 != Z && $1 != X ]] || return 1
  printf '%s\n' "${20}"
}

# Prints the pid recorded for a service if that very process still runs.
service_pid() {
  local file="$STATE/$1/pid" pid start now
  [[ -f $file ]] || return 1
  read -r pid start < "$file" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  now=$(proc_start_time "$pid") || return 1
  [[ $now == "$start" ]] || return 1
  printf '%s\n' "$pid"
}

# launch SERVICE LOGFILE COMMAND...: runs COMMAND in its own session, detached from our stdio and
# from the lock, and records "pid starttime" in .test-env/SERVICE/pid.
launch() {
  local service=$1 logfile=$2; shift 2
  local dir="$STATE/$service" pid start i
  rm -f "$dir/pid" "$dir/pid.tmp"
  setsid bash -c 'echo "$$" > "$0.tmp"; exec "$@"' "$dir/pid" "$@" \
    < /dev/null >> "$logfile" 2>&1 9<&- &
  for ((i = 0; i < 100; i++)); do
    [[ -s "$dir/pid.tmp" ]] && break
    sleep 0.02
  done
  [[ -s "$dir/pid.tmp" ]] || die "$service did not start (see $logfile)"
  read -r pid < "$dir/pid.tmp"
  start=$(proc_start_time "$pid") || die "$service exited at once (see $logfile): $(tail -n 5 "$logfile")"
  printf '%s %s\n' "$pid" "$start" > "$dir/pid"
  rm -f "$dir/pid.tmp"
}

# Sends SIGTERM to every running service, waits up to 5 s for all, then SIGKILLs what is left.
stop_services() {
  local service pid i
  local -A pids=()
  for service in "$@"; do
    pid=$(service_pid "$service") || continue
    kill -TERM "$pid" 2> /dev/null && pids[$service]=$pid
  done
  for ((i = 0; i < 50 && ${#pids[@]} > 0; i++)); do
    for service in "${!pids[@]}"; do
      if ! service_pid "$service" > /dev/null; then
        log "stopped $service (pid ${pids[$service]})"
        unset "pids[$service]"
      fi
    done
    ((${#pids[@]} == 0)) || sleep 0.1
  done
  for service in "${!pids[@]}"; do
    kill -KILL "${pids[$service]}" 2> /dev/null || true
    log "killed $service (pid ${pids[$service]}): it ignored SIGTERM for 5 s"
  done
}

# --- installation ----------------------------------------------------------------------------

POLICY_RC=/usr/sbin/policy-rc.d
CREATED_POLICY_RC=0
remove_policy_rc() {
  if [[ $CREATED_POLICY_RC == 1 ]]; then rm -f "$POLICY_RC"; CREATED_POLICY_RC=0; fi
}

APT_UPDATED=0
apt_install() {
  [[ $# -gt 0 ]] || return 0
  [[ $(id -u) == 0 ]] || die "missing packages ($*) and not root: install them or run as root"
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\n# created by smimg scripts/test-env.sh: no service auto-start\nexit 101\n' > "$POLICY_RC"
    chmod 755 "$POLICY_RC"
    CREATED_POLICY_RC=1
  fi
  if [[ $APT_UPDATED == 0 ]]; then
    log "apt-get update"
    apt-get update -qq < /dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" < /dev/null \
    || die "apt-get install $* failed"
  remove_policy_rc
}

install_apt_packages() {
  local missing=() package status
  local -A state=()
  while read -r package status; do
    state[$package]=$status
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${APT_PACKAGES[@]}" 2> /dev/null || true)
  for package in "${APT_PACKAGES[@]}"; do
    [[ ${state[$package]:-} == installed ]] || missing+=("$package")
  done
  command -v python3 > /dev/null || missing+=(python3)
  apt_install "${missing[@]}"
  # A pyenv shim forks: use the interpreter itself so that $! is moto's pid.
  PYTHON=$(python3 -c 'import sys; print(sys.executable)') || die "python3 does not run"
}

PYTHON=""
install_moto() {
  "$PYTHON" -c 'import moto.server' 2> /dev/null && return 0
  if ! "$PYTHON" -m pip --version > /dev/null 2>&1; then
    if [[ $PYTHON == /usr/bin/* ]]; then apt_install python3-pip; else "$PYTHON" -m ensurepip; fi
  fi
  log "pip install moto[server] (for $PYTHON)"
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$PYTHON" -m pip install -q 'moto[server]>=5,<6' < /dev/null || die "pip install moto[server] failed"
  "$PYTHON" -c 'import moto.server' || die "moto.server still does not import after pip install"
}

# The token server signs with the `cryptography` package (a dependency of moto; installed here
# should moto ever stop bringing it).
install_cryptography() {
  "$PYTHON" -c 'import cryptography.x509' 2> /dev/null && return 0
  log "pip install cryptography (for $PYTHON)"
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$PYTHON" -m pip install -q cryptography < /dev/null || die "pip install cryptography failed"
}

# --- services --------------------------------------------------------------------------------

# Prints N distinct free loopback ports (all held at once while choosing, so they differ).
free_ports() {
  "$PYTHON" - "$1" <<'EOF'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
for s in held:
    s.close()
EOF
}

# write_registry_config SERVICE PORT [tls] [htpasswd] [token-realm]
write_registry_config() {
  local service=$1 port=$2 tls=${3:-} htpasswd=${4:-} realm=${5:-} dir="$STATE/$1"
  mkdir -p "$dir/data"
  {
    printf 'version: 0.1\n'
    printf 'log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n'
    printf 'storage:\n  filesystem:\n    rootdirectory: %s\n' "$dir/data"
    printf '  delete:\n    enabled: true\n'
    printf '  maintenance:\n    uploadpurging:\n      enabled: false\n'
    printf 'http:\n  addr: 127.0.0.1:%s\n  secret: smimg-test-harness-%s\n' "$port" "$service"
    if [[ -n $tls ]]; then
      printf '  tls:\n    certificate: %s\n    key: %s\n' "$STATE/tls/server.crt" "$STATE/tls/server.key"
    fi
    if [[ -n $htpasswd ]]; then
      printf 'auth:\n  htpasswd:\n    realm: smimg-test-%s\n    path: %s\n' "$service" "$htpasswd"
    fi
    if [[ -n $realm ]]; then
      printf 'auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n' \
        "$realm" "$TOKEN_SERVICE" "$TOKEN_ISSUER" "$STATE/token-server/token.crt"
    fi
  } > "$dir/config.yml"
}

make_tls_material() {
  local dir="$STATE/tls"
  mkdir -p "$dir/certs.d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=smimg test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2> "$dir/openssl.log" \
    || die "openssl could not create the CA: $(cat "$dir/openssl.log")"
  openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>> "$dir/openssl.log" \
    || die "openssl could not create the server key: $(cat "$dir/openssl.log")"
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
    'extendedKeyUsage=serverAuth' 'subjectAltName=DNS:localhost,IP:127.0.0.1' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>> "$dir/openssl.log" \
    || die "openssl could not sign the server certificate: $(cat "$dir/openssl.log")"
  openssl verify -CAfile "$dir/ca.crt" "$dir/server.crt" > /dev/null \
    || die "the server certificate does not verify against the CA"
  cp "$dir/ca.crt" "$dir/certs.d/ca.crt"
}

# HTTP status of URL ("000" when nothing answers).
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" 2> /dev/null || true
}

# wait_until_answers SERVICE EXPECTED_STATUS CURL_ARGS...
wait_until_answers() {
  local service=$1 expected=$2; shift 2
  local deadline=$((SECONDS + READY_TIMEOUT)) code
  while :; do
    code=$(http_status "$@")
    [[ $code == "$expected" ]] && return 0
    if ! service_pid "$service" > /dev/null; then
      die "$service exited while starting; last log lines:
$(tail -n 15 "$(service_log "$service")")"
    fi
    if ((SECONDS >= deadline)); then
      die "$service did not answer $expected on ${*: -1} within ${READY_TIMEOUT}s (last status $code); log: $(service_log "$service")"
    fi
    sleep 0.1
  done
}

service_log() { printf '%s\n' "$STATE/$1/$1.log"; }

# start_registry SERVICE PORT [tls] [htpasswd] [token-realm]; retries on a port taken meanwhile.
start_registry() {
  local service=$1 port=$2 tls=${3:-} htpasswd=${4:-} realm=${5:-} scheme=http host=127.0.0.1 expected=200
  [[ -n $tls ]] && { scheme=https; host=localhost; }
  [[ -n $htpasswd || -n $realm ]] && expected=401
  for _ in 1 2 3; do
    write_registry_config "$service" "$port" "$tls" "$htpasswd" "$realm"
    launch "$service" "$(service_log "$service")" /usr/bin/docker-registry serve "$STATE/$service/config.yml"
    sleep 0.1
    if ! service_pid "$service" > /dev/null && grep -q 'address already in use' "$(service_log "$service")"; then
      log "$service: port $port was taken meanwhile, picking another"
      port=$(free_ports 1)
      continue
    fi
    wait_until_answers "$service" "$expected" --cacert "$STATE/tls/ca.crt" "$scheme://$host:$port/v2/"
    echo "$port" > "$STATE/$service/port"
    return 0
  done
  die "$service could not bind a port"
}

# start_moto SERVICE PORT [ACCOUNT]: moto as SERVICE; with ACCOUNT, every request is in that
# account (MOTO_ACCOUNT_ID), so its ECR tokens decode to ACCOUNT-auth-token.
start_moto() {
  local service=$1 port=$2 account=${3:-}
  mkdir -p "$STATE/$service"
  local prefix=()
  [[ -n $account ]] && prefix=(env "MOTO_ACCOUNT_ID=$account")
  for _ in 1 2 3; do
    launch "$service" "$(service_log "$service")" "${prefix[@]}" "$PYTHON" -m moto.server -H 127.0.0.1 -p "$port"
    sleep 0.2
    if ! service_pid "$service" > /dev/null && grep -qi 'address already in use' "$(service_log "$service")"; then
      log "$service: port $port was taken meanwhile, picking another"
      port=$(free_ports 1)
      continue
    fi
    wait_until_answers "$service" 200 "http://127.0.0.1:$port/moto-api/"
    echo "$port" > "$STATE/$service/port"
    return 0
  done
  die "$service could not bind a port"
}

# The token server's signing key and its self-signed certificate (the registry's rootcertbundle).
make_token_material() {
  local dir="$STATE/token-server"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=smimg test token issuer" \
    -keyout "$dir/token.key" -out "$dir/token.crt" 2> "$dir/openssl.log" \
    || die "openssl could not create the token signing key: $(cat "$dir/openssl.log")"
  "$PYTHON" -c 'import secrets; print(secrets.token_hex(16))' > "$dir/password"
  chmod 600 "$dir/password" "$dir/token.key"
}

start_token_server() {
  local port=$1 dir="$STATE/token-server"
  for _ in 1 2 3; do
    launch token-server "$(service_log token-server)" "$PYTHON" "$ROOT/scripts/token-server.py" \
      --listen "127.0.0.1:$port" --key "$dir/token.key" --cert "$dir/token.crt" \
      --issuer "$TOKEN_ISSUER" --service "$TOKEN_SERVICE" --user "$TOKEN_USER" --password-file "$dir/password" \
      --expires-in "$TOKEN_EXPIRES_IN" --short-lived-prefix "$TOKEN_SHORT_LIVED_PREFIX" \
      --short-expires-in "$TOKEN_SHORT_EXPIRES_IN"
    sleep 0.2
    if ! service_pid token-server > /dev/null && grep -qi 'address already in use' "$(service_log token-server)"; then
      log "token-server: port $port was taken meanwhile, picking another"
      port=$(free_ports 1)
      continue
    fi
    wait_until_answers token-server 200 "http://127.0.0.1:$port/_stats"
    echo "$port" > "$dir/port"
    return 0
  done
  die "token-server could not bind a port"
}

port_of() { cat "$STATE/$1/port"; }

# --- fixtures --------------------------------------------------------------------------------

# deterministic_bytes SEED SIZE FILE
deterministic_bytes() {
  "$PYTHON" -c 'import random, sys; open(sys.argv[3], "wb").write(random.Random(sys.argv[1]).randbytes(int(sys.argv[2])))' "$@"
}

# layer_tar DIR OUT: a reproducible tar of DIR's contents (sorted, mtime 0, owner 0).
layer_tar() {
  local dir=$1 out=$2 entries
  find "$dir" -exec touch -h -d @0 {} +
  mapfile -t entries < <(cd "$dir" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$dir" -cf "$out" "${entries[@]}"
}

# add_layer IMAGE TAR
add_layer() {
  umoci raw add-layer --image "$1" --history.created "$FIXTURE_TIME" \
    --history.created_by "smimg test fixture" "$2" > /dev/null
}

build_fixtures() {
  local work="$STATE/fixtures/work" layout="$STATE/fixtures/layout"
  rm -rf "$work" "$layout"
  mkdir -p "$work"
  umoci init --layout "$layout" > /dev/null

  # multilayer: base files, an app layer (~768 KiB random), a config layer, a whiteout layer.
  umoci new --image "$layout:multilayer" > /dev/null
  mkdir -p "$work/l1/bin" "$work/l1/etc" "$work/l1/usr/share/fixture" "$work/l2/app" "$work/l3/etc" \
    "$work/l4/usr/share/fixture"
  printf '#!/bin/sh\necho "hello from the smimg fixture ($FIXTURE)"\n' > "$work/l1/bin/hello"
  chmod 755 "$work/l1/bin/hello"
  printf 'NAME=smimg-fixture\nVERSION_ID=1\n' > "$work/l1/etc/os-release"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$work/l1/etc/passwd"
  deterministic_bytes base 262144 "$work/l1/usr/share/fixture/random.bin"
  printf 'removed by the last layer\n' > "$work/l1/usr/share/fixture/remove-me.txt"
  deterministic_bytes app 786432 "$work/l2/app/data.bin"
  printf 'smimg fixture application\n' > "$work/l2/app/README"
  ln -s data.bin "$work/l2/app/current"
  printf 'key=value\n' > "$work/l3/etc/app.conf"
  : > "$work/l4/usr/share/fixture/.wh.remove-me.txt"
  local i
  for i in 1 2 3 4; do
    layer_tar "$work/l$i" "$work/l$i.tar"
    add_layer "$layout:multilayer" "$work/l$i.tar"
  done
  umoci config --image "$layout:multilayer" --created "$FIXTURE_TIME" --history.created "$FIXTURE_TIME" \
    --author "smimg test harness" --os linux --architecture amd64 \
    --config.entrypoint /bin/hello --config.cmd default \
    --config.env FIXTURE=multilayer --config.env PATH=/usr/local/bin:/usr/bin:/bin \
    --config.workingdir /app --config.label org.opencontainers.image.title=smimg-fixture

  # multiarch: two single-layer images, then an index listing both.
  local arch
  for arch in amd64 arm64; do
    umoci new --image "$layout:$arch" > /dev/null
    mkdir -p "$work/$arch/etc"
    printf '%s\n' "$arch" > "$work/$arch/etc/arch"
    deterministic_bytes "$arch" 65536 "$work/$arch/etc/payload.bin"
    layer_tar "$work/$arch" "$work/$arch.tar"
    add_layer "$layout:$arch" "$work/$arch.tar"
    umoci config --image "$layout:$arch" --created "$FIXTURE_TIME" --history.created "$FIXTURE_TIME" \
      --os linux --architecture "$arch" --config.cmd /bin/sh --config.env "FIXTURE=multiarch-$arch"
  done
  umoci gc --layout "$layout"
  "$PYTHON" - "$layout" <<'EOF'
import hashlib, json, os, sys
layout = sys.argv[1]
index_path = os.path.join(layout, "index.json")
top = json.load(open(index_path))
by_name = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in top["manifests"]}
entries = []
for arch in ("amd64", "arm64"):
    m = by_name[arch]
    entries.append({"mediaType": m["mediaType"], "digest": m["digest"], "size": m["size"],
                    "platform": {"architecture": arch, "os": "linux"}})
index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
         "manifests": entries}
raw = json.dumps(index, separators=(",", ":"), sort_keys=True).encode()
digest = hashlib.sha256(raw).hexdigest()
with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
    f.write(raw)
top["manifests"].append({"mediaType": "application/vnd.oci.image.index.v1+json",
                         "digest": "sha256:" + digest, "size": len(raw),
                         "annotations": {"org.opencontainers.image.ref.name": "multiarch"}})
tmp = index_path + ".tmp"
with open(tmp, "w") as f:
    json.dump(top, f)
os.replace(tmp, index_path)
EOF
  rm -rf "$work"
}

skopeo_push() { # SOURCE DESTINATION [extra skopeo copy flags]
  local source=$1 destination=$2; shift 2
  skopeo copy --quiet --dest-tls-verify=false "$@" "$source" "$destination" > "$STATE/fixtures/skopeo.log" 2>&1 \
    || die "skopeo copy $source $destination failed: $(cat "$STATE/fixtures/skopeo.log")"
}

# manifest_digest REGISTRY REPO TAG
manifest_digest() {
  curl -sf -I --max-time 5 \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$1/v2/$2/manifests/$3" | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:" {print $2}'
}

push_fixtures() {
  local layout="$STATE/fixtures/layout" registry
  registry="127.0.0.1:$(port_of registry)"
  skopeo_push "oci:$layout:multilayer" "docker://$registry/fixtures/multilayer:v1"
  skopeo_push "oci:$layout:multiarch" "docker://$registry/fixtures/multiarch:v1" --all
  skopeo_push "oci:$layout:multilayer" "docker://$registry/fixtures/docker:v1" --format v2s2
  skopeo_push "oci:$layout:multilayer" "docker://127.0.0.1:$(port_of auth)/fixtures/multilayer:v1" \
    --dest-creds "$AUTH_USER:$(cat "$STATE/auth/password")"
  skopeo_push "oci:$layout:multilayer" "docker://localhost:$(port_of tls)/fixtures/multilayer:v1" \
    --dest-cert-dir "$STATE/tls/certs.d" --dest-tls-verify=true
  skopeo_push "oci:$layout:multilayer" "docker://127.0.0.1:$(port_of token-registry)/fixtures/multilayer:v1" \
    --dest-creds "$TOKEN_USER:$(cat "$STATE/token-server/password")"

  local raw
  raw=$(skopeo inspect --raw --tls-verify=false "docker://$registry/fixtures/multiarch:v1")
  jq -e '.mediaType == "application/vnd.oci.image.index.v1+json" and (.manifests | length) == 2
         and ([.manifests[].platform.architecture] | sort) == ["amd64", "arm64"]' <<< "$raw" > /dev/null \
    || die "fixtures/multiarch:v1 is not an index of linux/amd64 + linux/arm64: $raw"
  raw=$(skopeo inspect --raw --tls-verify=false "docker://$registry/fixtures/multilayer:v1")
  # umoci writes OCI manifests without the optional mediaType field; skopeo keeps them as they are.
  jq -e '(.mediaType // "application/vnd.oci.image.manifest.v1+json") == "application/vnd.oci.image.manifest.v1+json"
         and .config.mediaType == "application/vnd.oci.image.config.v1+json" and (.layers | length) >= 3' <<< "$raw" > /dev/null \
    || die "fixtures/multilayer:v1 is not an OCI manifest with 3+ layers: $raw"
  raw=$(skopeo inspect --raw --tls-verify=false "docker://$registry/fixtures/docker:v1")
  jq -e '.mediaType == "application/vnd.docker.distribution.manifest.v2+json"
         and .config.mediaType == "application/vnd.docker.container.image.v1+json"' <<< "$raw" > /dev/null \
    || die "fixtures/docker:v1 does not have Docker schema2 media types: $raw"
}

# --- commands --------------------------------------------------------------------------------

write_env() {
  local registry tmp="$ENV_FILE.tmp" name digest
  registry="127.0.0.1:$(port_of registry)"
  {
    echo "SMIMG_TEST_HARNESS=1"
    echo "SMIMG_TEST_REGISTRY=$registry"
    echo "SMIMG_TEST_REGISTRY_LOG=$(service_log registry)"
    echo "SMIMG_TEST_REGISTRY2=127.0.0.1:$(port_of registry2)"
    echo "SMIMG_TEST_REGISTRY2_LOG=$(service_log registry2)"
    echo "SMIMG_TEST_AUTH_REGISTRY=127.0.0.1:$(port_of auth)"
    echo "SMIMG_TEST_AUTH_USER=$AUTH_USER"
    echo "SMIMG_TEST_AUTH_PASSWORD=$(cat "$STATE/auth/password")"
    echo "SMIMG_TEST_AUTH_REGISTRY_LOG=$(service_log auth)"
    echo "SMIMG_TEST_TLS_REGISTRY=localhost:$(port_of tls)"
    echo "SMIMG_TEST_TLS_CA=$STATE/tls/ca.crt"
    echo "SMIMG_TEST_TLS_CERT_DIR=$STATE/tls/certs.d"
    echo "SMIMG_TEST_TLS_REGISTRY_LOG=$(service_log tls)"
    echo "SMIMG_TEST_ECR_REGISTRY=127.0.0.1:$(port_of ecr)"
    echo "SMIMG_TEST_ECR_USER=$ECR_USER"
    echo "SMIMG_TEST_ECR_PASSWORD=$ECR_PASSWORD"
    echo "SMIMG_TEST_ECR_REGISTRY_LOG=$(service_log ecr)"
    echo "SMIMG_TEST_TOKEN_REGISTRY=127.0.0.1:$(port_of token-registry)"
    echo "SMIMG_TEST_TOKEN_USER=$TOKEN_USER"
    echo "SMIMG_TEST_TOKEN_PASSWORD=$(cat "$STATE/token-server/password")"
    echo "SMIMG_TEST_TOKEN_REGISTRY_LOG=$(service_log token-registry)"
    echo "SMIMG_TEST_TOKEN_SERVER=http://127.0.0.1:$(port_of token-server)"
    echo "SMIMG_TEST_TOKEN_SERVER_LOG=$(service_log token-server)"
    echo "SMIMG_TEST_TOKEN_SERVICE=$TOKEN_SERVICE"
    echo "SMIMG_TEST_TOKEN_EXPIRES_IN=$TOKEN_EXPIRES_IN"
    echo "SMIMG_TEST_TOKEN_SHORT_LIVED_PREFIX=$TOKEN_SHORT_LIVED_PREFIX"
    echo "SMIMG_TEST_TOKEN_SHORT_EXPIRES_IN=$TOKEN_SHORT_EXPIRES_IN"
    echo "SMIMG_TEST_MOTO=http://127.0.0.1:$(port_of moto)"
    echo "SMIMG_TEST_MOTO_LOG=$(service_log moto)"
    echo "SMIMG_TEST_ECR_CN_REGISTRY=127.0.0.1:$(port_of ecr-cn)"
    echo "SMIMG_TEST_ECR_CN_ACCOUNT=$ECR_CN_ACCOUNT"
    echo "SMIMG_TEST_ECR_CN_PASSWORD=$ECR_CN_PASSWORD"
    echo "SMIMG_TEST_ECR_CN_REGISTRY_LOG=$(service_log ecr-cn)"
    echo "SMIMG_TEST_MOTO_CN=http://127.0.0.1:$(port_of moto-cn)"
    echo "SMIMG_TEST_MOTO_CN_LOG=$(service_log moto-cn)"
    for name in multilayer multiarch docker; do
      digest=$(manifest_digest "$registry" "fixtures/$name" v1)
      [[ $digest == sha256:* ]] || die "no digest for fixtures/$name:v1"
      echo "SMIMG_TEST_FIXTURE_${name^^}_DIGEST=$digest"
    done
    echo "SMIMG_TEST_FIXTURE_LAYOUT=$STATE/fixtures/layout"
    echo "SMIMG_TEST_FAULT_PROXY=$ROOT/scripts/fault-proxy.py"
    echo "SMIMG_TEST_PYTHON=$PYTHON"
    echo "SMIMG_TEST_STATE=$STATE"
  } > "$tmp"
  mv "$tmp" "$ENV_FILE"
}

# Endpoint check used by `status` and by the fast path of `up`: prints the HTTP status.
probe() {
  local service=$1 port
  port=$(port_of "$service" 2> /dev/null) || { echo "-"; return; }
  case $service in
    tls) http_status --cacert "$STATE/tls/ca.crt" "https://localhost:$port/v2/" ;;
    moto | moto-cn) http_status "http://127.0.0.1:$port/moto-api/" ;;
    token-server) http_status "http://127.0.0.1:$port/_stats" ;;
    *) http_status "http://127.0.0.1:$port/v2/" ;;
  esac
}

expected_status() {
  case $1 in auth | ecr | ecr-cn | token-registry) echo 401 ;; *) echo 200 ;; esac
}

healthy() {
  [[ -f $ENV_FILE ]] || return 1
  local service
  for service in "${SERVICES[@]}"; do
    service_pid "$service" > /dev/null || return 1
    [[ $(probe "$service") == "$(expected_status "$service")" ]] || return 1
  done
  [[ -n $(manifest_digest "127.0.0.1:$(port_of registry)" fixtures/multiarch v1) ]]
}

cmd_up() {
  local started=$SECONDS
  install_apt_packages
  if healthy; then
    log "already up ($ENV_FILE)"
    return 0
  fi
  install_moto
  install_cryptography
  if [[ -e $STATE ]]; then
    log "an earlier environment is incomplete or stopped: taking it down first"
    cmd_down
  fi
  mkdir -p "$STATE"
  for service in "${SERVICES[@]}"; do mkdir -p "$STATE/$service"; done
  UP_IN_PROGRESS=1   # if anything below fails, on_exit stops what was started

  make_tls_material
  "$PYTHON" -c 'import secrets; print(secrets.token_hex(16))' > "$STATE/auth/password"
  chmod 600 "$STATE/auth/password"
  htpasswd -Bbc "$STATE/auth/htpasswd" "$AUTH_USER" "$(cat "$STATE/auth/password")" 2> /dev/null \
    || die "htpasswd failed"
  htpasswd -Bbc "$STATE/ecr/htpasswd" "$ECR_USER" "$ECR_PASSWORD" 2> /dev/null || die "htpasswd failed"
  htpasswd -Bbc "$STATE/ecr-cn/htpasswd" "$ECR_USER" "$ECR_CN_PASSWORD" 2> /dev/null || die "htpasswd failed"
  make_token_material

  local ports
  read -r -a ports <<< "$(free_ports 10)"
  start_moto moto "${ports[5]}" &   # moto takes about a second: start it while the registries start
  local moto_job=$!
  start_moto moto-cn "${ports[9]}" "$ECR_CN_ACCOUNT" &
  local moto_cn_job=$!
  start_registry registry "${ports[0]}"
  start_registry registry2 "${ports[1]}"
  start_registry auth "${ports[2]}" "" "$STATE/auth/htpasswd"
  start_registry tls "${ports[3]}" tls
  start_registry ecr "${ports[4]}" "" "$STATE/ecr/htpasswd"
  start_registry ecr-cn "${ports[8]}" "" "$STATE/ecr-cn/htpasswd"
  start_token_server "${ports[6]}"
  start_registry token-registry "${ports[7]}" "" "" "http://127.0.0.1:$(port_of token-server)/token"
  build_fixtures
  push_fixtures
  wait "$moto_job" || die "moto did not start (see $(service_log moto))"
  wait "$moto_cn_job" || die "moto-cn did not start (see $(service_log moto-cn))"
  write_env
  UP_IN_PROGRESS=0
  log "up in $((SECONDS - started)) s; variables in $ENV_FILE"
  cmd_status
}

cmd_down() {
  stop_services "${SERVICES[@]}"
  rm -rf "$STATE"
}

cmd_status() {
  if [[ ! -d $STATE ]]; then
    echo "test environment: down (no $STATE)"
    return 0
  fi
  local service pid port address
  printf '%-15s %-22s %-8s %-8s %s\n' SERVICE ADDRESS PID PROCESS HTTP
  for service in "${SERVICES[@]}"; do
    port=$(port_of "$service" 2> /dev/null || echo "?")
    case $service in
      tls) address="localhost:$port" ;;
      *) address="127.0.0.1:$port" ;;
    esac
    if pid=$(service_pid "$service"); then
      printf '%-15s %-22s %-8s %-8s %s\n' "$service" "$address" "$pid" running "$(probe "$service")"
    else
      printf '%-15s %-22s %-8s %-8s %s\n' "$service" "$address" - stopped -
    fi
  done
  if [[ -f $ENV_FILE ]]; then echo "variables: $ENV_FILE"; else echo "variables: not written (up did not finish)"; fi
}

UP_IN_PROGRESS=0
on_exit() {
  local status=$?
  remove_policy_rc
  if [[ $UP_IN_PROGRESS == 1 && $status != 0 ]]; then
    UP_IN_PROGRESS=0
    log "up failed: stopping what was started"
    cmd_down
  fi
}

main() {
  [[ $# == 1 ]] || { echo "usage: $0 up|down|status" >&2; exit 2; }
  # One command at a time per checkout. Children close fd 9 so they never hold the lock.
  exec 9< "$ROOT"
  flock 9
  trap on_exit EXIT
  case $1 in
    up) cmd_up ;;
    down) cmd_down; log "down" ;;
    status) cmd_status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
}

main "$@"
