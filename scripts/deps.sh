#!/usr/bin/env bash
# Install the system packages nanocontact needs (Debian 12), only those missing; silent when
# everything is present. Sourced by demo.sh and test.sh.
#   MPI: libopenmpi-dev openmpi-bin   HDF5: libhdf5-dev hdf5-tools   bindgen: clang libclang-dev
#   Python venv for the MDAnalysis test (scripts/test.sh): python3-venv
set -euo pipefail
NANOCONTACT_PACKAGES=(libopenmpi-dev openmpi-bin libhdf5-dev hdf5-tools clang libclang-dev pkg-config gcc make python3-venv)
missing=()
for p in "${NANOCONTACT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing missing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: install Rust (https://rustup.rs) and re-run" >&2
  exit 1
fi
# mpirun as root needs these; ob1 and isolated make local launches fast and ssh-free.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_pml=ob1 OMPI_MCA_plm=isolated
