#!/usr/bin/env bash
# Conductance steps of a point contact thickened atom by atom, with the Slater–Koster spd model
# and local charge neutrality (see README.md). Writes results/<element>_steps.csv and, beside
# it, results/<element>_steps.command.txt: the exact command that made it, run from the
# repository root.
# Usage: bash bench/transport/steps/run.sh [ag|au] [extra transport_steps options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
el="${1:-ag}"
shift || true
case "$el" in
    ag) a=4.09 ;;
    au) a=4.08 ;;
    *) echo "element must be ag or au, got '$el'" >&2; exit 2 ;;
esac
cd "$root"
mkdir -p bench/transport/steps/results
out="bench/transport/steps/results/${el}_steps.csv"
cmd=(cargo run --release -q --example transport_steps -- --model "inputs/tb/${el}_spd.toml"
     --a "$a" --top 2 --base 3 --margin 1 --out "$out" "$@")
printf '%s\n' "${cmd[*]}" > "bench/transport/steps/results/${el}_steps.command.txt"
"${cmd[@]}"
echo "wrote $out"
