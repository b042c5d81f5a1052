#!/bin/bash
# The scans of bench/current_forces/README.md (seed 004, Figs. 2-3). Run from the repository
# root after `cargo build --release`, on RANKS (default 2) MPI ranks.
set -euo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
NC=./target/release/nanocontact
OUT=${OUT:-bench/current_forces/results}
RANKS=${RANKS:-2}
mkdir -p "$OUT"
# Fig. 2a and 2b: N = 2..100, biases 0 (equilibrium range), 0.25, 0.5, 1 V; MU = 0.5 eV.
mpirun -np "$RANKS" $NC wire scan --lengths 2:100:2 --biases 0,0.25,0.5,1.0 --fermi-ev 0.5 \
    --out "$OUT/fig2_mu0.5"
# Fig. 3: Ω(V) for N = 10, 20, 40, 80, V = 0..2 V; MU = 0.5 eV.
mpirun -np "$RANKS" $NC wire scan --lengths 10,20,40,80 --biases 0:2:0.05 --fermi-ev 0.5 \
    --out "$OUT/fig3_mu0.5"
# The tail's effect at half filling: nearest neighbours only against the smooth tail to 5 Å.
mpirun -np "$RANKS" $NC wire scan --lengths 2:98:4 --biases 0,1.0 --out "$OUT/half_filling_nn"
mpirun -np "$RANKS" $NC wire scan --lengths 2:98:4 --biases 0,1.0 --tail 2.6,5.0 \
    --out "$OUT/half_filling_tail"
