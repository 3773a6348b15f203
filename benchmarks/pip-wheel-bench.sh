#!/usr/bin/env bash
# pip wheel benchmark (issue 5): a `pip:` step installing one large wheel (>= 300 MiB of payload,
# made here from the machine's shared libraries, like a torch wheel) as a layer, against what a
# Dockerfile `RUN pip install` amounts to for the layer: `pip install --no-deps --target DIR`
# and `tar -c DIR | gzip`. Same run, same machine; prints the ratio.
#
# Usage: benchmarks/pip-wheel-bench.sh
# Environment:
#   SMIMG_BIN       smimg binary (default .build/release/smimg; `swift build -c release`)
#   PIP_BENCH_MIB   payload size in MiB (default 320)
#   PIP_BENCH_RUNS  runs of each command (default 3); the median is reported
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mib=${PIP_BENCH_MIB:-320}
out="$here/out/pip-$mib"
smimg=${SMIMG_BIN:-$root/.build/release/smimg}
runs=${PIP_BENCH_RUNS:-3}
python=${PYTHON:-python3}
mkdir -p "$out"
[[ -x $smimg ]] || { echo "no smimg binary at $smimg: swift build -c release, or set SMIMG_BIN" >&2; exit 1; }
"$python" -m pip --version >/dev/null || { echo "pip is needed as the reference (apt-get install python3-pip)" >&2; exit 1; }
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# 1. The wheel, made once: a package directory of copied libraries, zipped with a RECORD.
wheel="$out/bigwheel-1.0-py3-none-any.whl"
if [[ ! -f "$out/wheel.complete" ]]; then
    "$python" - "$out" "$mib" <<'PY'
import base64, hashlib, os, sys, zipfile
out, mib = sys.argv[1], int(sys.argv[2])
want = mib << 20
files, total = [], 0
for top in ("/usr/lib", "/usr/share", "/opt/swift"):
    for directory, _, names in os.walk(top):
        for name in sorted(names):
            path = os.path.join(directory, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            size = os.path.getsize(path)
            if 16 << 10 < size < 32 << 20 and total < want:
                files.append(path)
                total += size
        if total >= want:
            break
    if total >= want:
        break
rows = []
def h(data): return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
with zipfile.ZipFile(out + "/bigwheel-1.0-py3-none-any.whl", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for i, path in enumerate(files):
        member = "bigwheel/lib/%05d_%s" % (i, os.path.basename(path))
        data = open(path, "rb").read()
        z.writestr(member, data)
        rows.append("%s,%s,%d" % (member, h(data), len(data)))
    for member, data in (("bigwheel/__init__.py", b"BIG = True\n"),
                         ("bigwheel-1.0.dist-info/METADATA", b"Metadata-Version: 2.1\nName: bigwheel\nVersion: 1.0\n\n"),
                         ("bigwheel-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")):
        z.writestr(member, data)
        rows.append("%s,%s,%d" % (member, h(data), len(data)))
    rows.append("bigwheel-1.0.dist-info/RECORD,,")
    z.writestr("bigwheel-1.0.dist-info/RECORD", "\n".join(rows) + "\n")
print("wheel: %d files, %d MiB uncompressed" % (len(files), total >> 20), file=sys.stderr)
PY
    touch "$out/wheel.complete"
fi

# 2. A python:3.x-slim-like base (interpreter and lib/pythonX.Y only), as an OCI layout.
base="$out/base"
if [[ ! -d "$base/layout" ]]; then
    rm -rf "$base" && mkdir -p "$base/rootfs/usr/local/bin" "$base/rootfs/usr/local/lib/python$version/site-packages"
    printf '#!/bin/sh\n' > "$base/rootfs/usr/local/bin/python$version"
    chmod 755 "$base/rootfs/usr/local/bin/python$version"
    ln -s "python$version" "$base/rootfs/usr/local/bin/python3"
    printf 'image: bench/python-base:1\nbase: scratch\nsteps:\n  - copy: {src: rootfs/, dest: /}\n' > "$base/base.yml"
    SMIMG_CACHE="$base/cache" "$smimg" build "$base/base.yml" --output "oci:$base/layout:base" >/dev/null 2>&1
fi
printf 'image: bench/pip:1\nbase: oci:base/layout:base\nsteps:\n  - pip: {install: [bigwheel-1.0-py3-none-any.whl]}\n' > "$out/recipe.yml"

results="$out/results.tsv"
: > "$results"
# shellcheck source=benchmarks/timed-run.sh
. "$here/timed-run.sh"
for _ in $(seq "$runs"); do
    run "pip install --target + tar | gzip" \
        "PIP_FIND_LINKS= '$python' -m pip install -q --no-deps --no-index --no-compile --target '$out/work/t' '$wheel' && tar -C '$out/work/t' -cf - . | gzip -c > '$out/work/layer.tar.gz'"
    run "smimg build (pip step)" "SMIMG_CACHE='$out/work/cache' '$smimg' build '$out/recipe.yml' --no-cache --output 'oci:$out/work/image:1' > /dev/null 2>&1"
done

report_medians
ratio "pip install --target + tar | gzip" "smimg build (pip step)" "one wheel"
