#!/usr/bin/env bash
# Farm throughput on the gold junction (issue 7, item 3): units per second at 1 and 2 ranks (or
# RANKS="1 2 4 ..."), best of REPEATS alternating runs, and the parallel efficiency
# E(P) = rate(P) / (P · rate(1)), on FRAMES frames of the paper's junction (inputs/au_junction.toml:
# 2,575 Au atoms, N ≈ 9 neck) under a 10 GHz, a0 = 1 Å oscillation of the top lead.
#   bench/farm/junction.sh                    # FRAMES=101 MESH=2 POINTS=5 RANKS="1 2" REPEATS=2
# Frames: FIRE, 300 K, then STRIDE × (FRAMES − 1) steps of 2 fs with a frame every STRIDE (50)
# steps. Units: (frame, k∥) pairs, FRAMES × MESH²/2 (time reversal), each solving POINTS
# energies in [E_F − 0.5, E_F + 0.5] eV with the Sutton s-band model, leads the rigid outer
# planes continued as ideal Au(111) crystals periodic in x and y, lead cache on. Checks that
# conductance.csv is identical at every rank count. Outputs: bench/farm/work-junction/.
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES=${FRAMES:-101}
STRIDE=${STRIDE:-50}
MESH=${MESH:-2}
POINTS=${POINTS:-5}
RANKS=${RANKS:-"1 2"}
REPEATS=${REPEATS:-2}
source scripts/deps.sh
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/nanocontact
W=$PWD/bench/farm/work-junction
rm -rf "$W" && mkdir -p "$W"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_pml=ob1 OMPI_MCA_plm=isolated
# The junction deck's structure, groups and baths; one stage of oscillation writing the frames.
awk '/^\[\[stage\]\]/ { exit } { print }' inputs/au_junction.toml \
  | sed -e "s#files = \[\"potentials/Au_u3.eam\"\]#files = [\"$PWD/inputs/potentials/Au_u3.eam\"]#" \
        -e 's/^steps = 5000$/steps = 2500/' -e 's/^thermo = 5000$/thermo = 2500/' \
        -e "s/^trajectory = 2500$/trajectory = $STRIDE/" > "$W/md.toml"
cat >> "$W/md.toml" <<TOML

[[stage]]
name = "frames: a0 = 1 A at 10 GHz"
steps = $(( STRIDE * (FRAMES - 1) ))
lead = [{ group = "lead_top", motion = "oscillate", amplitude = 1.0, frequency_ghz = 10.0 }]
TOML
"$BIN" run "$W/md.toml" --out "$W/run" > "$W/md.log" 2>&1
# Frames of the oscillation stage only (the last FRAMES of the trajectory).
cat > "$W/farm.toml" <<TOML
title = "farm throughput: $FRAMES frames of the Au junction"
[structure]
trajectory = "run/traj.h5"
md_deck = "md.toml"
frames = [-$FRAMES, 1000000000, 1]
[model]
style = "sutton"
[leads]
axis = "z"
left = { group = "lead_bottom" }
right = { group = "lead_top" }
[kpoints]
mesh = [$MESH, $MESH]
[energy]
range = [-0.5, 0.5]
points = $POINTS
[farm]
cache = true
TOML
declare -A best
for rep in $(seq "$REPEATS"); do
  for np in $RANKS; do
    if [ "$np" = 1 ]; then cmd=("$BIN"); else cmd=(mpirun --oversubscribe --bind-to none -np "$np" "$BIN"); fi
    out="$W/out_np${np}_r$rep"
    /usr/bin/time -f "%e %U %S" -o "$W/time_np${np}_r$rep" "${cmd[@]}" farm "$W/farm.toml" --out "$out" > "$out.log" 2>&1
    line=$(grep -E 'units in' "$out.log" | sed 's/.*INFO ] //')
    secs=$(echo "$line" | sed -E 's/^[0-9]+ units in ([0-9.]+) s.*/\1/')
    read -r wall user sys < "$W/time_np${np}_r$rep"
    cpu=$(awk -v u="$user" -v s="$sys" -v w="$wall" -v p="$np" 'BEGIN { printf "%.0f", 100 * (u + s) / (w * p) }')
    echo "np=$np repeat $rep: $line; cpu share $cpu %"
    if [ -z "${best[$np]:-}" ] || awk -v a="$secs" -v b="${best[$np]}" 'BEGIN { exit !(a < b) }'; then
      best[$np]=$secs
    fi
    cmp <(cut -d, -f1-5 "$W/out_np1_r1/conductance.csv") <(cut -d, -f1-5 "$out/conductance.csv") \
      || { echo "conductance.csv differs at np=$np" >&2; exit 1; }
  done
done
units=$(grep -E 'units in' "$W/out_np1_r1.log" | sed -E 's/.*INFO \] ([0-9]+) units in.*/\1/')
echo "-- farm throughput, $FRAMES frames x $(( MESH * MESH / 2 )) k-points = $units units, $POINTS energies each; best of $REPEATS"
for np in $RANKS; do
  awk -v n="$units" -v t="${best[$np]}" -v t1="${best[1]}" -v p="$np" \
    'BEGIN { printf "np=%d: %.2f s, %.3f units/s, efficiency %.3f\n", p, t, n / t, t1 / (p * t) }'
done
echo "conductance.csv identical at every rank count and repeat"
