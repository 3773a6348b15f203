#!/usr/bin/env bash
# conda link benchmark (issue 6): a `conda:` step installing one large package (>= 300 MiB of
# payload, made here from the machine's shared libraries, like a CUDA toolkit package) as a
# layer, against what a Dockerfile `RUN conda install` amounts to for the layer: extracting the
# package (`tar -xjf`, or the .conda's inner `pkg-*.tar.zst` through `zstd -d | tar -x`) and
# `tar -c | gzip` of the result. Both formats, in the same run; prints the ratio.
#
# Usage: benchmarks/conda-link-bench.sh
# Environment:
#   SMIMG_BIN         smimg binary (default .build/release/smimg; `swift build -c release`)
#   CONDA_BENCH_MIB   payload size in MiB (default 320)
#   CONDA_BENCH_RUNS  runs of each command (default 3); the median is reported
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out/conda-${CONDA_BENCH_MIB:-320}"
smimg=${SMIMG_BIN:-$root/.build/release/smimg}
mib=${CONDA_BENCH_MIB:-320}
runs=${CONDA_BENCH_RUNS:-3}
mkdir -p "$out"
[[ -x $smimg ]] || { echo "no smimg binary at $smimg: swift build -c release, or set SMIMG_BIN" >&2; exit 1; }
for tool in tar gzip zstd bzip2 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

# 1. The package, made once: payload copied from /usr/lib until it reaches the size, a text file
#    with the prefix placeholder, info/index.json and info/paths.json; packed both ways.
pkg="$out/pkg"
if [[ ! -f "$out/package.complete" ]]; then
    rm -rf "$pkg" && mkdir -p "$pkg/lib" "$pkg/info" "$pkg/bin"
    want=$((mib * 1048576))
    { find /usr/lib /usr/share /opt/swift -xdev -type f -size +16k -size -32M 2>/dev/null || true; } | while read -r file; do
        have=$(du -sb "$pkg/lib" | cut -f1)
        (( have >= want )) && break
        name=$(echo "${file#/}" | tr / _)
        cp "$file" "$pkg/lib/$name" 2>/dev/null || true
    done || true
    printf '#!/opt/anaconda1anaconda2anaconda3/bin/python\nprint("big")\n' > "$pkg/bin/big-tool"
    chmod 755 "$pkg/bin/big-tool"
    python3 - "$pkg" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
paths = []
for directory, _, files in os.walk(root):
    for name in files:
        full = os.path.join(directory, name)
        rel = os.path.relpath(full, root)
        if rel.startswith("info/"):
            continue
        digest = hashlib.sha256(open(full, "rb").read()).hexdigest()
        entry = {"_path": rel, "path_type": "hardlink", "sha256": digest, "size_in_bytes": os.path.getsize(full)}
        if rel == "bin/big-tool":
            entry.update({"prefix_placeholder": "/opt/anaconda1anaconda2anaconda3", "file_mode": "text"})
        paths.append(entry)
paths.sort(key=lambda p: p["_path"])
json.dump({"paths": paths, "paths_version": 1}, open(os.path.join(root, "info/paths.json"), "w"))
json.dump({"name": "bigpkg", "version": "1.0", "build": "0", "build_number": 0, "depends": [], "subdir": "linux-64"},
          open(os.path.join(root, "info/index.json"), "w"))
PY
    echo "packing $(du -sh "$pkg" | cut -f1) as .tar.bz2 and .conda ..." >&2
    (cd "$pkg" && tar -cjf "$out/bigpkg-1.0-0.tar.bz2" info bin lib)
    (cd "$pkg" && tar -cf - bin lib | zstd -q -T0 -19 --long=27 -c > "$out/pkg.tar.zst" 2>/dev/null || tar -cf - bin lib | zstd -q -T0 -15 -c > "$out/pkg.tar.zst")
    (cd "$pkg" && tar -cf - info | zstd -q -c > "$out/info.tar.zst")
    python3 - "$out" <<'PY'
import sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + "/bigpkg-1.0-0.conda", "w", zipfile.ZIP_STORED) as z:
    z.writestr("metadata.json", '{"conda_pkg_format_version": 2}')
    z.write(out + "/pkg.tar.zst", "pkg-bigpkg-1.0-0.tar.zst")
    z.write(out + "/info.tar.zst", "info-bigpkg-1.0-0.tar.zst")
PY
    touch "$out/package.complete"
fi
payload_bytes=$(du -sb "$pkg/lib" | cut -f1)

# 2. A base with a conda prefix (python and conda-meta only), as an OCI layout.
base="$out/base"
if [[ ! -d "$base/layout" ]]; then
    rm -rf "$base" && mkdir -p "$base/prefix/conda-meta" "$base/prefix/bin"
    echo '{"name": "python", "version": "3.11.0", "build": "h0_0", "build_number": 0, "depends": [], "files": []}' \
        > "$base/prefix/conda-meta/python-3.11.0-h0_0.json"
    printf 'image: bench/conda-base:1\nbase: scratch\nsteps:\n  - copy: {src: prefix/, dest: /opt/conda/}\n' > "$base/base.yml"
    SMIMG_CACHE="$base/cache" "$smimg" build "$base/base.yml" --output "oci:$base/layout:base" >/dev/null
fi

results="$out/results.tsv"
: > "$results"
# shellcheck source=benchmarks/timed-run.sh
. "$here/timed-run.sh"

extract_conda='python3 -c "import shutil, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); n = [x for x in z.namelist() if x.startswith(\"pkg-\")][0]; shutil.copyfileobj(z.open(n), sys.stdout.buffer, 1 << 20)"'
for _ in $(seq "$runs"); do
    for format in tar.bz2 conda; do
        package="$out/bigpkg-1.0-0.$format"
        if [[ $format == tar.bz2 ]]; then
            unpack="tar -xjf '$package' -C '$out/work/x'"
        else
            unpack="$extract_conda '$package' | zstd -q -d -c | tar -x -C '$out/work/x'"
        fi
        run "extract .$format + tar | gzip" "mkdir -p '$out/work/x' && $unpack && tar -C '$out/work/x' -cf - . | gzip -c > '$out/work/layer.tar.gz'"
        printf 'image: bench/conda:1\nbase: oci:base/layout:base\nsteps:\n  - conda: {install: [%s]}\n' "bigpkg-1.0-0.$format" > "$out/recipe.yml"
        run "smimg build (.$format)" "SMIMG_CACHE='$out/work/cache' '$smimg' build '$out/recipe.yml' --no-cache --output 'oci:$out/work/image:1' > /dev/null 2>&1"
    done
done

echo "payload: $((payload_bytes / 1048576)) MiB"
report_medians
ratio "extract .tar.bz2 + tar | gzip" "smimg build (.tar.bz2)" ".tar.bz2"
ratio "extract .conda + tar | gzip" "smimg build (.conda)" ".conda"
