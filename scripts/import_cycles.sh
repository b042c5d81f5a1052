#!/usr/bin/env bash
# List the import cycles between the files of src/ and the files over 800 lines: runs the
# layout test (tests/layout.rs) with its output shown. `cargo test --release` (scripts/test.sh,
# CI) runs the same test, so a cycle or a long file fails the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test layout -- --nocapture --test-threads=1
