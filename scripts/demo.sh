#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build in release mode, and run the main job
# on the built-in default deck (a small gold nanojunction). Output goes to ./out/ (or $1),
# replacing the outputs of an earlier demo there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo build --release --quiet
./target/release/nanocontact run --out "${1:-out}" --overwrite
