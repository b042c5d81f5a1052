#!/usr/bin/env bash
# Strong scaling of EAM gold, nanocontact against LAMMPS on the same input in the same run.
#
#   bench/scaling/run.sh [RANKS...]        default ranks: 1 2
#
# For 32,000 and 256,000 fcc Au atoms (20^3 and 40^3 cubic cells, a = 4.08 A, periodic),
# Au_u3.eam, 300 K, NVE, 2 fs, 200 steps, skin 1.0 A checked every step: both codes start from
# the same LAMMPS data file (made by nanocontact). Prints time per atom-step, parallel
# efficiency t(1)/(P t(P)) of both codes, and the nanocontact/LAMMPS time ratio at each P.
# Set STEPS or SIZES (cells per edge, e.g. "20 40") to change the problem. Each (code, P) runs
# REPEATS times (default 2), alternating the codes, and the best (minimum) loop time counts: on a
# shared machine a single run can be slowed by a neighbour by 10 % or more.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
mkdir -p "$work"
source "$root/scripts/deps.sh"
if ! command -v lmp >/dev/null 2>&1; then
  echo "installing Debian's lammps package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq lammps >/dev/null
fi
# NANOCONTACT_BIN: another build to measure (bench/core/compare_binaries.sh: the old binary).
if [ -n "${NANOCONTACT_BIN:-}" ]; then
  nc="$NANOCONTACT_BIN"
else
  (cd "$root" && cargo build --release --quiet)
  nc="$root/target/release/nanocontact"
fi
pot="$root/inputs/potentials/Au_u3.eam"
ranks=("${@:-1 2}")
read -r -a ranks <<<"${ranks[*]}"
steps="${STEPS:-200}"
repeats="${REPEATS:-2}"
sizes="${SIZES:-20 40}"
export OMP_NUM_THREADS=1
MPIRUN=(mpirun --oversubscribe --bind-to core --map-by core)
[ "$(getconf _NPROCESSORS_ONLN)" -lt "${ranks[-1]}" ] && MPIRUN=(mpirun --oversubscribe --bind-to none)

printf '\n%-12s %8s %5s %14s %14s %10s %10s %8s\n' "case" "atoms" "ranks" "nc s/atomstep" "lmp s/atomstep" "nc eff" "lmp eff" "nc/lmp"
for c in $sizes; do
  natoms=$((4 * c * c * c))
  d="$work/au$c"
  mkdir -p "$d"
  # Common start: lattice + Maxwell-Boltzmann velocities, written as a LAMMPS data file.
  cat >"$d/make.toml" <<EOT
[structure]
[structure.lattice]
a = 4.08
cells = [$c, $c, $c]
[potential]
style = "eam"
files = ["$pot"]
[velocity]
temperature = 300.0
seed = 4928459
[run]
timestep = 0.002
steps = 0
EOT
  "$nc" run "$d/make.toml" --out "$d/start" >/dev/null 2>&1
  cat >"$d/nc.toml" <<EOT
[structure]
data = "$d/start/final.data"
[potential]
style = "eam"
files = ["$pot"]
[neighbor]
skin = 1.0
every = 1
[run]
timestep = 0.002
steps = $steps
thermo = 100
EOT
  cat >"$d/in.lmp" <<EOT
units metal
atom_style atomic
boundary p p p
read_data $d/start/final.data
pair_style eam
pair_coeff * * $pot
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
timestep 0.002
fix 1 all nve
thermo 100
thermo_style custom step pe ke etotal temp press
thermo_modify format float %.15g
run $steps
EOT
  declare -A tnc=() tlmp=()
  for p in "${ranks[@]}"; do
    tnc[$p]=""; tlmp[$p]=""
    for ((k = 1; k <= repeats; k++)); do
      "${MPIRUN[@]}" -np "$p" "$nc" run "$d/nc.toml" --out "$d/nc$p" >"$d/nc$p.$k.log" 2>&1
      t=$(sed -n 's/.*Loop time of \([0-9.e+-]*\) s.*/\1/p' "$d/nc$p.$k.log")
      if [ -z "${tnc[$p]}" ] || awk -v a="$t" -v b="${tnc[$p]}" 'BEGIN{exit !(a < b)}'; then
        tnc[$p]=$t; cp "$d/nc$p.$k.log" "$d/nc$p.log"
      fi
      (cd "$d" && "${MPIRUN[@]}" -np "$p" lmp -in in.lmp -log "lmp$p.$k.log" -screen none)
      t=$(sed -n 's/^Loop time of \([0-9.e+-]*\) on.*/\1/p' "$d/lmp$p.$k.log")
      if [ -z "${tlmp[$p]}" ] || awk -v a="$t" -v b="${tlmp[$p]}" 'BEGIN{exit !(a < b)}'; then
        tlmp[$p]=$t; cp "$d/lmp$p.$k.log" "$d/lmp$p.log"
      fi
    done
    e_nc=$(tail -1 "$d/nc$p/thermo.csv" | cut -d, -f5)
    e_lmp=$(awk '/^ *Step/{on=1;next} /^Loop/{on=0} on{e=$4} END{print e}' "$d/lmp$p.log")
    t1nc=${tnc[${ranks[0]}]}; t1l=${tlmp[${ranks[0]}]}; p1=${ranks[0]}
    awk -v c="Au fcc $c^3" -v n="$natoms" -v p="$p" -v s="$steps" -v a="${tnc[$p]}" -v b="${tlmp[$p]}" \
        -v a1="$t1nc" -v b1="$t1l" -v p1="$p1" -v en="$e_nc" -v el="$e_lmp" 'BEGIN{
      printf "%-12s %8d %5d %14.4e %14.4e %10.3f %10.3f %8.3f   (Etot end: nc %.6f, lmp %.6f eV)\n",
        c, n, p, a/(s*n), b/(s*n), (a1*p1)/(a*p), (b1*p1)/(b*p), a/b, en, el }'
  done
  ghosts=$(sed -n 's/.*Nghost per rank: min [0-9]* avg \([0-9.]*\).*/\1/p' "$d/nc${ranks[-1]}.log")
  echo "  nanocontact ghosts per rank at ${ranks[-1]} ranks: avg $ghosts"
done
echo
echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
