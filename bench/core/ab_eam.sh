#!/usr/bin/env bash
# bench/core/ab_eam.sh N BIN [BIN..]: the 32,000-atom EAM box of bench/eam (case A: 200 steps
# of NVE), run N times by each binary in turn, serially; prints the loop time and the Pair time
# of the closing table of every run. A quick A/B of two builds on the same input (bench/eam/
# run.sh makes work/box.data on its first run). Work files: bench/core/work/ab/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
eam="$here/../eam"
n="${1:?usage: bench/core/ab_eam.sh N BIN [BIN..]}"
shift
[ -f "$eam/work/box.data" ] || { echo "run bench/eam/run.sh once first (it writes work/box.data)" >&2; exit 1; }
work="$here/work/ab"
mkdir -p "$work"
echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "$n"); do
    for b in "$@"; do
        (cd "$eam" && RUST_LOG=info OMP_NUM_THREADS=1 "$b" run run_box.toml --out "$work/out") >"$work/log" 2>&1
        loop=$(sed -n 's/.*Loop time of \([0-9.]*\) s.*/\1/p' "$work/log")
        pair=$(grep -m1 'Pair  ' "$work/log" | awk -F'|' '{print $2}' | tr -d ' ')
        echo "$b: loop $loop s, Pair $pair s"
    done
done
