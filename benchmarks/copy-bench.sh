#!/usr/bin/env bash
# Registry-to-registry copy benchmark: skopeo vs smimg, on the loopback harness.
#
#   benchmarks/copy-bench.sh
#
# 1. Builds (once, cached in benchmarks/out/cache/, gitignored) an OCI layout holding one image of
#    8 gzip layers of random, incompressible data: 1088 MiB of blobs.
# 2. Pushes it to registry A ($SMIMG_TEST_REGISTRY/bench/source:1) with skopeo (skipped when it is
#    already there).
# 3. Times, with /usr/bin/time -v (wall time, peak RSS, CPU):
#      skopeo copy  A/bench/source:1 -> B/bench/skopeo-RUN:1
#      smimg copy   A/bench/source:1 -> B/bench/smimg-RUN:1
#      smimg copy   the same again (everything present: the no-op path)
#    and prints a table, the ratios, and what registry B's access log saw (blob uploads, mounts).
#
# The harness is used if it is up (.test-env/env), else started here and taken down at the end.
# Results are also written to benchmarks/out/last-run.txt.
#
# Environment:
#   SMIMG_BIN        smimg binary (default .build/release/smimg; build it with
#                    `swift build -c release`). Called as `$SMIMG_BIN copy docker://A/x:1 docker://B/y:1`.
#   BENCH_LAYER_MIB  layer sizes in MiB (default "256 192 160 128 128 96 64 64"); smaller values
#                    make a quick smoke run, e.g. BENCH_LAYER_MIB="8 8 8 8 8 8 8 8"
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=copy-bench
# shellcheck source=benchmarks/bench-lib.sh
. "$ROOT/benchmarks/bench-lib.sh"

bench_require_tools
bench_start_harness
bench_prepare_image
bench_skopeo_command

SKOPEO_REPO=bench/skopeo-$RUN_ID
SMIMG_REPO=bench/smimg-$RUN_ID
timed skopeo "$SKOPEO_REPO" "${SKOPEO_CMD[@]}" copy --quiet --src-tls-verify=false --dest-tls-verify=false \
  "docker://$A/bench/source:1" "docker://$B/$SKOPEO_REPO:1"
timed smimg "$SMIMG_REPO" "$SMIMG_BIN" copy "docker://$A/bench/source:1" "docker://$B/$SMIMG_REPO:1"
timed smimg-noop "$SMIMG_REPO" "$SMIMG_BIN" copy "docker://$A/bench/source:1" "docker://$B/$SMIMG_REPO:1"

# --- report ----------------------------------------------------------------------------------

{
  echo "copy-bench $RUN_ID: $A/bench/source:1 -> $B, $LAYER_COUNT layers + config, $BLOB_MIB MiB of blobs"
  echo "smimg: $SMIMG_BIN; $SKOPEO_CACHE_NOTE"
  echo
  bench_table skopeo smimg smimg-noop
  echo
  echo "smimg time / skopeo time:      $(ratio "${WALL[smimg]}" "${WALL[skopeo]}")   (below 1: smimg is faster)"
  echo "skopeo peak RSS / smimg RSS:   $(ratio "${RSS[skopeo]}" "${RSS[smimg]}")   (above 1: smimg uses less memory)"
  echo "smimg no-op time:              ${WALL[smimg-noop]} s"
  echo "(uploads/mounts: finished blob uploads and cross-repository mounts in registry B's access log"
  echo " during that run; a fresh destination repository needs $((LAYER_COUNT + 1)) uploads unless blobs are mounted)"
  for label in skopeo smimg; do
    [[ ${MOUNTS[$label]} == 0 ]] || echo "warning: $label mounted ${MOUNTS[$label]} blobs instead of copying them: its time is not comparable"
  done
} | tee "$OUT/last-run.txt"
bench_cleanup_skopeo_cache

bench_check skopeo smimg smimg-noop
