#!/usr/bin/env bash
# Gold nanojunction rheology (issue 6, item 3): the paper's 2,519-atom Au(111) junction
# (inputs/au_junction.toml: relaxation protocol, then 5 cycles at each of a0 = 0.5 ... 3 Å at
# 10 GHz), on NP ranks (default 2), then the rheology fit of every sweep stage.
#   bench/rheology/run.sh [NP]
# Outputs: bench/rheology/work/au_junction/ (thermo.csv, leads.csv, stages.csv, traj.h5,
# rheology.csv); about 35 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/deps.sh"
(cd "$root" && cargo build --release --quiet)
np="${1:-2}"
out="$here/work/au_junction"
mkdir -p "$here/work"
mpirun --oversubscribe -np "$np" "$root/target/release/nanocontact" run "$root/inputs/au_junction.toml" --out "$out" 2>&1 | tee "$here/work/au_junction.log"
# Strain reference h0 = 2.75 nm (the column length); area: the initial column's cross-section,
# about 21 atoms per (111) plane, A = N·π·r0² with r0 = 0.144 nm.
area=$(awk 'BEGIN{printf "%.4f", 21 * 3.14159265 * 0.144 * 0.144}')
"$root/target/release/nanocontact" analyze rheology "$out" --h0-nm 2.75 --area-nm2 "$area" --skip-cycles 1
echo "table: $out/rheology.csv"
