#!/usr/bin/env bash
# Install Kwant 1.5.0 (with MUMPS) into bench/transport/work/venv, as
# tests/reference/kwant/README.md describes (Python 3.11 has no Kwant wheel).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/work/venv"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import kwant" 2>/dev/null; then
    echo "kwant already installed in $venv"; exit 0
fi
if ! dpkg -s libmumps-scotch-dev gfortran libopenblas0-pthread python3-venv >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmumps-scotch-dev gfortran \
        libopenblas0-pthread python3-venv python3-dev >/dev/null
fi
mkdir -p "$here/work"
python3 -m venv "$venv"
"$venv/bin/pip" install -q "numpy<2" "scipy<1.14" tinyarray setuptools wheel cython
"$venv/bin/pip" install -q --no-build-isolation kwant==1.5.0
"$venv/bin/python" -c "import kwant; print('kwant', kwant.__version__)"
