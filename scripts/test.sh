#!/usr/bin/env bash
# Quick start, command 2: install what is missing and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo test --release
