#!/usr/bin/env bash
# bench/rewiring/dft/run.sh: T(E_F) of one contact from pw.x + pwcond.x (PBE, USPP) and from
# nanocontact's PTBP model on the same geometry and k∥ mesh.
#
#   bash bench/rewiring/dft/run.sh CASE DATA LEFT_LO LEFT_HI RIGHT_LO RIGHT_HI [qe_inputs.py options]
#
# CASE names the result (results/CASE/); DATA is a LAMMPS data file of the contact (two Ag(111)
# slabs periodic in x and y, z the transport axis); the lead regions are z ranges (Å), as in a
# transport deck's `[leads] left = { lo, hi }`. Options after the ranges go to qe_inputs.py
# (--kmesh N, --kscf N, --ecutwfc, --ecutrho, ...). Every QE run is ONE process
# (OMP_NUM_THREADS=1, no mpirun) under `nice -n ${NICE:-5}`, one at a time. The bulk lead SCF
# depends only on the lead (its input's SHA-256 names it under work/leads/) and is reused.
#
# Scratch: work/ (git-ignored). Kept: results/CASE/ (inputs, outputs without wavefunctions,
# times, summary.csv). Environment: NANOCONTACT_BIN (default: target/release/nanocontact,
# built if missing); RESULT_TAG (results/CASE_TAG/); WORK_NAME (scratch work/WORK_NAME/, default
# CASE: another SCF of the same case without overwriting the first); TB_FROM=results/DIR (no
# PTBP run and no build: copy DIR's PTBP tables, refused unless DIR/tb.toml is the same deck).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
[ $# -ge 6 ] || { sed -n 2,18p "${BASH_SOURCE[0]}"; exit 2; }
case_name="$1"; data="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
llo="$3"; lhi="$4"; rlo="$5"; rhi="$6"; shift 6

# --- bench dependencies (Debian 12): Quantum ESPRESSO and an optimised BLAS --------------------
# Debian's quantum-espresso links the reference BLAS (libblas3); libopenblas0-serial takes over
# libblas.so.3 through update-alternatives (measured: the bulk lead's setup 150 s -> 40 s).
need=()
command -v pw.x >/dev/null 2>&1 || need+=(quantum-espresso)
dpkg-query -W -f='${Status}' libopenblas0-serial 2>/dev/null | grep -q "install ok installed" \
    || need+=(libopenblas0-serial)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]} (apt-get)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
nice_n="${NICE:-5}"

# --- pseudopotential: generated here by ld1.x from the pslibrary 1.0.0 input -----------------
upf=Ag.pbe-n-rrkjus_psl.1.0.0.UPF
if [ ! -s "$here/pseudo/$upf" ]; then
    echo "== generating $upf with ld1.x"
    (cd "$here/pseudo" && nice -n "$nice_n" ld1.x < Ag.pbe-n-rrkjus_psl.1.0.0.in > ld1.out)
fi
# the UPF carries its generation date: the checksum is over the file without the date lines
sum=$(grep -v -i "date" "$here/pseudo/$upf" | sha256sum | cut -d' ' -f1)
# one recorded sum per BLAS that libblas.so.3 may point to (reference BLAS, OpenBLAS serial):
# ld1.x's output differs between them in the last digits (README, "Pseudopotential")
grep -qx "$sum" "$here/pseudo/$upf.sha256-nodate" \
    || echo "== WARNING: $upf differs from the recorded ones ($sum; recorded: $(tr '\n' ' ' < "$here/pseudo/$upf.sha256-nodate"))"

# --- nanocontact ----------------------------------------------------------------------------
nc="${NANOCONTACT_BIN:-$root/target/release/nanocontact}"
tb_from="${TB_FROM:+$(cd "$TB_FROM" && pwd)}"
if [ -z "$tb_from" ] && [ ! -x "$nc" ]; then (cd "$root" && cargo build --release --quiet); fi

# --- inputs ---------------------------------------------------------------------------------
work="$here/work/${WORK_NAME:-$case_name}"
res="$here/results/$case_name${RESULT_TAG:+_$RESULT_TAG}"   # RESULT_TAG: e.g. k3 (same SCF, other k-mesh)
mkdir -p "$work" "$res"
# paths relative to work/CASE (run.sh adds a ../ for work/leads/KEY): nothing machine-specific is written
python3 "$here/qe_inputs.py" "$data" --left "$llo" "$lhi" --right "$rlo" "$rhi" --out "$work" \
    --pseudo-dir ../../pseudo --tb-model "$(realpath --relative-to="$work" "$root/inputs/tb/ptbp/Ag-Ag.skf")" \
    "$@" | tee "$res/geometry.txt"
cp "$work/lead.scf.in" "$work/scatt.scf.in" "$work/cond.in" "$work/tb.toml" "$res/"
if [ -n "$tb_from" ] && ! cmp -s "$tb_from/tb.toml" "$res/tb.toml"; then
    echo "TB_FROM: $TB_FROM/tb.toml differs from this case's deck" >&2; exit 2
fi

timed() {  # timed NAME CMD...: run, append "NAME wall_s cpu_s" to times.txt
    local name="$1"; shift
    local t0; t0=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$work/$name.cpu" "$@"
    local t1; t1=$(date +%s.%N)
    read -r u s < "$work/$name.cpu"
    printf "%s %.1f %.1f\n" "$name" "$(echo "$t1 - $t0" | bc)" "$(echo "$u + $s" | bc)" | tee -a "$res/times.txt"
}
: > "$res/times.txt"

# --- bulk lead (shared between cases with the same lead) -------------------------------------
lead_key=$(sha256sum "$work/lead.scf.in" | cut -c1-16)
lead_dir="$here/work/leads/$lead_key"
mkdir -p "$lead_dir"
if [ ! -f "$lead_dir/done" ]; then
    # work/leads/KEY is one level deeper than work/CASE: its pseudo_dir needs one more ../
    sed "s#pseudo_dir = '\.\./#pseudo_dir = '../../#" "$work/lead.scf.in" > "$lead_dir/lead.scf.in"
    (cd "$lead_dir" && timed lead nice -n "$nice_n" pw.x -in lead.scf.in > lead.scf.out)
    touch "$lead_dir/done"
else
    echo "lead 0.0 0.0 (reused work/leads/$lead_key)" | tee -a "$res/times.txt"
fi
cp "$lead_dir/lead.scf.out" "$res/lead.scf.out"
mkdir -p "$work/tmp"
rm -rf "$work/tmp/lead.save"
ln -s "$lead_dir/tmp/lead.save" "$work/tmp/lead.save"

# --- scattering region SCF, then PWCOND ------------------------------------------------------
if [ ! -f "$work/scatt.done" ] || ! cmp -s "$work/scatt.scf.in" "$work/scatt.done"; then
    (cd "$work" && timed scatt nice -n "$nice_n" pw.x -in scatt.scf.in > scatt.scf.out)
    cp "$work/scatt.scf.in" "$work/scatt.done"
else
    echo "scatt 0.0 0.0 (reused work/${WORK_NAME:-$case_name})" | tee -a "$res/times.txt"
fi
rm -f "$work"/tmp/*.wfc*
cp "$work/scatt.scf.out" "$res/scatt.scf.out"
(cd "$work" && timed cond nice -n "$nice_n" pwcond.x -in cond.in > cond.out)
grep -v "taunew" "$work/cond.out" > "$res/cond.out"   # without the 1600 orbital-position lines

# --- PTBP on the same geometry and k-mesh ----------------------------------------------------
if [ -n "$tb_from" ]; then
    for f in tb_conductance.csv tb_transmission.csv tb_transmission_k.csv tb_eigenchannels.csv; do
        if [ -f "$tb_from/$f" ]; then cp "$tb_from/$f" "$res/$f"; fi
    done
    echo "tb 0.0 0.0 (copied from $TB_FROM: the same deck)" | tee -a "$res/times.txt"
else
    (cd "$work" && timed tb nice -n "$nice_n" "$nc" transport tb.toml --out tb > tb.log 2>&1)
    cp "$work/tb/conductance.csv" "$res/tb_conductance.csv"
    cp "$work/tb/transmission.csv" "$res/tb_transmission.csv"
    [ -f "$work/tb/transmission_k.csv" ] && cp "$work/tb/transmission_k.csv" "$res/tb_transmission_k.csv"
fi

# no machine paths in what is kept
for f in "$res"/*; do sed -i -e "s#$here/#bench/rewiring/dft/#g" -e "s#$root/##g" "$f"; done
python3 "$here/summary.py" "$res" | tee "$res/summary.csv"
