#!/usr/bin/env bash
# Gold nanojunction rheology (issue 6, item 3): the paper's N ≈ 9 Au(111) junction, 2,575 atoms
# (inputs/au_junction.toml: relaxation protocol, then 5 cycles at each of a0 = 0.5 ... 3 Å at
# 10 GHz), on NP ranks (default 2), then the rheology fit of every sweep stage.
#   bench/rheology/run.sh [NP]
# Outputs: bench/rheology/work/au_junction/ (thermo.csv, leads.csv, stages.csv, traj.h5,
# rheology.csv, cross_section*.csv, rho_theta.csv), bench/rheology/work/farm/ (conductance of
# every frame) and bench/rheology/work/*.json; the MD is 1.685 M steps (59 min at 1 rank,
# 476 steps/s, on the 2-core VM).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/deps.sh"
(cd "$root" && cargo build --release --quiet)
np="${1:-2}"
out="$here/work/au_junction"
mkdir -p "$here/work"
mpirun --oversubscribe -np "$np" "$root/target/release/nanocontact" run "$root/inputs/au_junction.toml" --out "$out" --overwrite 2>&1 | tee "$here/work/au_junction.log"
# Strain reference h0 = 2.75 nm (the column length). Stress area, as in the paper: the minimal
# cross-section of the relaxed, strain-free junction, N·π·r0² (r0 = 0.144 nm) measured in the
# first frame of the first sweep stage (the stage after the last one with the top lead at rest,
# column 9 of stages.csv); beside it the neck measured at the start of each stage (--neck-area).
first="$(awk -F, 'NR > 1 && $9 + 0 == 0 { s = $1 } END { print s + 1 }' "$out/stages.csv")"
"$root/target/release/nanocontact" analyze structure "$out" --stage "$first" --frames 0 --out "$here/work/relaxed" | tee "$here/work/relaxed.json"
area=$(sed -E 's/.*"area_nm2":([-0-9.eE+]+).*/\1/' "$here/work/relaxed.json")
"$root/target/release/nanocontact" analyze rheology "$out" --h0-nm 2.75 --area-nm2 "$area" --neck-area --skip-cycles 1 | tee "$here/work/fits.jsonl"
echo "table: $out/rheology.csv"
# Surface energies of Au_u3 (relaxed slabs), then the structure of the last sweep stage: the neck
# N(z), ρ(θ) of the interior atoms near the neck over its frames, and F_i = 2πγ(111)R.
"$root/target/release/nanocontact" analyze surface-energy --potential "eam:$root/inputs/potentials/Au_u3.eam" | tee "$here/work/surface_energy.json"
gamma=$(sed -E 's/.*"gamma_111_J_m2":([-0-9.eE+]+).*/\1/' "$here/work/surface_energy.json")
last=$(tail -n 1 "$out/stages.csv" | cut -d, -f1)
"$root/target/release/nanocontact" analyze structure "$out" --stage "$last" --gamma-j-m2 "$gamma" | tee "$here/work/structure.json"
echo "structure: $out/cross_section.csv, $out/cross_section_z.csv, $out/rho_theta.csv"
# Conductance of every frame (issue 7, item 4), Sutton s-band model (farm.toml), then the force
# and the conductance on one time axis. The farm reads a copy of the trajectory (work/traj/), so
# it can also be started on a partial copy while the MD is still running and resumed on the
# final one: units already stored are skipped.
mkdir -p "$here/work/traj"
cp "$out/traj.h5" "$here/work/traj/traj.h5"
(cd "$here" && mpirun --oversubscribe -np "$np" "$root/target/release/nanocontact" farm farm.toml --out work/farm) 2>&1 | tail -n 5
"$root/target/release/nanocontact" analyze force-conductance "$out" --farm "$here/work/farm" --window-ps 10 | tee "$here/work/force_conductance.json"
echo "conductance: $here/work/farm/conductance.csv (.png, _histogram.png), force_conductance*.csv, force_conductance.png"
