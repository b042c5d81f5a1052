#!/usr/bin/env bash
# The single-atom contacts and the (111) filament staircase with the non-orthogonal DFTB model
# (README.md, "The non-orthogonal DFTB model"): the DFTB+ Slater-Koster tables of Kumawat and
# Schatz (J. Phys. Chem. C 2025; "GS" sets), which are not part of this repository:
#
#   bash inputs/tb/fetch_dftb_tables.sh           # the pinned commit, SHA-256 checked
#   export NANOCONTACT_SKF_DIR=$PWD/inputs/tb/dftb  # holds Ag-Ag-GS-SK.skf and Au-Au-GS-SK.skf
#
# Every structure is made locally charge neutral (Mulliken charges). Parts (run them side by
# side on two cores):
#   bands        results/dftb_bands.csv (bulk bands and E_F of both tables)
#   contacts     results/dftb_contacts.csv (apex, bridge and (111) pyramid contacts)
#   filament EL  results/dftb_EL_filament111.csv and its plot (EL = ag or au)
#   forcefree    results/dftb_forcefree.csv (the force-free apex and (111) contacts, 2 x 2 k)
#   truncation   results/dftb_truncation.csv (the same with the tables cut at 7.0 A instead of
#                5.6 A: four fcc shells instead of three)
# each with its .command.txt (SKF_DIR standing for the table folder).
#   pyramids EL  results/dftb_EL_pyramids111.csv and its plot: the single-atom contact between
#                (111) trimer tips thickened atom by atom in the middle plane (EAM-relaxed)
# NANOCONTACT_SKF_SET=hotcent takes instead the tables that hotcent_tables.py writes (Ag-Ag.skf,
# Au-Au.skf in NANOCONTACT_SKF_DIR); the results are then named hotcent_* instead of dftb_*.
# NANOCONTACT_SKF_SET=ptbp takes the committed PTBP tables of inputs/tb/ptbp/ (no
# NANOCONTACT_SKF_DIR needed); the results are named ptbp_*.
# Usage: bash bench/transport/steps/dftb_contacts.sh bands|contacts|forcefree|truncation [WORK_DIR]
#        bash bench/transport/steps/dftb_contacts.sh filament|pyramids EL [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
skf="${NANOCONTACT_SKF_DIR:-}"
# The table folder as the command files show it.
shown=SKF_DIR
case "${NANOCONTACT_SKF_SET:-gs}" in
    gs) suffix=-GS-SK; prefix=dftb; label=DFTB ;;
    hotcent) suffix=; prefix=hotcent; label="DFTB, Hotcent LDA tables" ;;
    ptbp) suffix=; prefix=ptbp; label="DFTB, PTBP tables"
        [ -n "$skf" ] || { skf="$root/inputs/tb/ptbp"; shown=inputs/tb/ptbp; } ;;
    *) echo "NANOCONTACT_SKF_SET must be gs, hotcent or ptbp" >&2; exit 2 ;;
esac
[ -n "$skf" ] || { echo "set NANOCONTACT_SKF_DIR to the folder of the Ag-Ag and Au-Au tables (see the header of this script)" >&2; exit 2; }
for el in Ag Au; do
    [ -f "$skf/$el-$el${suffix}.skf" ] || { echo "no $skf/$el-$el${suffix}.skf" >&2; exit 2; }
done
part="${1:?usage: dftb_contacts.sh bands|contacts|forcefree|truncation|filament|pyramids [EL] [WORK_DIR]}"
only=""
if [ "$part" = filament ] || [ "$part" = pyramids ]; then
    only="${2:?$part needs the element: ag or au}"
    work="${3:-$root/target/dftb_contacts}/$prefix/$only"
else
    work="${2:-$root/target/dftb_contacts}/$prefix/$part"
fi
mkdir -p "$work"
res=bench/transport/steps/results
cargo build --release -q --example transport_slab_contact --example tb_bands --bin nanocontact
bin="${CARGO_TARGET_DIR:-target}/release"

el_args() {
    case "$1" in
        ag) echo "--model $skf/Ag-Ag${suffix}.skf --element Ag --mass 107.87 --relax eam:inputs/potentials/Ag_u3.eam" ;;
        au) echo "--model $skf/Au-Au${suffix}.skf --element Au --mass 196.97 --relax eam:inputs/potentials/Au_u3.eam" ;;
    esac
}

# A contact grown atom by atom: results/NAME.csv, its G and eigenchannel columns, their plot and
# the commands. Arguments: NAME, the transport_slab_contact arguments, the plot's title.
staircase() {
    local name="$1" args="$2" title="$3"
    local f="$res/$name.csv"
    rm -f "$f"
    # shellcheck disable=SC2086
    "$bin/examples/transport_slab_contact" $args --work "$work" --out "$f"
    cut -d, -f11,25,28,29,30 "$f" > "$res/${name}_G.csv"
    "$bin/nanocontact" plot "$res/${name}_G.csv" --x neck_atoms --y G_G0,tau1_gamma,tau2_gamma,tau3_gamma \
        --points --title "$title" --out "$res/$name.png"
    {
        printf 'transport_slab_contact %s --work WORK --out %s\n' "${args//$skf/$shown}" "$f"
        echo "cut -d, -f11,25,28,29,30 $f > $res/${name}_G.csv"
        echo "nanocontact plot $res/${name}_G.csv --x neck_atoms --y G_G0,tau1_gamma,tau2_gamma,tau3_gamma --points --title \"$title\" --out $res/$name.png"
    } > "$res/$name.command.txt"
}

case "$part" in
bands)
    # Bulk bands and Fermi levels of the two tables (fcc, the EAM lattice constants).
    "$bin/examples/tb_bands" --models "$skf/Ag-Ag${suffix}.skf,$skf/Au-Au${suffix}.skf" \
        --lattice 4.09,4.08 --out "$res/${prefix}_bands.csv"
    echo "tb_bands --models $shown/Ag-Ag${suffix}.skf,$shown/Au-Au${suffix}.skf --lattice 4.09,4.08 --out $res/${prefix}_bands.csv" \
        > "$res/${prefix}_bands.command.txt"
    ;;
contacts | forcefree | truncation)
    out="$res/${prefix}_$part.csv"
    rm -f "$out"
    : > "$res/${prefix}_$part.command.txt"
    run() {
        local line="$*"
        printf 'transport_slab_contact %s --work WORK --out %s\n' "${line//$skf/$shown}" "$out" \
            >> "$res/${prefix}_$part.command.txt"
        "$bin/examples/transport_slab_contact" "$@" --work "$work" --out "$out"
    }
    geo="--cells 2 --base 1 --slab-layers 3"
    geo111="--surface 111 --nx 3 --ny 2 --missing 3 --slab-layers 3 --pyramids --neck 7"
    if [ "$part" != contacts ]; then
        # The force-free contacts of `contacts` (2 x 2 k), with the default truncation of the
        # tables or cut at 7.0 A.
        cut=""
        [ "$part" = truncation ] && cut="--dftb-cutoff 7.0"
        # shellcheck disable=SC2046,SC2086
        {
            run $(el_args ag) $geo --stretch -0.6 --meshes 2 $cut
            run $(el_args au) $geo --stretch -1.4 --meshes 2 $cut
            run $(el_args ag) $geo111 --stretch -0.4 --meshes 2 $cut
            run $(el_args au) $geo111 --stretch -0.8 --meshes 2 $cut
        }
        exit 0
    fi
    # The geometries of the orthogonal model's runs (relaxed_contacts.sh, pyramids111): two
    # apex atoms, one atom bridging two 4-atom tops, one atom between two (111) trimers; EAM
    # relaxed, 2 x 2 k mesh, then the 4 x 4 mesh near the force-free separations.
    # shellcheck disable=SC2046,SC2086
    {
        for d in -1.0 -0.6 -0.2 0; do run $(el_args ag) $geo --stretch "$d" --meshes 2; done
        for d in -1.8 -1.4 -1.0; do run $(el_args au) $geo --stretch "$d" --meshes 2; done
        for el in ag au; do
            for d in -1.0 -0.6 -0.2; do run $(el_args $el) $geo --bridge --stretch "$d" --meshes 2; done
            for d in -1.2 -0.8 -0.4 0; do run $(el_args $el) $geo111 --stretch "$d" --meshes 2; done
        done
        run $(el_args ag) $geo --stretch -0.6 --meshes 4
        run $(el_args au) $geo --stretch -1.4 --meshes 4
        run $(el_args ag) $geo --stretch -0.6 --meshes 6
        run $(el_args ag) $geo111 --stretch -0.4 --meshes 4
        run $(el_args au) $geo111 --stretch -0.8 --meshes 4
    }
    ;;
filament)
    # The filament between (111) slabs grown atom by atom (as slab_steps.sh EL 111: lattice
    # sites, 3 x 2 cell, 2 x 2 k mesh).
    case "$only" in
        ag) m="--model $skf/Ag-Ag${suffix}.skf --element Ag --mass 107.87 --a 4.09" ;;
        au) m="--model $skf/Au-Au${suffix}.skf --element Au --mass 196.97 --a 4.08" ;;
        *) echo "element must be ag or au, got '$only'" >&2; exit 2 ;;
    esac
    name="${prefix}_${only}_filament111"
    args="$m --surface 111 --nx 3 --ny 2 --missing 1 --slab-layers 3 --neck 0,1,2,3,4,5,6,7,8,9,10,11,12 --meshes 2"
    title="$only: (111) filament atom by atom ($label, Mulliken-neutral, 2x2 k)"
    staircase "$name" "$args" "$title"
    ;;
pyramids)
    # One atom between two (111) trimer tips (Cuevas et al.), then more atoms in its plane, at
    # the force-free separations of `contacts` (Ag -0.4 A, Au -0.8 A), EAM-relaxed, 2 x 2 k.
    case "$only" in
        ag) d=-0.4 ;;
        au) d=-0.8 ;;
        *) echo "element must be ag or au, got '$only'" >&2; exit 2 ;;
    esac
    name="${prefix}_${only}_pyramids111"
    args="$(el_args "$only") --surface 111 --nx 3 --ny 2 --missing 3 --slab-layers 3 --pyramids --neck 6,7,8,9,10,11 --stretch $d --meshes 2"
    title="$only: (111) trimer tips, contact thickened atom by atom ($label, Mulliken-neutral, 2x2 k)"
    staircase "$name" "$args" "$title"
    ;;
*)
    echo "part must be bands, contacts, forcefree, truncation, filament or pyramids, got '$part'" >&2
    exit 2
    ;;
esac
