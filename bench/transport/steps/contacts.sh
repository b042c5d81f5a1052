#!/usr/bin/env bash
# Single-atom contacts between fcc(001) pyramids on wire leads of growing cross-section (see
# README.md): results/contact_<el>_base<K>.csv and results/contacts.command.txt.
# Usage: bash bench/transport/steps/contacts.sh [bases, default "2 3 4"]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
mkdir -p bench/transport/steps/results
: > bench/transport/steps/results/contacts.command.txt
for k in ${1:-2 3 4}; do
    for el in au ag; do
        case "$el" in ag) a=4.09 ;; au) a=4.08 ;; esac
        cmd=(cargo run --release -q --example transport_contact -- --model "inputs/tb/${el}_spd.toml"
             --a "$a" --base "$k" --out "bench/transport/steps/results/contact_${el}_base${k}.csv")
        printf '%s\n' "${cmd[*]}" >> bench/transport/steps/results/contacts.command.txt
        "${cmd[@]}"
    done
done
