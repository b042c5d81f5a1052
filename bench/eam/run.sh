#!/usr/bin/env bash
# bench/eam/run.sh: serial EAM speed of nanocontact against LAMMPS (issue 3, acceptance item 4).
#
#   bench/eam/run.sh            # from the repo root, or from anywhere
#
# Two cases, each run by both codes from the same LAMMPS data file (structure and velocities
# written by nanocontact with `steps = 0`), so both solve the same problem:
#   A  32,000-atom fcc Au box (20x20x20 cells, a = 4.08 A, p p p), 300 K, NVE, 2 fs, 200 steps
#   B  2,500-atom Au(001) nanojunction (p p f), relaxed with FIRE, 300 K, NVE, 2 fs, 1000 steps
# Au_u3.eam (pair_style eam), skin 1.0 A checked every step, thermo every 100 steps, no dumps.
# Each code runs serially (one process, OMP_NUM_THREADS=1), alternately, REPEATS times (default
# 3); the best (minimum) loop time of each is reported as seconds per atom-step, with the ratio
# nanocontact/LAMMPS. The total energies of the two codes at the first and the last step must
# agree to 1e-6 relative (EREL_TOL), else the script exits 1 after printing everything.
#
# Installs Debian's `lammps` package if `lmp` is missing, and builds nanocontact in release mode
# (the toolchain, MPI and HDF5 come from the README's first command), or takes the binary
# NANOCONTACT_BIN names. Outputs go to
# bench/eam/work/ (git-ignored).
set -euo pipefail

ncores="$(nproc)"   # before OMP_NUM_THREADS=1, which GNU nproc honours
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repeats="${REPEATS:-3}"
erel_tol="${EREL_TOL:-1e-6}"
export OMP_NUM_THREADS=1
export RUST_LOG=info

# --- 1. LAMMPS and nanocontact ------------------------------------------------------------------
if ! command -v lmp >/dev/null 2>&1; then
    echo "== installing Debian's lammps package (lmp not found)"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq lammps >/dev/null
fi
if [ -n "${NANOCONTACT_BIN:-}" ]; then
    nc="$NANOCONTACT_BIN"   # another build (bench/core/compare_binaries.sh: the old binary)
else
    echo "== building nanocontact (cargo build --release)"
    (cd "$root" && cargo build --release --quiet)
    target_dir="${CARGO_TARGET_DIR:-$root/target}"
    case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
    nc="$target_dir/release/nanocontact"
fi
[ -x "$nc" ] || { echo "bench/eam: $nc not found after the build" >&2; exit 1; }

lmp_help="$(lmp -h 2>/dev/null || true)"
lmp_version="$(sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' <<<"$lmp_help")"
lmp_version="LAMMPS ${lmp_version:-?} (Debian lammps $(dpkg-query -W -f='${Version}' lammps 2>/dev/null || echo '?'))"

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $ncores cores; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') (cpu family $(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //'), model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | sed 's/.*: //'))"
echo "== nanocontact $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') ($nc); $lmp_version"

cd "$here"
mkdir -p work
status=0

# Seconds of the "Loop time" line of a nanocontact log / LAMMPS log.
nc_loop() { sed -n 's/.*Loop time of \([0-9.eE+-]*\) s on .*/\1/p' "$1" | tail -n1; }
lmp_loop() { sed -n 's/^Loop time of \([0-9.eE+-]*\) on .*/\1/p' "$1" | tail -n1; }
# Percentage (user + sys) / real of a `time` output written with TIMEFORMAT='%R %U %S'.
cpu_share() { awk '{ print ($1 > 0) ? 100 * ($2 + $3) / $1 : 0 }' "$1"; }
TIMEFORMAT='%R %U %S'
# Total energy at step $2 of a nanocontact thermo.csv / LAMMPS log.
nc_etot() { awk -F, -v s="$2" '$1 == s { e = $5 } END { print e }' "$1"; }
lmp_etot() {
    awk -v s="$2" '/^ *Step /{ on = 1; next } /^Loop time/{ on = 0 } on && $1 == s { e = $4 } END { print e }' "$1"
}

# bench CASE GEN_DECK RUN_DECK LAMMPS_INPUT STEPS
bench() {
    local name="$1" gen="$2" deck="$3" lin="$4" steps="$5"
    local w="work/$name"
    rm -rf "$w"
    mkdir -p "$w"
    echo
    echo "== case $name: structure and velocities ($gen, steps = 0)"
    "$nc" run "$gen" --out "$w/gen" >"$w/gen.log" 2>&1 || { cat "$w/gen.log"; exit 1; }
    grep -E 'atoms, .* types|FIRE' "$w/gen.log" | sed 's/^ *\[[A-Z]*\] */   /' || true
    cp "$w/gen/final.data" "work/$name.data"
    local natoms
    natoms="$(awk '$2 == "atoms" { print $1; exit }' "work/$name.data")"
    local best_nc="" best_lmp="" best_nc_k=1 best_lmp_k=1 best_nc_cpu=0 best_lmp_cpu=0 k t
    for k in $(seq 1 "$repeats"); do
        { time "$nc" run "$deck" --out "$w/nc.$k" >"$w/nc.$k.log" 2>&1; } 2>"$w/nc.$k.time" \
            || { cat "$w/nc.$k.log"; exit 1; }
        { time lmp -nocite -screen none -log "$w/lmp.$k.log" -in "$lin" >/dev/null 2>&1; } 2>"$w/lmp.$k.time" \
            || { cat "$w/lmp.$k.log"; exit 1; }
        t="$(nc_loop "$w/nc.$k.log")"
        local tl
        tl="$(lmp_loop "$w/lmp.$k.log")"
        # CPU share of each whole process, (user + sys) / wall: well below 100 % means the run
        # waited for a core (other jobs on the machine), and its time is inflated.
        local c cl
        c="$(cpu_share "$w/nc.$k.time")"
        cl="$(cpu_share "$w/lmp.$k.time")"
        printf '   run %d: nanocontact %8.3f s (cpu %3.0f %%)   LAMMPS %8.3f s (cpu %3.0f %%)\n' "$k" "$t" "$c" "$tl" "$cl"
        if [ -z "$best_nc" ] || awk -v a="$t" -v b="$best_nc" 'BEGIN { exit !(a < b) }'; then best_nc="$t"; best_nc_k="$k"; best_nc_cpu="$c"; fi
        if [ -z "$best_lmp" ] || awk -v a="$tl" -v b="$best_lmp" 'BEGIN { exit !(a < b) }'; then best_lmp="$tl"; best_lmp_k="$k"; best_lmp_cpu="$cl"; fi
    done
    local e0_nc e0_lmp e_nc e_lmp
    e0_nc="$(nc_etot "$w/nc.1/thermo.csv" 0)"
    e0_lmp="$(lmp_etot "$w/lmp.1.log" 0)"
    e_nc="$(nc_etot "$w/nc.1/thermo.csv" "$steps")"
    e_lmp="$(lmp_etot "$w/lmp.1.log" "$steps")"
    echo "-- case $name: $natoms atoms, $steps steps, best of $repeats"
    awk -v n="$natoms" -v s="$steps" -v a="$best_nc" -v b="$best_lmp" 'BEGIN {
        printf "   nanocontact  %10.4f s  %.4e s per atom-step\n", a, a / (n * s)
        printf "   LAMMPS       %10.4f s  %.4e s per atom-step\n", b, b / (n * s)
        printf "   ratio nanocontact/LAMMPS = %.3f\n", a / b }'
    if awk -v a="$best_nc_cpu" -v b="$best_lmp_cpu" 'BEGIN { exit !(a < 90 || b < 90) }'; then
        printf '   WARNING: the best runs had only %.0f %% (nanocontact) and %.0f %% (LAMMPS) of a core: the\n' "$best_nc_cpu" "$best_lmp_cpu"
        echo "   machine is busy, so these times are inflated and the ratio is unreliable; run again when it is idle."
    fi
    if [ -z "$e0_nc" ] || [ -z "$e0_lmp" ] || [ -z "$e_nc" ] || [ -z "$e_lmp" ]; then
        echo "   MISMATCH: could not read the total energies at steps 0 and $steps from $w/nc.1/thermo.csv and $w/lmp.1.log" >&2
        status=1
    else
        local s0 ea eb
        for s0 in 0 "$steps"; do
            if [ "$s0" = 0 ]; then ea="$e0_nc" eb="$e0_lmp"; else ea="$e_nc" eb="$e_lmp"; fi
            awk -v a="$ea" -v b="$eb" -v s="$s0" 'BEGIN { d = (a - b) / (b == 0 ? 1 : b); d = (d < 0 ? -d : d) + 0
                printf "   total energy, step %4d: nanocontact %.12e  LAMMPS %.12e eV  (rel. diff %.2e)\n", s, a, b, d }'
            if ! awk -v a="$ea" -v b="$eb" -v tol="$erel_tol" 'BEGIN { d = (a - b) / (b == 0 ? 1 : b); if (d < 0) d = -d; exit !(d <= tol) }'; then
                echo "   MISMATCH: total energies at step $s0 differ by more than $erel_tol relative" >&2
                status=1
            fi
        done
    fi
    echo "   re-neighbourings: nanocontact $(sed -n 's/.* \([0-9]*\) re-neighbourings.*/\1/p' "$w/nc.$best_nc_k.log"), LAMMPS $(sed -n 's/^Neighbor list builds = *//p' "$w/lmp.$best_lmp_k.log")"
    echo "   nanocontact timing breakdown (run $best_nc_k):"
    sed -n '/^ *Section  *|/,/^ *Other /p' "$w/nc.$best_nc_k.log" | sed 's/^ */     /'
    echo "   LAMMPS timing breakdown (run $best_lmp_k):"
    sed -n '/^Section |/,/^Total wall/p' "$w/lmp.$best_lmp_k.log" | grep -E '^(Section|-----|Pair|Neigh|Comm|Output|Modify|Other)' | sed 's/^/     /' || true
}

bench box gen_box.toml run_box.toml in.box.lmp 200
bench junction gen_junction.toml run_junction.toml in.junction.lmp 1000
exit "$status"
