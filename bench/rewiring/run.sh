#!/bin/bash
# The silver rewiring production (issue 21) as a queue with a wall-time limit would run it:
# start the deck, or continue it from its checkpoint, for at most WALL seconds; then the gap's
# conductance of every frame (inline where the deck ran transport ranks, else farmed offline
# with inputs/transport_ag_rewiring.toml) and `analyze rewiring`.
#   bash bench/rewiring/run.sh                                   # the 8 V small-tips deck
#   DECK=inputs/ag_rewiring_small.toml OUT=out/rewiring_small WALL=10800 bash bench/rewiring/run.sh
#   MD_ONLY=1 NP=1 bash bench/rewiring/run.sh                    # MD alone, G farmed offline
# Run it again to continue where the last call stopped (SIGTERM at WALL writes a checkpoint).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
DECK="${DECK:-inputs/ag_rewiring_small_8v.toml}"
OUT="${OUT:-out/rewiring_small_8v}"
NP="${NP:-2}"
WALL="${WALL:-10800}"
NC="${NANOCONTACT_BIN:-target/release/nanocontact}"
[ -x "$NC" ] || cargo build --release
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 HDF5_USE_FILE_LOCKING=FALSE
mkdir -p "$OUT"
RUN_DECK="$DECK"
if [ "${MD_ONLY:-0}" = 1 ]; then
    # The deck without its [transport] section, its relative paths kept valid.
    RUN_DECK="$OUT/md_only.toml"
    sed -e '/^\[transport\]/,$d' -e "s#\"potentials/#\"$ROOT/inputs/potentials/#" "$DECK" > "$RUN_DECK"
fi
RESTART=()
[ -f "$OUT/checkpoint" ] && RESTART=(--restart "$OUT/checkpoint")
echo "# $(date -u +%FT%TZ) $NC run $RUN_DECK --out $OUT ${RESTART[*]} on $NP rank(s), wall $WALL s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s)
set +e
timeout -s TERM --kill-after=120 "$WALL" mpirun --oversubscribe -np "$NP" "$NC" run "$RUN_DECK" --out "$OUT" "${RESTART[@]}"
RC=$?
set -e
echo "# run ended with status $RC after $(( $(date +%s) - START )) s"
G="$OUT/transport/conductance.csv"
if [ ! -f "$G" ]; then
    FARM_DECK="$OUT/gap_transport.toml"
    sed -e "s#^trajectory = .*#trajectory = \"$ROOT/$OUT/traj.h5\"#" \
        -e "s#\"tb/ptbp/#\"$ROOT/inputs/tb/ptbp/#" inputs/transport_ag_rewiring.toml > "$FARM_DECK"
    "$NC" farm "$FARM_DECK" --out "$OUT/farm"
    G="$OUT/farm/conductance.csv"
fi
"$NC" analyze rewiring "$OUT" --conductance "$G"
