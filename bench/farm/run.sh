#!/usr/bin/env bash
# Transport farm: throughput (units/s) with and without the lead self-energy cache, at 1 and 2
# ranks, on the frames of a short MD run of the small driven junction (340 Au atoms, Sutton
# s-band, leads periodic in x and y). Usage: bench/farm/run.sh  (FRAMES=21 by default, MESH=2).
# Outputs under bench/farm/work/ (git-ignored); the summary lines go to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES=${FRAMES:-21}
MESH=${MESH:-2}
POINTS=${POINTS:-21}
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/nanocontact
W=bench/farm/work
rm -rf "$W" && mkdir -p "$W"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_pml=ob1 OMPI_MCA_plm=isolated
steps=$(( (FRAMES - 1) * 20 ))
sed -e "s#files = \[\"potentials/Au_u3.eam\"\]#files = [\"$PWD/inputs/potentials/Au_u3.eam\"]#" \
    -e "s/^steps = 500/steps = $steps/" -e 's/^trajectory = 0/trajectory = 20/' \
    inputs/small_driven_junction.toml > "$W/md.toml"
"$BIN" run "$W/md.toml" --out "$W/run" > "$W/md.log" 2>&1
deck() {
  cat <<TOML
[structure]
trajectory = "run/traj.h5"
[model]
style = "sutton"
[leads]
left = { lo = -100.0, hi = 2.5 }
right = { lo = 28.0, hi = 100.0 }
[kpoints]
mesh = [$MESH, $MESH]
[energy]
range = [-2.0, 2.0]
points = $POINTS
[farm]
cache = $1
TOML
}
deck true > "$W/cache.toml"
deck false > "$W/nocache.toml"
for np in 1 2; do
  for c in cache nocache; do
    if [ "$np" = 1 ]; then cmd=("$BIN"); else cmd=(mpirun --oversubscribe --bind-to none -np "$np" "$BIN"); fi
    "${cmd[@]}" farm "$W/$c.toml" --out "$W/out_${c}_np$np" > "$W/${c}_np$np.log" 2>&1
    echo "np=$np $c: $(grep -E 'units in' "$W/${c}_np$np.log" | sed 's/.*INFO ] //')"
    echo "        $(grep -E 'lead surfaces' "$W/${c}_np$np.log" | sed 's/.*INFO ] //')"
  done
done
cmp <(cut -d, -f1-5 "$W/out_cache_np1/conductance.csv") <(cut -d, -f1-5 "$W/out_nocache_np2/conductance.csv") \
  && echo "conductance.csv identical with and without the cache, at 1 and 2 ranks"
