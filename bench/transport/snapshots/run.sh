#!/usr/bin/env bash
# 100 snapshots sharing Ag(111) 3x3 spd leads: nanocontact (lead surfaces once per (E, k)) vs
# Kwant (kwant.smatrix per snapshot, E and k) on the same Hamiltonians, in the same run
# (README.md beside this file).
# Usage: bash bench/transport/snapshots/run.sh [NSNAP] [NKWANT] [extra snapshot_bench options]
#   NSNAP (default 100) snapshots for nanocontact; the first NKWANT (default 10) of them also
#   for Kwant and for nanocontact without lead cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
nsnap="${1:-100}"
nkw="${2:-10}"
shift $(( $# < 2 ? $# : 2 ))
bash "$root/bench/transport/setup_kwant.sh"
py="$root/bench/transport/work/venv/bin/python"
# Serial against serial (nanocontact's parallelism is MPI over units; see ../README.md).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release --example snapshot_bench -q)
nc="$CARGO_TARGET_DIR/release/examples/snapshot_bench"
work="$here/work"
mkdir -p "$work/json"
rm -f "$work"/json/snapshot_*.json
echo "load before: $(cat /proc/loadavg)" | tee "$work/load.txt"
(cd "$root" && "$nc" --snapshots "$nsnap" --naive "$nkw" --json "$nkw" \
    --json-dir "$work/json" --out "$work/nanocontact.json" "$@")
echo "load after nanocontact: $(cat /proc/loadavg)" | tee -a "$work/load.txt"
"$py" "$here/kwant_snapshots.py" "$work/kwant.json" "$work"/json/snapshot_*.json
echo "load after Kwant: $(cat /proc/loadavg)" | tee -a "$work/load.txt"
"$py" - "$work/nanocontact.json" "$work/kwant.json" <<'PY'
import json, sys
import numpy as np
nc = json.load(open(sys.argv[1]))
kw = json.load(open(sys.argv[2]))
n = kw["snapshots"]
a = {q: np.array(nc[q][:n]) for q in ("T_LR", "T_RL", "open_L")}
b = {q: np.array(kw[q]) for q in ("T_LR", "T_RL", "open_L")}
d_lr = np.abs(a["T_LR"] - b["T_LR"]).max()
d_rl = np.abs(a["T_RL"] - b["T_RL"]).max()
unit_nc = np.abs(a["T_LR"] - a["T_RL"]).max()
unit_kw = np.abs(b["T_LR"] - b["T_RL"]).max()
same_open = bool((a["open_L"] == b["open_L"]).all())
c, v = nc["cached"], nc["naive"]
print(f"\n{nc['atoms']} atoms ({nc['gap_atoms']} in the gap), {nc['orbitals']} orbitals; "
      f"principal layer {nc['principal_layer_planes']} plane(s) = {nc['layer_orbitals']} orbitals; "
      f"{len(nc['kpoints'])} k-points x {len(nc['energies_eV'])} energies per snapshot; "
      f"E_F = {nc['E_F_eV']:.4f} eV; Kwant {kw['kwant']} ({kw['solver']})")
print(f"agreement on {n} snapshots x {a['T_LR'][0].size} (E, k): max |dT_LR| = {d_lr:.1e}, "
      f"max |dT_RL| = {d_rl:.1e}, open channels equal: {same_open}; "
      f"|T_LR - T_RL|: nanocontact {unit_nc:.1e}, Kwant {unit_kw:.1e}")
print("\n| code | snapshots | s per snapshot (wall) | s per snapshot (CPU) | lead surfaces | speed-up (wall / CPU) |")
print("|---|---|---|---|---|---|")
kwall, kcpu = kw["s_per_snapshot"], kw["cpu_s_per_snapshot"]
print(f"| Kwant smatrix | {n} | {kwall:.3f} | {kcpu:.3f} | recomputed per call | 1 |")
for name, r in (("nanocontact, lead cache", c), ("nanocontact, no cache", v)):
    print(f"| {name} | {r['snapshots']} | {r['s_per_snapshot']:.3f} | {r['cpu_s_per_snapshot']:.3f} | "
          f"{100 * r['lead_fraction']:.1f}% of the time | "
          f"{kwall / r['s_per_snapshot']:.1f}x / {kcpu / r['cpu_s_per_snapshot']:.1f}x |")
print(f"\nnanocontact cached vs uncached T: max |dT| = {nc['max_dT_cached_vs_naive']:.1e}; "
      f"cache hits {nc['cache_hits']}, misses {nc['cache_misses']}")
if not (d_lr <= 1e-8 and d_rl <= 1e-8 and same_open):
    print("DISAGREEMENT beyond 1e-8", file=sys.stderr)
    sys.exit(1)
PY
