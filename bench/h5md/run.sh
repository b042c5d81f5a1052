#!/usr/bin/env bash
# Opens the demo's traj.h5 with MDAnalysis's H5MD reader and with h5py, and compares every frame
# with the LAMMPS dump of the same run (check_mdanalysis.py); then shows that the units written
# before 2026-12 (`Ang`, `eV Ang-1`) are what MDAnalysis refused. Needs Python 3 with venv;
# MDAnalysis and h5py are installed from PyPI into $VENV (default: .venv of the repository, as
# scripts/test.sh makes it). Work files go to bench/h5md/work/ (git-ignored). Results: README.md.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
VENV=${VENV:-$ROOT/.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import MDAnalysis, h5py" 2>/dev/null || "$VENV/bin/pip" install --quiet MDAnalysis h5py
(cd "$ROOT" && source scripts/deps.sh && cargo build --release --quiet)
rm -rf work && mkdir -p work
# The demo deck with the dump and extended XYZ at the frames of traj.h5.
sed -e "s|files = \[\"potentials/Au_u3.eam\"\]|files = [\"$ROOT/inputs/potentials/Au_u3.eam\"]|" \
    -e 's|^species = \["Au"\]|species = ["Au"]\ndump = 250\nxyz = 250|' \
    "$ROOT/inputs/demo_junction.toml" > work/deck.toml
"$ROOT/target/release/nanocontact" run work/deck.toml --out work/out --overwrite > work/run.log 2>&1
"$VENV/bin/python" check_mdanalysis.py work/out
# The same file with the old unit strings: MDAnalysis stops, as it did on every traj.h5 before.
cp work/out/traj.h5 work/old_units.h5
"$VENV/bin/python" - <<'PY'
import h5py, MDAnalysis as mda
with h5py.File("work/old_units.h5", "r+") as f:
    p = f["particles/all"]
    for name, unit in [("position/value", "Ang"), ("velocity/value", "Ang ps-1"),
                       ("force/value", "eV Ang-1"), ("box/edges/value", "Ang")]:
        p[name].attrs["unit"] = unit
try:
    mda.Universe("work/out/final.data", "work/old_units.h5", atom_style="id type x y z", format="H5MD")
    print("old units: MDAnalysis read the file")
except Exception as e:
    print(f"old units (as written before 2026-12): MDAnalysis refuses: {type(e).__name__}: {e}")
PY
