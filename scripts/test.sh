#!/usr/bin/env bash
# Quick start, command 2: install what is missing and run the whole test suite.
# Python packages the tests use (MDAnalysis and h5py: tests/h5md_mdanalysis.rs) go into a
# virtual environment, .venv/ of the repository (git-ignored; another with NANOCONTACT_VENV),
# installed from the Python package index when missing; the test then must find them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
VENV=${NANOCONTACT_VENV:-$PWD/.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import MDAnalysis, h5py" 2>/dev/null; then
  echo "installing MDAnalysis and h5py into $VENV"
  "$VENV/bin/pip" install --quiet MDAnalysis h5py
fi
export NANOCONTACT_PYTHON="$VENV/bin/python" NANOCONTACT_REQUIRE_PYTHON=1
cargo test --release
