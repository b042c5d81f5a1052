#!/usr/bin/env bash
# Fetch the DFTB+ Slater–Koster tables that the `style = "dftb"` decks of inputs/ name
# (transport_ag_pyramids111_dftb.toml, transport_au_apex_dftb.toml) into inputs/tb/dftb/.
#
# The tables are the ground-state Ag–Ag and Au–Au sets of R. Kumawat and G. C. Schatz,
# J. Phys. Chem. C (2025), "Efficient modeling of structural, electronic, and optical properties
# of silver and gold metal nanoclusters and alloys using optimized SCC-DFTB parameters", public in
# their GitHub repository (folder GSSK). The repository states no licence, so the tables are not
# part of nanocontact: this script downloads them from the pinned commit and checks their SHA-256
# digests, so that every run reads the same numbers as the results in
# bench/transport/steps/results/dftb_*.
#
# Usage: bash inputs/tb/fetch_dftb_tables.sh [--from DIR]
#   --from DIR   copy the two tables from DIR (e.g. a clone's GSSK folder) instead of downloading
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/dftb"
repo=RameshwarKumawat/dftb-slater-koster-parameters-for-mono-bimetallic-AgAu-clusters
commit=a5869348356edfc073b93c0129ccfdd360b10022
declare -A digest=(
    [Ag-Ag-GS-SK.skf]=33f6841dd3b099c8c5781593de364f626eaed7fbf55e3162a3364714bbd84024
    [Au-Au-GS-SK.skf]=0c9dcf513dc745a4ee685db15c76ec1975aca957c73596ca798acd0154e05a1c
)
from=""
case "${1:-}" in
    "") ;;
    --from) from="${2:?--from needs the folder that holds Ag-Ag-GS-SK.skf and Au-Au-GS-SK.skf}" ;;
    *) echo "usage: fetch_dftb_tables.sh [--from DIR]" >&2; exit 2 ;;
esac
mkdir -p "$dest"
for f in "${!digest[@]}"; do
    tmp="$dest/.$f.part"
    if [ -n "$from" ]; then
        cp "$from/$f" "$tmp" || { echo "fetch_dftb_tables: no $from/$f" >&2; exit 1; }
    else
        url="https://raw.githubusercontent.com/$repo/$commit/GSSK/$f"
        if ! curl -fsSL --retry 2 -o "$tmp" "$url"; then
            rm -f "$tmp"
            echo "fetch_dftb_tables: could not download $url" >&2
            echo "  (clone https://github.com/$repo elsewhere and run this script with --from CLONE/GSSK)" >&2
            exit 1
        fi
    fi
    got="$(sha256sum "$tmp" | cut -d' ' -f1)"
    if [ "$got" != "${digest[$f]}" ]; then
        rm -f "$tmp"
        echo "fetch_dftb_tables: $f has SHA-256 $got, expected ${digest[$f]} (commit ${commit:0:7})" >&2
        exit 1
    fi
    mv "$tmp" "$dest/$f"
    echo "$dest/$f"
done
