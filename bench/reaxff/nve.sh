#!/usr/bin/env bash
# bench/reaxff/nve.sh: NVE energy conservation of nanocontact and LAMMPS on the same ReaxFF run
# (issue 18, acceptance item 3).
#
#   bench/reaxff/nve.sh                         # from the repo root, or from anywhere
#   TOLS="1e-10 1e-6" CONCURRENT=1 bench/reaxff/nve.sh
#
# The reference case ag_slab_o (tests/reference/lammps/reaxff/ag_slab_o/data.lmp: Ag(001) slab,
# 300 Ag + 3 O, boundary p p f; REFERENCE_DATA names another copy) with 300 K Maxwell-Boltzmann
# velocities (gen.py nve: the same velocities for both codes, A/ps and A/fs), NVE, 0.25 fs,
# STEPS steps (default 40,000 = 10 ps), ReaxFF AgZnO + QEq to each tolerance of TOLS (default
# "1e-10", as the references), thermo every 100 steps (nve.toml, in.nve.lmp). Both codes serial.
# CONCURRENT=1 runs the two codes at the same time (two processes; only if the machine has two free
# cores), else one after the other. drift.py then gives for each code the slope of a linear fit of
# E_tot(t) (eV/ps, and per atom) and the largest |E_tot - E_tot(0)|.
# Both codes' thermo output goes gzipped to bench/reaxff/results/nve_tol*.gz (full 40,000-step runs
# only; shorter ones leave it in work/); keep the printed summary with
# `bench/reaxff/nve.sh | tee bench/reaxff/results/nve_tol1e-10.txt`;
# the runs themselves to bench/reaxff/work/nve.* (git-ignored). LAMMPS_VENV, NANOCONTACT_BIN and
# REAXFF_FFIELD as in run.sh (setup.sh).
set -euo pipefail

ncores="$(nproc)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tols="${TOLS:-1e-10}"
steps="${STEPS:-40000}"
concurrent="${CONCURRENT:-0}"
export OMP_NUM_THREADS=1
export RUST_LOG=info
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

# shellcheck source-path=SCRIPTDIR source=setup.sh
. "$here/setup.sh"
cd "$here"
mkdir -p results
"$py" gen.py nve work
natoms="$(awk '$2 == "atoms" { print $1; exit }' work/nve.nc.data)"
TIMEFORMAT='%R %U %S'

for tol in $tols; do
    w="work/nve.tol$tol"
    rm -rf "$w"
    mkdir -p "$w"
    sed -e "s/^tolerance = .*/tolerance = $tol/" -e "s/^steps = .*/steps = $steps/" nve.toml >"$w/nve.toml"
    sed -i 's#"work/#"../#' "$w/nve.toml"    # the deck's paths are relative to its folder
    echo
    echo "== NVE, QEq tolerance $tol, $steps steps, $natoms atoms; start $(date -u '+%H:%M:%S UTC'); $(uptime | sed 's/^ *//')"
    run_nc() {
        { time "$nc" run "$w/nve.toml" --out "$w/nc" >"$w/nc.log" 2>&1; } 2>"$w/nc.time" \
            || { tail -n 30 "$w/nc.log"; return 1; }
    }
    run_lmp() {
        { time "$lmp" -nocite -screen none -log "$w/lmp.log" -var tol "$tol" -var steps "$steps" \
            -var qeqfile "$w/lmp.qeq" -in in.nve.lmp >"$w/lmp.out" 2>&1; } 2>"$w/lmp.time" \
            || { tail -n 30 "$w/lmp.out" "$w/lmp.log"; return 1; }
    }
    if [ "$concurrent" = 1 ]; then
        run_nc &
        pid_nc=$!
        run_lmp &
        pid_lmp=$!
        wait "$pid_nc" || exit 1
        wait "$pid_lmp" || exit 1
    else
        run_nc || exit 1
        run_lmp || exit 1
    fi
    echo "   end $(date -u '+%H:%M:%S UTC'); $(uptime | sed 's/^ *//')"
    echo "   nanocontact: $(grep -o 'Loop time of .*' "$w/nc.log" | tail -n1)"
    echo "   LAMMPS:      $(grep '^Loop time of' "$w/lmp.log" | tail -n1)"
    echo "   QEq iterations (mean of s and t): at the thermo steps after 0, nanocontact $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "qeq_iterations") c = i; next }
        c && $1 > 0 { s += $c; n++ } END { if (n) printf "%.2f", s / n; else printf "n/a (not in thermo.csv)" }' "$w/nc/thermo.csv")," \
        "LAMMPS $(awk '/^ *Step /{ on = 1; for (i = 1; i <= NF; i++) if ($i == "f_q") c = i; next } /^Loop time/{ on = 0 }
        on && c && $1 > 0 { s += $c; n++ } END { if (n) printf "%.2f", s / n }' "$w/lmp.log"); over all steps, LAMMPS $(awk '!/^#/ { q = $2 } END { print q }' "$w/lmp.qeq")"
    if grep -qi 'warn' "$w/nc.log"; then echo "   nanocontact warnings:"; grep -i 'warn' "$w/nc.log" | sort | uniq -c | head -n 5 | sed 's/^/     /'; fi
    if grep -q 'WARNING' "$w/lmp.log"; then echo "   LAMMPS warnings:"; grep 'WARNING' "$w/lmp.log" | sort | uniq -c | head -n 5 | sed 's/^/     /'; fi
    echo "   total-energy drift (drift.py):"
    "$py" drift.py "$natoms" "$w/nc/thermo.csv" "$w/lmp.log"
    # Only the full 10 ps runs replace the results that README.md cites.
    keep="results"
    if [ "$steps" != 40000 ]; then keep="$w"; fi
    gzip -9 -c "$w/nc/thermo.csv" >"$keep/nve_tol${tol}_nanocontact_thermo.csv.gz"
    gzip -9 -c "$w/lmp.log" >"$keep/nve_tol${tol}_lammps_log.gz"
    echo "   thermo output of both codes: $keep/nve_tol${tol}_*.gz"
done
