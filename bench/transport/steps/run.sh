#!/usr/bin/env bash
# Conductance steps of a point contact thickened atom by atom, with the Slater–Koster spd model
# and local charge neutrality (see README.md). Writes results/<element>_steps.csv and, beside
# it, the exact command that made it.
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
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release --example transport_steps -q)
mkdir -p "$here/results"
out="$here/results/${el}_steps.csv"
cmd=("$CARGO_TARGET_DIR/release/examples/transport_steps" --model "$root/inputs/tb/${el}_spd.toml"
     --a "$a" --top 2 --base 3 --margin 1 --out "$out" "$@")
# The command as run, relative to the repository root.
printf '%q ' "${cmd[@]}" | sed "s#$root/#./#g; s#$CARGO_TARGET_DIR/#\$CARGO_TARGET_DIR/#g" \
    > "$here/results/${el}_steps.command.txt"
echo >> "$here/results/${el}_steps.command.txt"
"${cmd[@]}"
echo "wrote $out"
