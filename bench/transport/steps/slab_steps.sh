#!/usr/bin/env bash
# Conductance steps on periodic leads (see README.md): flat-topped fcc(001) pyramids on slabs
# periodic in x and y, one empty (001) layer between the tops, filled atom by atom (lattice
# sites nearest the axis first), charge neutral, 2 x 2 k mesh, in a cell of 2 x 2 or 3 x 3 cubes
# (3r: relaxed with EAM first); or (111) a missing plane between flat (111) slabs refilled.
# Writes results/<name>.csv, the .command.txt beside it and the plot .png.
# Usage: bash bench/transport/steps/slab_steps.sh [ag|au] [2|3|3r|111] [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
el="${1:-ag}"
cells="${2:-2}"
work="${3:-$root/target/slab_steps}"
case "$el" in
    ag) m="--model inputs/tb/ag_spd.toml --element Ag --mass 107.87 --a 4.09"; pot=Ag ;;
    au) m="--model inputs/tb/au_spd.toml --element Au --mass 196.97 --a 4.08"; pot=Au ;;
    *) echo "element must be ag or au, got '$el'" >&2; exit 2 ;;
esac
cd "$root"
res=bench/transport/steps/results
tips="--top 1 --base 1"
case "$cells" in
    # 4-atom tops (top 1) on 2 x 2 cube slabs: the middle plane holds 8 sites (margin 3 reaches
    # them all): the axis site bonded to 4 + 4 top atoms, 4 to 2 + 2, 2 to 1 + 1, 1 to none;
    # from the 6th atom on the neck spans the periodic cell.
    2) name="${el}_slab_steps"; geo="--cells 2 --margin 3 --neck 0,1,2,3,4,5,6,7,8 --slab-layers 3" ;;
    # The same tops in 3 x 3 cubes (18 sites per plane): the 9 sites within a of the axis;
    # slabs of 2 planes (the lead planes only: the thickness does not change G, README.md) to
    # keep the cost down.
    3) name="${el}_slab_steps_c3"; geo="--cells 3 --margin 1 --neck 0,1,2,3,4,5,6,7,8,9 --slab-layers 2" ;;
    # The same, each configuration relaxed with the EAM potential first (FIRE; lead planes and
    # two more bulk planes behind them fixed), the electrodes at the lattice separation.
    3r) name="${el}_slab_steps_c3_relaxed"
        geo="--cells 3 --margin 1 --neck 0,1,2,3,4,5,6,7,8,9 --slab-layers 2 --relax eam:inputs/potentials/${pot}_u3.eam" ;;
    # Flat (111) slabs (the silver paper's Ag(111) leads) in a rectangular 3 x 2 cell (12 atoms
    # per plane), one (111) plane missing between them and refilled atom by atom as a compact
    # island (Gap111::filament_sites): each atom in a hollow of both surfaces.
    111) name="${el}_filament111_steps"; tips=""
         geo="--surface 111 --nx 3 --ny 2 --missing 1 --slab-layers 3 --neck 0,1,2,3,4,5,6,7,8,9,10,11,12" ;;
    *) echo "cells must be 2, 3, 3r or 111, got '$cells'" >&2; exit 2 ;;
esac
out="$res/$name.csv"
cargo build --release -q --example transport_slab_contact --bin nanocontact
bin="${CARGO_TARGET_DIR:-target}/release"
rm -f "$out"
args="$m $geo $tips --meshes 2"
printf 'transport_slab_contact %s --work WORK --out %s\n' "$args" "$out" > "$res/$name.command.txt"
# shellcheck disable=SC2086
"$bin/examples/transport_slab_contact" $args --work "$work" --out "$out"
# The plot: G and the three largest eigenchannel transmissions (at the first k point).
cut -d, -f11,25,28,29,30 "$out" > "$res/${name}_G.csv"
case "$cells" in
    111) title="$el: filament grown atom by atom between (111) slabs (spd, 3x2 cell, 2x2 k)" ;;
    3r) title="$el: contact thickened atom by atom, EAM-relaxed (spd, periodic (001) leads, 3x3 cubes, 2x2 k)" ;;
    *) title="$el: contact thickened atom by atom (spd, periodic (001) leads, ${cells}x${cells} cubes, 2x2 k)" ;;
esac
"$bin/nanocontact" plot "$res/${name}_G.csv" --x neck_atoms --y G_G0,tau1_gamma,tau2_gamma,tau3_gamma \
    --points --title "$title" --out "$res/$name.png"
{
    echo "cut -d, -f11,25,28,29,30 $out > $res/${name}_G.csv"
    echo "nanocontact plot $res/${name}_G.csv --x neck_atoms --y G_G0,tau1_gamma,tau2_gamma,tau3_gamma --points --title \"$title\" --out $res/$name.png"
} >> "$res/$name.command.txt"
