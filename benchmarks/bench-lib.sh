# Shared parts of the registry benchmarks (copy-bench.sh, mirror-bench.sh): sourced, not run.
# The caller sets ROOT and BENCH_NAME, and may set BENCH_LAYER_MIB, before sourcing.

OUT="$ROOT/benchmarks/out"
SMIMG_BIN=${SMIMG_BIN:-$ROOT/.build/release/smimg}
read -r -a LAYER_MIB <<< "${BENCH_LAYER_MIB:-256 192 160 128 128 96 64 64}"
SPEC=$(IFS=-; echo "${LAYER_MIB[*]}")
LAYOUT="$OUT/cache/layout-$SPEC"
RUN_ID=$(date +%Y%m%d%H%M%S)-$$
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

say() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }

bench_require_tools() {
  [[ -x $SMIMG_BIN ]] || die "no smimg binary at $SMIMG_BIN: build it with \`swift build -c release\` or set SMIMG_BIN"
  [[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time, or run scripts/test-env.sh up)"
  ((${#LAYER_MIB[@]} > 0)) || die "BENCH_LAYER_MIB is empty"
  mkdir -p "$OUT"
}

# --- harness: the loopback one when it is up, else started here and taken down at exit ---------

STARTED_HARNESS=0
cleanup() {
  if [[ $STARTED_HARNESS == 1 ]]; then
    say "taking down the harness this run started"
    "$ROOT/scripts/test-env.sh" down || true
  fi
}

harness_answers() {
  [[ -f $ROOT/.test-env/env ]] || return 1
  local registry
  registry=$(sed -n 's/^SMIMG_TEST_REGISTRY=//p' "$ROOT/.test-env/env")
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$registry/v2/" || true) == 200 ]]
}

bench_start_harness() {
  trap cleanup EXIT
  if ! harness_answers; then
    say "harness not up: starting it"
    STARTED_HARNESS=1
    "$ROOT/scripts/test-env.sh" up > /dev/null
  fi
  set -a
  # shellcheck disable=SC1091
  . "$ROOT/.test-env/env"
  set +a
  A=$SMIMG_TEST_REGISTRY
  B=$SMIMG_TEST_REGISTRY2
}

# --- the image: random gzip layers in an OCI layout, built once, pushed to A/bench/source:1 ---

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

build_layout() {
  local work="$OUT/cache/work" i mib tar_diff hex size
  rm -rf "$work" "$LAYOUT"
  mkdir -p "$work" "$LAYOUT/blobs/sha256"
  local layers_json="" diff_ids_json="" history_json=""
  for i in "${!LAYER_MIB[@]}"; do
    mib=${LAYER_MIB[$i]}
    say "layer $((i + 1))/${#LAYER_MIB[@]}: $mib MiB of random data"
    rm -rf "$work/root"
    mkdir -p "$work/root/data"
    openssl rand -out "$work/root/data/layer-$i.bin" $((mib * 1024 * 1024))
    touch -d @0 "$work/root/data" "$work/root/data/layer-$i.bin"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$work/root" -cf - data \
      | tee >(sha256sum | cut -d' ' -f1 > "$work/diff_id") \
      | igzip -1 -n -c > "$work/layer.gz"
    # tee's process substitution may finish after the pipeline: wait for its result.
    for _ in $(seq 100); do [[ -s $work/diff_id ]] && break; sleep 0.05; done
    tar_diff=$(cat "$work/diff_id")
    rm -f "$work/diff_id"
    hex=$(sha256_of "$work/layer.gz")
    size=$(stat -c %s "$work/layer.gz")
    mv "$work/layer.gz" "$LAYOUT/blobs/sha256/$hex"
    layers_json+="${layers_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$size}"
    diff_ids_json+="${diff_ids_json:+,}\"sha256:$tar_diff\""
    history_json+="${history_json:+,}{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"copy-bench layer $i\"}"
  done
  rm -rf "$work"
  local config="$OUT/cache/config.json" manifest="$OUT/cache/manifest.json" chex mhex
  printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
    "$diff_ids_json" "$history_json" > "$config"
  chex=$(sha256_of "$config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$chex" "$(stat -c %s "$config")" "$layers_json" > "$manifest"
  mhex=$(sha256_of "$manifest")
  mv "$config" "$LAYOUT/blobs/sha256/$chex"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}' \
    "$mhex" "$(stat -c %s "$manifest")" > "$LAYOUT/index.json"
  mv "$manifest" "$LAYOUT/blobs/sha256/$mhex"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$LAYOUT/oci-layout"
  touch "$LAYOUT/.complete"
}

manifest_digest() { # REGISTRY REPO TAG
  curl -s -I --max-time 10 \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$1/v2/$2/manifests/$3" | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:" {print $2}'
}

bench_prepare_image() {
  if [[ ! -f $LAYOUT/.complete ]]; then
    say "building the benchmark image in $LAYOUT (once)"
    mkdir -p "$OUT/cache"
    build_layout
  fi
  SOURCE_DIGEST=$(jq -r '.manifests[0].digest' "$LAYOUT/index.json")
  MANIFEST_FILE="$LAYOUT/blobs/sha256/${SOURCE_DIGEST#sha256:}"
  LAYER_COUNT=$(jq '.layers | length' "$MANIFEST_FILE")
  BLOB_BYTES=$(jq '([.layers[].size] | add) + .config.size' "$MANIFEST_FILE")
  BLOB_MIB=$(awk -v b="$BLOB_BYTES" 'BEGIN { printf "%.0f", b / 1048576 }')
  if [[ $(manifest_digest "$A" bench/source 1) != "$SOURCE_DIGEST" ]]; then
    say "pushing the benchmark image to $A/bench/source:1 ($BLOB_MIB MiB)"
    skopeo copy --quiet --dest-tls-verify=false "oci:$LAYOUT:bench" "docker://$A/bench/source:1" \
      || die "skopeo could not push the benchmark image"
  fi
}

# --- timed runs ------------------------------------------------------------------------------

declare -A WALL RSS CPU STATUS UPLOADS MOUNTS DIGEST_OK

# timed LABEL DEST_REPO COMMAND...
timed() {
  local label=$1 repo=$2; shift 2
  local timefile="$OUT/time-$RUN_ID-$label.txt" before after
  before=$(wc -l < "$SMIMG_TEST_REGISTRY2_LOG")
  say "running $label: $*"
  local status=0
  /usr/bin/time -v -o "$timefile" "$@" > "$OUT/output-$RUN_ID-$label.txt" 2>&1 || status=$?
  after=$(wc -l < "$SMIMG_TEST_REGISTRY2_LOG")
  STATUS[$label]=$status
  WALL[$label]=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$timefile")
  RSS[$label]=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$timefile")
  CPU[$label]=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$timefile")
  # Registry B's access log lines for this run: finished blob uploads and cross-repo mounts.
  UPLOADS[$label]=$(sed -n "$((before + 1)),${after}p" "$SMIMG_TEST_REGISTRY2_LOG" \
    | grep -c '^[0-9.]* - - .*"PUT /v2/[^ ]*/blobs/uploads/[^ ]* HTTP/1.1" 201' || true)
  MOUNTS[$label]=$(sed -n "$((before + 1)),${after}p" "$SMIMG_TEST_REGISTRY2_LOG" \
    | grep -c '^[0-9.]* - - .*"POST /v2/[^ ]*/blobs/uploads/?[^ ]*mount=[^ ]* HTTP/1.1" 201' || true)
  if [[ $(manifest_digest "$B" "$repo" 1) == "$SOURCE_DIGEST" ]]; then DIGEST_OK[$label]=same; else DIGEST_OK[$label]=DIFFERENT; fi
  if [[ $status != 0 ]]; then
    say "$label exited with status $status; output: $OUT/output-$RUN_ID-$label.txt"
    tail -n 5 "$OUT/output-$RUN_ID-$label.txt" >&2
  fi
}

bench_skopeo_command() {
  # skopeo remembers where it has seen blobs (/var/lib/containers/cache) and then mounts them from
  # another repository instead of copying: give it an empty cache, as on a fresh machine, so that
  # it copies every blob like smimg has to. Needs `unshare --mount` (root); else noted in the report.
  SKOPEO_CMD=(skopeo)
  SKOPEO_CACHE_NOTE="skopeo ran with its usual blob-info cache"
  if unshare --mount --propagation private true 2> /dev/null; then
    mkdir -p /var/lib/containers/cache "$OUT/skopeo-cache-$RUN_ID"
    SKOPEO_CMD=(unshare --mount --propagation private bash -c \
      'mount --bind "$0" /var/lib/containers/cache && exec skopeo "$@"' "$OUT/skopeo-cache-$RUN_ID")
    SKOPEO_CACHE_NOTE="skopeo ran with an empty blob-info cache"
  fi
}

bench_cleanup_skopeo_cache() { rm -rf "$OUT/skopeo-cache-$RUN_ID"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
throughput() { awk -v s="$1" -v m="$BLOB_MIB" 'BEGIN { if (s > 0) printf "%.0f", m / s; else print "n/a" }'; }

# bench_table LABEL...: one row per timed run.
bench_table() {
  printf '%-20s %8s %8s %13s %6s %9s %8s %8s %7s\n' run "wall s" "MiB/s" "peak RSS MiB" CPU uploads mounts digest status
  local label
  for label in "$@"; do
    printf '%-20s %8s %8s %13s %6s %9s %8s %8s %7s\n' "$label" "${WALL[$label]}" \
      "$([[ ${UPLOADS[$label]} == 0 ]] && echo - || throughput "${WALL[$label]}")" "${RSS[$label]}" "${CPU[$label]}" \
      "${UPLOADS[$label]}" "${MOUNTS[$label]}" "${DIGEST_OK[$label]}" "${STATUS[$label]}"
  done
}

# bench_check LABEL...: fails the run if any of them failed or wrote another digest.
bench_check() {
  local label
  for label in "$@"; do
    [[ ${STATUS[$label]} == 0 && ${DIGEST_OK[$label]} == same ]] || die "$label failed (status ${STATUS[$label]}, digest ${DIGEST_OK[$label]})"
  done
}
