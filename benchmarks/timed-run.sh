# Shared by pip-wheel-bench.sh and conda-link-bench.sh (sourced, not run). The caller sets `out`
# and `results`. `run NAME COMMAND` empties "$out/work", runs COMMAND under /usr/bin/time -v after
# `sync`, and appends NAME, wall seconds and peak RSS (KiB) to "$results".
run() {
    local name=$1 command=$2
    echo "running: $name" >&2
    rm -rf "$out/work" && mkdir -p "$out/work"
    sync; sleep 1
    local start end rss
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$out/time.txt" sh -c "$command"
    end=$(date +%s.%N)
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$out/time.txt")
    printf '%s\t%s\t%s\n' "$name" "$(python3 -c "print($end - $start)")" "$rss" >> "$results"
}

# Prints each command's median time, peak RSS and runs from "$results".
report_medians() {
    python3 - "$results" <<'PY'
import sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines() if line]
print(f"{'command':<36} {'seconds':>8} {'peak RSS MiB':>13}  runs (s)")
for name in dict.fromkeys(r[0] for r in rows):
    times = sorted(float(r[1]) for r in rows if r[0] == name)
    rss = max(int(r[2]) for r in rows if r[0] == name)
    print(f"{name:<36} {times[(len(times) - 1) // 2]:>8.2f} {rss / 1024:>13.1f}  {' '.join(f'{t:.2f}' for t in times)}")
PY
}

# `ratio REFERENCE OURS LABEL`: the medians' ratio.
ratio() {
    python3 - "$results" "$1" "$2" "$3" <<'PY'
import sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines() if line]
def median(name):
    times = sorted(float(r[1]) for r in rows if r[0] == name)
    return times[(len(times) - 1) // 2]
ref, ours = median(sys.argv[2]), median(sys.argv[3])
print(f"{sys.argv[4]}: smimg takes {ours / ref:.2f}x the time of {sys.argv[2]} ({ref / ours:.2f}x faster)")
PY
}
