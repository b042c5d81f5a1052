#!/usr/bin/env bash
# Single-atom contacts between fcc(001) pyramids on slabs periodic in x and y (see README.md):
# k-mesh convergence, apex–apex distance, without neutrality, lateral cell. Appends to
# results/slab_contact_{kmesh,gap,bare,lateral}.csv and writes results/slab_contacts.command.txt.
# Usage: bash bench/transport/steps/slab_contacts.sh [WORK_DIR, default target/slab_contacts]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
work="${1:-$root/target/slab_contacts}"
res=bench/transport/steps/results
cargo build --release -q --example transport_slab_contact
bin="${CARGO_TARGET_DIR:-target}/release/examples/transport_slab_contact"
: > "$res/slab_contacts.command.txt"
# The CSVs are rewritten (the example appends; its columns have grown since they were made).
rm -f "$res"/slab_contact_{kmesh,gap,bare,lateral,bridge}.csv
run() {
    local out="$1"; shift
    cmd=("$bin" "$@" --work "$work" --out "$res/$out")
    printf 'transport_slab_contact %s --work WORK --out %s\n' "$*" "$res/$out" >> "$res/slab_contacts.command.txt"
    "${cmd[@]}"
}
el_args() {
    case "$1" in
        au) echo "--model inputs/tb/au_spd.toml --element Au --mass 196.97 --a 4.08" ;;
        ag) echo "--model inputs/tb/ag_spd.toml --element Ag --mass 107.87 --a 4.09" ;;
    esac
}
for el in au ag; do
    # shellcheck disable=SC2046
    run slab_contact_kmesh.csv $(el_args $el) --cells 2 --base 1 --slab-layers 3 --meshes 2,4,6
done
for el in au ag; do
    for g in 2.6 2.7 2.8; do
        # shellcheck disable=SC2046
        run slab_contact_gap.csv $(el_args $el) --cells 2 --base 1 --slab-layers 3 --gap $g --meshes 2
    done
    # shellcheck disable=SC2046
    run slab_contact_bare.csv $(el_args $el) --cells 2 --base 1 --slab-layers 3 --meshes 2 --bare
done
for el in au ag; do
    # shellcheck disable=SC2046
    run slab_contact_lateral.csv $(el_args $el) --cells 3 --base 1 --slab-layers 3 --meshes 2
done
for el in au ag; do
    # shellcheck disable=SC2046
    run slab_contact_bridge.csv $(el_args $el) --cells 2 --base 1 --slab-layers 3 --bridge --meshes 2,4
done
