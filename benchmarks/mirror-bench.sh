#!/usr/bin/env bash
# Mirror benchmark: `smimg mirror` vs `skopeo copy`, registry to registry on the loopback harness.
#
#   benchmarks/mirror-bench.sh
#
# 1. Builds (once, cached in benchmarks/out/cache/) an OCI layout of one image of random,
#    incompressible gzip layers: 10 layers, 2304 MiB of blobs by default (copy-bench.sh's builder).
# 2. Pushes it to registry A ($SMIMG_TEST_REGISTRY/bench/source:1), then tags it 2..10 there.
# 3. Times, with /usr/bin/time -v (wall, peak RSS):
#      skopeo copy       A/bench/source:1 -> B/mirror-skopeo-RUN:1   (empty blob-info cache)
#      smimg mirror      A/bench/source:1 -> B/mirror-smimg-RUN      (the same image)
#      smimg mirror      --config: the 10 tags -> B/mirror-smimg-RUN (first run writes 9 new tags)
#      skopeo copy x10   the 10 tags again, everything present, tags too (skopeo's no-op)
#      smimg mirror      --config again, everything present            (smimg's no-op)
#    and prints the ratios. The brief's targets: the big copy no slower than skopeo, and a no-op
#    mirror of 10 images in under 1 s of wall time.
#
# Environment: SMIMG_BIN (default .build/release/smimg), BENCH_LAYER_MIB (layer sizes, default
# "256 256 256 256 256 256 256 256 128 128"; e.g. "8 8 8" for a quick smoke run).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=mirror-bench
BENCH_LAYER_MIB=${BENCH_LAYER_MIB:-256 256 256 256 256 256 256 256 128 128}
# shellcheck source=benchmarks/bench-lib.sh
. "$ROOT/benchmarks/bench-lib.sh"

bench_require_tools
bench_start_harness
bench_prepare_image

for n in 2 3 4 5 6 7 8 9 10; do
  if [[ $(manifest_digest "$A" bench/source "$n") != "$SOURCE_DIGEST" ]]; then
    skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$A/bench/source:1" "docker://$A/bench/source:$n"
  fi
done

SKOPEO_REPO=bench/mirror-skopeo-$RUN_ID
SMIMG_REPO=bench/mirror-smimg-$RUN_ID
CONFIG="$OUT/mirror-$RUN_ID.yml"
printf 'source: {registry: "%s"}\ndestination: {registry: "%s"}\nimages:\n  - repository: bench/source\n    to: %s\n    tags: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n' \
  "$A" "$B" "$SMIMG_REPO" > "$CONFIG"
export SMIMG_CACHE="$OUT/cache/smimg-$RUN_ID"

# skopeo copy of the 10 tags, one after another (skopeo has no multi-image copy of tags).
SKOPEO_TEN=(bash -c 'for n in 1 2 3 4 5 6 7 8 9 10; do
  skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$0/bench/source:$n" "docker://$1/$2:$n" || exit 1
done' "$A" "$B")

bench_skopeo_command
timed skopeo "$SKOPEO_REPO" "${SKOPEO_CMD[@]}" copy --quiet --src-tls-verify=false --dest-tls-verify=false \
  "docker://$A/bench/source:1" "docker://$B/$SKOPEO_REPO:1"
timed smimg "$SMIMG_REPO" "$SMIMG_BIN" mirror --quiet "$A/bench/source:1" "$B/$SMIMG_REPO"
timed smimg-config "$SMIMG_REPO" "$SMIMG_BIN" mirror --quiet --config "$CONFIG"
"${SKOPEO_TEN[@]}" "$SKOPEO_REPO"   # writes tags 2..10 (untimed), so that the next run is a no-op
timed skopeo-noop-10 "$SKOPEO_REPO" "${SKOPEO_TEN[@]}" "$SKOPEO_REPO"
timed smimg-noop-10 "$SMIMG_REPO" "$SMIMG_BIN" mirror --quiet --config "$CONFIG"

{
  echo "mirror-bench $RUN_ID: $A/bench/source -> $B, $LAYER_COUNT layers + config, $BLOB_MIB MiB of blobs"
  echo "smimg: $SMIMG_BIN; $SKOPEO_CACHE_NOTE"
  echo
  bench_table skopeo smimg smimg-config skopeo-noop-10 smimg-noop-10
  echo
  echo "smimg mirror time / skopeo copy time (one image, $BLOB_MIB MiB): $(ratio "${WALL[smimg]}" "${WALL[skopeo]}")   (below 1: smimg is faster)"
  echo "skopeo peak RSS / smimg peak RSS:                          $(ratio "${RSS[skopeo]}" "${RSS[smimg]}")   (above 1: smimg uses less)"
  echo "no-op of 10 images, smimg mirror / skopeo copy x10:        $(ratio "${WALL[smimg-noop-10]}" "${WALL[skopeo-noop-10]}")"
  echo "no-op of 10 images, smimg wall time:                       ${WALL[smimg-noop-10]} s (target: under 1 s)"
} | tee "$OUT/mirror-last-run.txt"
rm -rf "$SMIMG_CACHE"
bench_cleanup_skopeo_cache
bench_check skopeo smimg smimg-config skopeo-noop-10 smimg-noop-10
