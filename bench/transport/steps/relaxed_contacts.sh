#!/usr/bin/env bash
# Single-atom contacts between fcc(001) pyramids on periodic slabs, relaxed with the EAM
# potentials (Ag_u3, Au_u3; FIRE, the outer planes of each slab fixed, lateral cell and lattice
# constant of the potential), against the electrodes' separation (see README.md): two apex atoms,
# and one atom bridging two flat 4-atom tops. Appends to results/slab_contact_relaxed.csv and
# writes results/slab_contact_relaxed.command.txt.
# Usage: bash bench/transport/steps/relaxed_contacts.sh [WORK_DIR, default target/relaxed_contacts]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
work="${1:-$root/target/relaxed_contacts}"
res=bench/transport/steps/results
out="$res/slab_contact_relaxed.csv"
cargo build --release -q --example transport_slab_contact
bin="${CARGO_TARGET_DIR:-target}/release/examples/transport_slab_contact"
: > "$res/slab_contact_relaxed.command.txt"
run() {
    printf 'transport_slab_contact %s --work WORK --out %s\n' "$*" "$out" >> "$res/slab_contact_relaxed.command.txt"
    "$bin" "$@" --work "$work" --out "$out"
}
el_args() {
    case "$1" in
        au) echo "--model inputs/tb/au_spd.toml --element Au --mass 196.97 --relax eam:inputs/potentials/Au_u3.eam" ;;
        ag) echo "--model inputs/tb/ag_spd.toml --element Ag --mass 107.87 --relax eam:inputs/potentials/Ag_u3.eam" ;;
    esac
}
geo="--cells 2 --base 1 --slab-layers 3"
# Electrodes moved together by -stretch from the unrelaxed lattice geometry (apex atoms at the
# bulk nearest-neighbour distance; bridging atom bonded at the bulk distance): 2 x 2 k mesh.
# shellcheck disable=SC2046,SC2086
{
    for d in -1.0 -0.8 -0.6 -0.4 -0.2 0; do run $(el_args ag) $geo --stretch "$d" --meshes 2; done
    for d in -1.8 -1.6 -1.4 -1.2 -1.0 -0.8; do run $(el_args au) $geo --stretch "$d" --meshes 2; done
    for el in ag au; do
        for d in -1.0 -0.8 -0.6 -0.4 -0.2 0; do run $(el_args $el) $geo --bridge --stretch "$d" --meshes 2; done
    done
    # The final numbers on the 4 x 4 mesh: the force-free apex contacts, and the bridges at the
    # separation of least tension before the tops touch (-0.6 A).
    run $(el_args ag) $geo --stretch -0.6 --meshes 4
    run $(el_args au) $geo --stretch -1.6 --meshes 4
    run $(el_args ag) $geo --bridge --stretch -0.6 --meshes 4
    run $(el_args au) $geo --bridge --stretch -0.6 --meshes 4
}
