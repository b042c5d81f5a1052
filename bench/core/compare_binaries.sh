#!/usr/bin/env bash
# bench/core/compare_binaries.sh OLD_BIN [NEW_BIN]: the speed of a change of the MD core against
# the binary before it (issue 17, acceptance item 2), in one run on one machine: bench/eam/run.sh
# and bench/scaling/run.sh 1 2 alternately with OLD_BIN and NEW_BIN (default: this checkout's
# release build), ROUNDS times (default 2), each invocation timing nanocontact against LAMMPS
# on the same input. Prints each invocation's nanocontact/LAMMPS ratios, then the best ratio of
# each binary per case. Set SIZES for the scaling study (default "20 40", as its script).
# Logs: bench/core/work/compare/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
old="${1:?usage: bench/core/compare_binaries.sh OLD_BIN [NEW_BIN]}"
new="${2:-$root/target/release/nanocontact}"
rounds="${ROUNDS:-2}"
work="$here/work/compare"
mkdir -p "$work"
echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== old: $old"
echo "== new: $new"
for r in $(seq 1 "$rounds"); do
    for which in old new; do
        bin=$old; [ "$which" = new ] && bin=$new
        echo "== round $r, $which: bench/eam/run.sh"
        NANOCONTACT_BIN="$bin" REPEATS=1 "$root/bench/eam/run.sh" >"$work/eam-$which-$r.log" 2>&1 ||
            { echo "bench/eam failed with $which, see $work/eam-$which-$r.log"; exit 1; }
        grep -E '^-- case|per atom-step|ratio nanocontact' "$work/eam-$which-$r.log" || true
        echo "== round $r, $which: bench/scaling/run.sh 1 2"
        NANOCONTACT_BIN="$bin" REPEATS=1 "$root/bench/scaling/run.sh" 1 2 >"$work/scaling-$which-$r.log" 2>&1 ||
            { echo "bench/scaling failed with $which, see $work/scaling-$which-$r.log"; exit 1; }
        grep -E '^Au fcc' "$work/scaling-$which-$r.log" || true
    done
done
echo "== load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
