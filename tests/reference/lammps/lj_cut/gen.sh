#!/usr/bin/env bash
# LAMMPS reference cases for `lj/cut` (Debian 12's `lammps` package, `lmp`, version 20220106):
# energy, virial pressure and per-atom forces of one configuration each (`run 0`), made by
# LAMMPS alone: LAMMPS builds the lattice, displaces the atoms at random and writes the data
# file, then evaluates it with the pair commands of `pair.lj` (`include`d). Tests read these files as they are; re-run this script only with
# LAMMPS, never with nanocontact.
#
#   binary_bulk  fcc, 500 atoms, 30 % type 2, p p p; pair_coeff 1 1 and 2 2 (own cutoff 7.5),
#                1-2 by LAMMPS's default geometric mixing (ε, σ and the cutoff)
#   binary_slab  the same lattice as a (001) slab with vacuum, p p f; explicit 1-2 coefficients,
#                pair_modify shift yes
set -euo pipefail
cd "$(dirname "$0")"
command -v lmp >/dev/null || { echo "needs Debian's lammps package (lmp)" >&2; exit 1; }

case_run() { # name boundary "zlo zhi" extra_coeff modify
    local name=$1 bnd=$2 zrange=$3 extra=$4 modify=$5
    mkdir -p "$name"
    cat >"$name/gen_data.lmp" <<IN
units metal
atom_style atomic
boundary $bnd
lattice fcc 5.26
region box block 0 5 0 5 $zrange
region xtal block 0 5 0 5 0 4.99
create_box 2 box
create_atoms 1 region xtal
set type 1 type/fraction 2 0.3 12345
displace_atoms all random 0.15 0.15 0.15 4567 units box
mass 1 39.948
mass 2 83.798
write_data data.lmp
IN
    (cd "$name" && lmp -in gen_data.lmp -log none -screen none)
    rm "$name/gen_data.lmp"
    # The pair commands go to their own file, which LAMMPS includes and nanocontact reads as
    # the lj/cut parameter file: both codes read the very same lines.
    cat >"$name/pair.lj" <<IN
pair_style lj/cut 8.5
pair_coeff 1 1 0.0104 3.40
pair_coeff 2 2 0.0140 3.60 7.5
$extra
$modify
IN
    cat >"$name/in.lmp" <<IN
units metal
atom_style atomic
boundary $bnd
read_data data.lmp
include pair.lj
neighbor 1.0 bin
thermo_style custom step pe press
thermo_modify format float %.15g
dump d all custom 1 forces.dump id type x y z fx fy fz
dump_modify d format float %.15e sort id
run 0
IN
    (cd "$name" && lmp -in in.lmp -log log.lammps -screen none)
    local line natoms
    line=$(awk '/^ *Step/{getline; print; exit}' "$name/log.lammps")
    natoms=$(awk '/^ITEM: NUMBER OF ATOMS/{getline; print; exit}' "$name/forces.dump")
    set -- $line
    printf '{\n "pe_eV": %s,\n "pressure_bar": %s,\n "natoms": %s,\n "boundary": "%s",\n "lammps": "%s"\n}\n' \
        "$2" "$3" "$natoms" "$bnd" "$(lmp -h | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p')" \
        >"$name/energy.json"
    rm "$name/log.lammps"
    echo "$name: $natoms atoms, pe $2 eV, press $3 bar"
}

case_run binary_bulk "p p p" "0 5" "" ""
case_run binary_slab "p p f" "-2 7" "pair_coeff 1 2 0.0120 3.50 8.0" "pair_modify shift yes"
