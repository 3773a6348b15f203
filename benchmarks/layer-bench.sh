#!/usr/bin/env bash
# Layer-writing benchmark (issue 4): smimg's layer writer against `tar -c | gzip -6` (what docker
# and BuildKit produce), `tar -c | igzip -3` (ISA-L CLI) and `tar -c | zstd -3`, in one run on the
# same tree, with throughput, compressed sizes and peak RSS.
#
# Usage: benchmarks/layer-bench.sh
# Environment:
#   SMIMG             smimg binary (default .build/release/smimg; build with `swift build -c release`)
#   SMIMG_LAYER_CMD   command that writes a layer, instead of "$SMIMG bench layer"
#   LAYER_BENCH_MIN   tree size in bytes (default 1 GiB)
#   LAYER_BENCH_RUNS  runs of each command (default 3); the median run is reported
#   LAYER_BENCH_SKIP_GZIP6=1  reuse the last gzip -6 figures (it takes ~1 minute per GiB)
#   LAYER_BENCH_EXTRA="gzip:2 gzip:3"  more smimg configurations to time
#
# The tree (copies of /usr/lib/x86_64-linux-gnu, /usr/share, /opt/swift until it reaches the
# size) is made once and kept in benchmarks/out/ (gitignored). Every run reads it from the page
# cache (it is read once before timing) and starts after `sync`, so the figures measure CPU
# work, not the disk or the write-back of the previous run's output.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
tree="$out/tree"
min_bytes=${LAYER_BENCH_MIN:-1073741824}
runs=${LAYER_BENCH_RUNS:-3}
smimg=${SMIMG:-$root/.build/release/smimg}
layer_cmd=${SMIMG_LAYER_CMD:-"$smimg bench layer"}
mkdir -p "$out"

for tool in gzip igzip zstd tar python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install isal zstd time)" >&2; exit 1; }
done

# 1. The tree, made once.
if [[ ! -f "$out/tree.complete" ]]; then
    rm -rf "$tree"
    mkdir -p "$tree"
    for source in /usr/lib/x86_64-linux-gnu /usr/share /opt/swift; do
        [[ -d "$source" ]] || continue
        echo "copying $source ..." >&2
        cp -a --parents "$source" "$tree/" 2>/dev/null || true
        size=$(du -sb "$tree" | cut -f1)
        (( size >= min_bytes )) && break
    done
    size=$(du -sb "$tree" | cut -f1)
    if (( size < min_bytes )); then echo "tree is only $size bytes" >&2; exit 1; fi
    touch "$out/tree.complete"
fi

# 2. Warm the page cache and measure the uncompressed tar size.
tar_bytes=$(tar -C "$tree" -cf - . | wc -c)
files=$(find "$tree" | wc -l)
mib() { python3 -c "print(f'{$1/1048576:.1f}')"; }
echo "tree: $tree, $files entries, tar stream $(mib "$tar_bytes") MiB; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2

results="$out/results.tsv"
[[ "${LAYER_BENCH_SKIP_GZIP6:-}" == 1 && -f "$results" ]] && grep '^tar | gzip -6' "$results" > "$out/results.keep" || : > "$out/results.keep"
mv "$out/results.keep" "$results"

# Runs a shell pipeline under /usr/bin/time -v; records name, seconds, output bytes, peak RSS (KiB).
run() {
    local name=$1 command=$2 output=$3
    echo "running: $name" >&2
    sync
    sleep 1
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$out/time.txt" sh -c "$command"
    end=$(date +%s.%N)
    local rss
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$out/time.txt")
    local bytes
    bytes=$(stat -c %s "$output")
    printf '%s\t%s\t%s\t%s\n' "$name" "$(python3 -c "print($end - $start)")" "$bytes" "$rss" >> "$results"
}

for _ in $(seq "$runs"); do
    if [[ "${LAYER_BENCH_SKIP_GZIP6:-}" != 1 ]] || ! grep -q '^tar | gzip -6' "$results"; then
        run "tar | gzip -6" "tar -C '$tree' -cf - . | gzip -6 > '$out/gzip6.tar.gz'" "$out/gzip6.tar.gz"
    fi
    run "tar | igzip -3" "tar -C '$tree' -cf - . | igzip -3 -c > '$out/igzip3.tar.gz'" "$out/igzip3.tar.gz"
    run "tar | zstd -3" "tar -C '$tree' -cf - . | zstd -q -3 -c > '$out/zstd3.tar.zst'" "$out/zstd3.tar.zst"
done

# smimg: the layer is written into a store; its JSON line names the blob.
smimg_run() {
    local codec=$1 level=${2:-}
    local name="smimg $codec${level:+ -$level}"
    local args="--compression $codec --store '$out/store'"
    [[ -n "$level" ]] && args="$args --level $level"
    rm -rf "$out/store"
    run "$name" "$layer_cmd '$tree' $args > '$out/smimg.json'" "$out/smimg.json"
    local blob
    blob=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['path'])" "$out/smimg.json")
    # Replace the JSON's size by the blob's size in the last line of results.
    python3 - "$results" "$blob" <<'PY'
import os, sys
path, blob = sys.argv[1], sys.argv[2]
lines = open(path).read().splitlines()
name, seconds, _, rss = lines[-1].split("\t")
lines[-1] = "\t".join([name, seconds, str(os.path.getsize(blob)), rss])
open(path, "w").write("\n".join(lines) + "\n")
PY
    cat "$out/smimg.json" >&2
    if [[ $codec == gzip ]]; then gzip -t "$blob"; else zstd -q -t "$blob"; fi
}
for _ in $(seq "$runs"); do
    smimg_run gzip
    smimg_run zstd
    for extra in ${LAYER_BENCH_EXTRA:-}; do smimg_run "${extra%%:*}" "${extra#*:}"; done
done

# 3. Report.
python3 - "$results" "$tar_bytes" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines() if line]
tar_bytes = int(sys.argv[2])
names = list(dict.fromkeys(r[0] for r in rows))
def median_row(name):
    runs = sorted((r for r in rows if r[0] == name), key=lambda r: float(r[1]))
    return runs[(len(runs) - 1) // 2], [float(r[1]) for r in runs]
base, _ = median_row("tar | gzip -6")
base_speed = tar_bytes / float(base[1])
base_size = int(base[2])
print(f"{'command':<18} {'seconds':>8} {'MiB/s':>8} {'x gzip-6':>9} {'size MiB':>9} {'size x gzip-6':>14} {'peak RSS MiB':>13}  runs (s)")
for name in names:
    (name, seconds, size, rss), all_runs = median_row(name)
    speed = tar_bytes / float(seconds)
    spread = " ".join(f"{t:.2f}" for t in all_runs)
    print(f"{name:<18} {float(seconds):>8.2f} {speed/1048576:>8.1f} {speed/base_speed:>8.2f}x {int(size)/1048576:>9.1f} {int(size)/base_size:>13.3f}x {int(rss)/1024:>13.1f}  {spread}")
print(f"(median of the runs; throughput = {tar_bytes/1048576:.1f} MiB of tar stream / wall seconds; peak RSS = largest process of the pipeline)")
PY
