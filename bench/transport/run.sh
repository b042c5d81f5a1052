#!/usr/bin/env bash
# nanocontact vs Kwant on the same Hamiltonians, in the same run (see README.md).
# Usage: bash bench/transport/run.sh [NE]   (energies per system, default 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ne="${1:-5}"
bash "$here/setup_kwant.sh"
py="$here/work/venv/bin/python"
# Serial against serial: nanocontact runs one thread (its parallelism is MPI); without this,
# OpenBLAS threads oversubscribe the 2 cores and Kwant runs 3-6x slower still.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release --example transport_bench -q)
nc="$CARGO_TARGET_DIR/release/examples/transport_bench"
out="$here/work/results.jsonl"
: > "$out"
for l in 50 100 200; do
    "$nc" wire 10 "$l" "$ne" | tee -a "$out"
    "$py" "$here/kwant_wire.py" wire 10 "$l" "$ne" | tee -a "$out"
done
"$nc" snapshots 10 20 100 2 | tee -a "$out"
"$py" "$here/kwant_wire.py" snapshots 10 20 20 2 | tee -a "$out"
"$py" - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("\n| system | nanocontact s/E | Kwant s/E | speed-up | max abs dT |")
print("|---|---|---|---|---|")
nc = {(r["W"], r["L"]): r for r in rows if r["code"] == "nanocontact" and "T" in r}
kw = {(r["W"], r["L"]): r for r in rows if r["code"] == "kwant" and "T" in r}
for key in sorted(nc):
    a, b = nc[key], kw[key]
    dt = max(abs(x - y) for x, y in zip(a["T"], b["T"]))
    print(f"| cubic {key[0]}x{key[0]}, L = {key[1]} | {a['s_per_energy']:.3f} | "
          f"{b['s_per_energy']:.3f} | {b['s_per_energy'] / a['s_per_energy']:.1f}x | {dt:.1e} |")
sn = [r for r in rows if "snapshots" in r]
a = [r for r in sn if r["code"] == "nanocontact"][0]
b = [r for r in sn if r["code"] == "kwant"][0]
print(f"| 100 snapshots, cubic 10x10, L = 20, shared leads | {a['s_per_point_shared_leads']:.4f} "
      f"(naive {a['s_per_point_naive']:.4f}) | {b['s_per_point']:.4f} | "
      f"{b['s_per_point'] / a['s_per_point_shared_leads']:.1f}x | {a['max_dT']:.1e} (shared vs naive) |")
PY
