#!/usr/bin/env bash
# bench/core/identical.sh OLD_BIN [NEW_BIN]: a change of the MD core must leave the physics
# bit for bit as it was (issue 17, acceptance item 1). Runs the built-in demo and
# inputs/small_driven_junction.toml at 1 and 2 ranks with both binaries and compares
# thermo.csv, leads.csv, stages.csv and final.data byte for byte; runs inputs/demo_inline.toml
# (2 MD ranks + 1 transport rank) with both and compares the conductance of every snapshot
# (|ΔG| ≤ 1e-12 G0) and the MD files byte for byte. NEW_BIN defaults to this checkout's
# release build. Exits 1 on any difference. Work files: bench/core/work/ (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
old="${1:?usage: bench/core/identical.sh OLD_BIN [NEW_BIN]}"
new="${2:-$root/target/release/nanocontact}"
source "$root/scripts/deps.sh"
work="$here/work/identical"
rm -rf "$work"
mkdir -p "$work"
export RUST_LOG=warn
status=0
run() { # label np deck|- out bin
    local np=$2 deck=$3 out=$4 bin=$5
    local args=(run --out "$out")
    [ "$deck" != "-" ] && args=(run "$root/$deck" --out "$out")
    mpirun --oversubscribe --bind-to none -np "$np" "$bin" "${args[@]}" >"$out.log" 2>&1 ||
        { echo "$1: run failed, see $out.log"; exit 1; }
}
for case in "demo -" "driven inputs/small_driven_junction.toml"; do
    set -- $case
    for np in 1 2; do
        run "$1" "$np" "$2" "$work/$1-$np-old" "$old"
        run "$1" "$np" "$2" "$work/$1-$np-new" "$new"
        for f in thermo.csv leads.csv stages.csv final.data; do
            [ -f "$work/$1-$np-old/$f" ] || continue
            if cmp -s "$work/$1-$np-old/$f" "$work/$1-$np-new/$f"; then
                echo "$1 at $np rank(s): $f identical"
            else
                echo "$1 at $np rank(s): $f DIFFERS"; status=1
            fi
        done
    done
done
run inline 3 inputs/demo_inline.toml "$work/inline-old" "$old"
run inline 3 inputs/demo_inline.toml "$work/inline-new" "$new"
for f in thermo.csv final.data; do
    cmp -s "$work/inline-old/$f" "$work/inline-new/$f" && echo "inline: $f identical" ||
        { echo "inline: $f DIFFERS"; status=1; }
done
python3 - "$work/inline-old/transport/conductance.csv" "$work/inline-new/transport/conductance.csv" <<'PY' || status=1
import csv, sys
rows = [list(csv.DictReader(open(p))) for p in sys.argv[1:]]
assert len(rows[0]) == len(rows[1]) > 0, "snapshot counts differ"
col = [c for c in rows[0][0] if c.lower().startswith("g")][0]
d = max(abs(float(a[col]) - float(b[col])) for a, b in zip(*rows))
print(f"inline: {len(rows[0])} snapshots, max |dG| = {d:.1e} G0 ({col})")
sys.exit(0 if d <= 1e-12 else 1)
PY
[ "$status" -eq 0 ] && echo "identical: all outputs agree" || echo "identical: DIFFERENCES found"
exit "$status"
