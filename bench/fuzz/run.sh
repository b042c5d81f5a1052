#!/usr/bin/env bash
# Fuzz every input parser with the seeded mutational harness (fuzz_parsers.rs), one target after
# another, SECONDS each (default 600), at low priority. A process that dies (abort, allocation
# failure, signal) or hangs past the limit leaves its input as work/TARGET/abort-N; panics are
# work/TARGET/crash-N with their message. Summary lines go to work/summary.txt.
#   bash bench/fuzz/run.sh [SECONDS] [TARGET..]
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/deps.sh
set +e  # deps.sh sets -e; failures of the fuzzed runs are handled here
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(deck data eam reaxff skf kwant dump h5md)
cargo build --release --quiet --example fuzz_parsers || exit 1
BIN=target/release/examples/fuzz_parsers
WORK=bench/fuzz/work
mkdir -p "$WORK"
# Seeds: the repository's own inputs and reference data; a small H5MD file and dump from a short run.
SEEDS_DIR=$WORK/seeds
if [ ! -f "$SEEDS_DIR/out/traj.h5" ]; then
  mkdir -p "$SEEDS_DIR"
  sed -e 's|^steps = 500|steps = 40|' -e 's|^thermo = 100|thermo = 10|' \
      -e 's|^trajectory = 0|trajectory = 10|' -e 's|^dump = 500|dump = 20|' \
      -e "s|potentials/Au_u3.eam|$PWD/inputs/potentials/Au_u3.eam|" \
      inputs/small_driven_junction.toml > "$SEEDS_DIR/deck.toml"
  target/release/nanocontact run "$SEEDS_DIR/deck.toml" --out "$SEEDS_DIR/out" > "$SEEDS_DIR/run.log" 2>&1 || exit 1
fi
seeds_of() {
  case $1 in
    deck) ls inputs/*.toml inputs/tb/*.toml bench/eam/*.toml bench/reaxff/*.toml ;;
    data) ls inputs/*.data tests/reference/lammps/*/*/data.lmp ;;
    eam) ls tests/reference/lammps/potentials/{Au_u3.eam,Ag_u3.eam,CuNi.eam.alloy} ;;
    reaxff) ls tests/reference/lammps/potentials/ffield.reax.* ;;
    skf) ls inputs/tb/ptbp/*.skf ;;
    kwant) ls tests/reference/kwant/*/system.json ;;
    dump) ls tests/reference/lammps/nve/traj.dump "$SEEDS_DIR"/out/*.dump ;;
    h5md) ls "$SEEDS_DIR/out/traj.h5" ;;
  esac
}
for t in "${TARGETS[@]}"; do
  dir=$WORK/$t
  rm -rf "$dir" && mkdir -p "$dir"
  mapfile -t seeds < <(seeds_of "$t")
  start=$(date +%s); seed=1; aborts=0; execs=0; panics=0
  while :; do
    left=$((SECONDS_EACH - ($(date +%s) - start)))
    [ "$left" -gt 0 ] || break
    # 4 GiB of address space: a count read from the file that asks for more is a failure found.
    out=$( (ulimit -v 4194304; timeout $((left + 60)) nice -n 10 "$BIN" "$t" "$left" "$seed" "$dir" "${seeds[@]}") 2>"$dir/stderr-$seed")
    rc=$?
    echo "$out" | grep '^panic' >> "$dir/panics.log"
    last=$(echo "$out" | tail -n 1)
    if [ $rc -eq 0 ] && [[ $last == "$t execs="* ]]; then
      e=${last#*execs=}; execs=$((execs + ${e%% *}))
      p=${last#*panics=}; panics=$((panics + ${p%% *}))
    else
      aborts=$((aborts + 1))
      [ -f "$dir/current" ] && mv "$dir/current" "$dir/abort-$aborts"
      echo "abort $aborts: exit $rc; input kept as abort-$aborts" >> "$dir/panics.log"
      # Panics saved before the abort still count.
      panics=$(ls "$dir"/crash-*.txt 2>/dev/null | wc -l)
    fi
    seed=$((seed + 1))
  done
  line="$t: $(( $(date +%s) - start )) s, execs=$execs (runs that ended normally), panics=$panics, aborts=$aborts, seeds=${#seeds[@]}"
  echo "$line" | tee -a "$WORK/summary.txt"
done
