#!/usr/bin/env bash
# bench/rheology/tts.sh: time to solution for one 10 GHz cycle of the gold-paper junction,
# nanocontact against LAMMPS running the same protocol (issue 6, acceptance item 4).
#
#   bench/rheology/tts.sh                          # one cycle (50,000 steps), best of 3, 1 and 2 ranks
#   STEPS=2000 REPEATS=1 bench/rheology/tts.sh     # a short check
#
# 1. Common start (tts_gen.toml): the junction of inputs/au_junction.toml (2,575 atoms) built,
#    relaxed with FIRE and run for 10 ps at 300 K by nanocontact, written as a LAMMPS data file
#    (positions and velocities). Both codes read that file.
# 2. Groups: z slabs cut midway between the atomic planes of the built junction, identical in
#    both codes (nanocontact [[group]] slabs, LAMMPS region blocks); the script checks that each
#    slab of the start file holds exactly the atoms (ids) of the builder's group, and that both
#    codes count the same atoms in every group.
# 3. Protocol, in both codes (tts_run.toml, in.tts.lmp): bottom rigid lead fixed, top rigid lead
#    driven as h(t) = h0 + a0 sin(wt), a0 = 1 Å, 10 GHz; Langevin baths at 300 K, damping
#    0.5 ps, on the two bath planes of each lead; NVE on every non-rigid atom; Au_u3.eam
#    (pair_style eam), 2 fs, skin 1 Å checked every step; force on both leads every 25 steps,
#    thermo every THERMO steps; no trajectory.
# 4. Each code runs STEPS steps on each rank count of RANKS, alternately (nanocontact, LAMMPS),
#    REPEATS times; the best (minimum) loop time of each is reported with steps/s, the time per
#    10 GHz cycle (loop time x 50,000/STEPS) and the ratio nanocontact/LAMMPS.
# 5. Physics cross-check (first repeat at each rank count): the tensile lead force
#    F = (F_bottom - F_top)/2, fitted as F0 + A sin(wt + phi) over the whole cycles (with less
#    than a cycle, only its mean F0), with standard errors from 10 ps blocks; G' and G'' from
#    `nanocontact analyze rheology --signal` (whole cycles); the mean temperature of the non-rigid
#    atoms and the temperature of the junction group at the last step. F0 and A must agree
#    within PHYS_TOL (relative, default 0.3) or 3 combined standard errors, whichever is larger
#    (the force of one cycle is noisy: about 5 nN rms, ringing at about 3.4 ps); temperatures
#    within TEMP_TOL (relative, 0.1). Otherwise the script exits 1 after printing everything.
#
# Environment: STEPS (default 50000), REPEATS (3), RANKS ("1 2"), THERMO (1000), PHYS_TOL (0.3),
# TEMP_TOL (0.1).
# Installs Debian's `lammps` package if `lmp` is missing, builds nanocontact in release mode (into
# CARGO_TARGET_DIR if set). Outputs go to bench/rheology/work/tts/ (git-ignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
steps="${STEPS:-50000}"
repeats="${REPEATS:-3}"
thermo="${THERMO:-1000}"
phys_tol="${PHYS_TOL:-0.3}"
temp_tol="${TEMP_TOL:-0.1}"
read -r -a ranks <<<"${RANKS:-1 2}"
ncores="$(getconf _NPROCESSORS_ONLN)"
export OMP_NUM_THREADS=1
unset RUST_LOG # nanocontact's default: info on rank 0 only (one Loop time line per log)
# Drive and timestep: must match tts_run.toml and in.tts.lmp.
dt_ps=0.002
a0_a=1.0
freq_ghz=10.0
cycle_steps=50000 # 1/(f dt) = 100 ps / 2 fs
ev_per_a_in_nn=1.602176634

# --- 1. LAMMPS and nanocontact ------------------------------------------------------------------
source "$root/scripts/deps.sh" # MPI, HDF5, the mpirun environment
if ! command -v lmp >/dev/null 2>&1; then
    echo "== installing Debian's lammps package (lmp not found)"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq lammps >/dev/null
fi
echo "== building nanocontact (cargo build --release)"
(cd "$root" && cargo build --release --quiet)
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
nc="$target_dir/release/nanocontact"
[ -x "$nc" ] || { echo "bench/rheology/tts: $nc not found after the build" >&2; exit 1; }
pot="$root/inputs/potentials/Au_u3.eam"

mpirun=(mpirun --oversubscribe --bind-to core --map-by core)
max_ranks=0
for p in "${ranks[@]}"; do if [ "$p" -gt "$max_ranks" ]; then max_ranks="$p"; fi; done
if [ "$ncores" -lt "$max_ranks" ]; then mpirun=(mpirun --oversubscribe --bind-to none); fi

lmp_help="$(lmp -h 2>/dev/null || true)"
lmp_version="$(sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' <<<"$lmp_help")"
lmp_version="LAMMPS ${lmp_version:-?} (Debian lammps $(dpkg-query -W -f='${Version}' lammps 2>/dev/null || echo '?'))"
echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $ncores cores; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "== nanocontact $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'); $lmp_version"
echo "== $steps steps ($(awk -v s="$steps" -v c="$cycle_steps" 'BEGIN { printf "%.3g", s / c }') cycles of 10 GHz at 2 fs), ranks ${ranks[*]}, best of $repeats"

cd "$here"
w="work/tts"
rm -rf "$w"
mkdir -p "$w"
status=0

# --- 2. Common start and groups -----------------------------------------------------------------
echo "== common start: tts_gen.toml (FIRE, 10 ps at 300 K) on $max_ranks ranks"
"$nc" build tts_gen.toml --out "$w/built.data" >"$w/built.log" 2>&1 || { cat "$w/built.log"; exit 1; }
natoms="$(sed -n 's/.*\] \([0-9]*\) atoms, box .*/\1/p' "$w/built.log" | head -n1)"
"${mpirun[@]}" -np "$max_ranks" "$nc" run tts_gen.toml --out "$w/gen" >"$w/gen.log" 2>&1 \
    || { cat "$w/gen.log"; exit 1; }
grep -E 'FIRE|Loop time' "$w/gen.log" | sed 's/^ *\[[A-Z]*\] */   /'
cp "$w/gen/final.data" "$w/start.data"

# Atom lines "id z" of a LAMMPS data file.
data_z() { awk '/^Atoms/ { on = 1; next } /^(Velocities|Masses)/ { on = 0 } on && NF >= 5 { print $1, $5 }' "$1"; }
# Slab bounds midway between the atomic planes of the built junction (exact lattice planes):
# above the 2nd and 4th planes from the bottom, below the 4th and 2nd from the top.
read -r z1 z2 z3 z4 < <(data_z "$w/built.data" | sort -k2,2g | awk '
    NR == 1 || $2 - last > 0.5 { n++; p[n] = $2 } { last = $2 }
    END { printf "%.4f %.4f %.4f %.4f\n", (p[2] + p[3]) / 2, (p[4] + p[5]) / 2, (p[n - 4] + p[n - 3]) / 2, (p[n - 2] + p[n - 1]) / 2 }')
echo "   group slabs (z, A): lead_bottom < $z1 <= bath_bottom <= $z2 < junction < $z3 <= bath_top <= $z4 <= lead_top"
# Group name of each atom of a data file from the slabs ("id group" lines, sorted by id).
slab_groups() {
    data_z "$1" | awk -v z1="$z1" -v z2="$z2" -v z3="$z3" -v z4="$z4" '{
        g = ($2 <= z1) ? "lead_bottom" : ($2 <= z2) ? "bath_bottom" : ($2 < z3) ? "junction" : ($2 < z4) ? "bath_top" : "lead_top"
        print $1, g }' | sort -n
}
slab_groups "$w/built.data" >"$w/groups.built"
slab_groups "$w/start.data" >"$w/groups.start"
if ! cmp -s "$w/groups.built" "$w/groups.start"; then
    echo "bench/rheology/tts: an atom of $w/start.data crossed a group slab during the common start" >&2
    exit 1
fi
for g in lead_bottom bath_bottom junction bath_top lead_top; do
    n_builder="$(sed -n "s/.*group $g: \([0-9]*\) atoms.*/\1/p" "$w/built.log")"
    n_slab="$(awk -v g="$g" '$2 == g { n++ } END { print n + 0 }' "$w/groups.start")"
    if [ "$n_builder" != "$n_slab" ]; then
        echo "bench/rheology/tts: group $g: the builder has $n_builder atoms, the slabs $n_slab" >&2
        exit 1
    fi
    eval "count_$g=$n_slab"
done
echo "   groups (atoms): lead_bottom $count_lead_bottom, bath_bottom $count_bath_bottom, junction $count_junction, bath_top $count_bath_top, lead_top $count_lead_top (the builder's, atom by atom)"
sed -e "s|@DATA@|$here/$w/start.data|" -e "s|@POT@|$pot|" -e "s|@Z1@|$z1|g" -e "s|@Z2@|$z2|g" \
    -e "s|@Z3@|$z3|g" -e "s|@Z4@|$z4|g" -e "s|@STEPS@|$steps|" -e "s|@THERMO@|$thermo|" \
    tts_run.toml >"$w/run.toml"
# nanocontact's own group counts on the run deck.
"$nc" build "$w/run.toml" --out "$w/run_groups.data" >"$w/run_groups.log" 2>&1 \
    || { cat "$w/run_groups.log"; exit 1; }
for g in lead_bottom bath_bottom bath_top lead_top; do
    n="$(sed -n "s/.*group $g: \([0-9]*\) atoms.*/\1/p" "$w/run_groups.log")"
    eval "want=\$count_$g"
    [ "$n" = "$want" ] || { echo "bench/rheology/tts: nanocontact puts $n atoms in $g, not $want" >&2; exit 1; }
done

# --- 3. Alternating runs ------------------------------------------------------------------------
nc_loop() { sed -n 's/.*Loop time of \([0-9.eE+-]*\) s on .*/\1/p' "$1" | tail -n1; }
lmp_loop() { sed -n 's/^Loop time of \([0-9.eE+-]*\) on .*/\1/p' "$1" | tail -n1; }
# Percentage (user + sys) / (real x ranks) of a `time` output written with TIMEFORMAT='%R %U %S'.
cpu_share() { awk -v p="$2" '{ print ($1 > 0) ? 100 * ($2 + $3) / ($1 * p) : 0 }' "$1"; }
TIMEFORMAT='%R %U %S'
lmp_vars=(-var data start.data -var pot "$pot" -var z1 "$z1" -var z2 "$z2" -var z3 "$z3" -var z4 "$z4"
    -var steps "$steps" -var thermo "$thermo")
declare -A best_nc=() best_lmp=() cpu_nc=() cpu_lmp=()
echo "== runs ($steps steps each; cpu = (user + sys) / (wall x ranks) of the whole process)"
for k in $(seq 1 "$repeats"); do
    for p in "${ranks[@]}"; do
        tag="p$p.$k"
        { time "${mpirun[@]}" -np "$p" "$nc" run "$w/run.toml" --out "$w/nc.$tag" >"$w/nc.$tag.log" 2>&1; } \
            2>"$w/nc.$tag.time" || { cat "$w/nc.$tag.log"; exit 1; }
        { time (cd "$w" && "${mpirun[@]}" -np "$p" lmp -nocite -screen none -log "lmp.$tag.log" \
            -in "$here/in.tts.lmp" "${lmp_vars[@]}" -var leads "lmp.$tag.forces" \
            -var final "lmp.$tag.final.data" >/dev/null 2>&1); } 2>"$w/lmp.$tag.time" \
            || { cat "$w/lmp.$tag.log"; exit 1; }
        t="$(nc_loop "$w/nc.$tag.log")"
        tl="$(lmp_loop "$w/lmp.$tag.log")"
        c="$(cpu_share "$w/nc.$tag.time" "$p")"
        cl="$(cpu_share "$w/lmp.$tag.time" "$p")"
        printf '   run %d, %d rank(s): nanocontact %9.3f s (cpu %3.0f %%)   LAMMPS %9.3f s (cpu %3.0f %%)\n' "$k" "$p" "$t" "$c" "$tl" "$cl"
        if [ -z "${best_nc[$p]:-}" ] || awk -v a="$t" -v b="${best_nc[$p]}" 'BEGIN { exit !(a < b) }'; then
            best_nc[$p]="$t"; cpu_nc[$p]="$c"
        fi
        if [ -z "${best_lmp[$p]:-}" ] || awk -v a="$tl" -v b="${best_lmp[$p]}" 'BEGIN { exit !(a < b) }'; then
            best_lmp[$p]="$tl"; cpu_lmp[$p]="$cl"
        fi
    done
done
# LAMMPS's group counts (from its log) must be the same as nanocontact's.
for g in lead_bottom bath_bottom bath_top lead_top junction; do
    n="$(sed -n "s/^\([0-9]*\) atoms in group $g\$/\1/p" "$w/lmp.p${ranks[0]}.1.log" | head -n1)"
    eval "want=\$count_$g"
    [ "$n" = "$want" ] || { echo "bench/rheology/tts: LAMMPS puts ${n:-?} atoms in $g, not $want" >&2; status=1; }
done

# --- 4. Time to solution ------------------------------------------------------------------------
echo
echo "-- time to solution: $natoms-atom junction, $steps steps of 2 fs (one 10 GHz cycle = $cycle_steps steps), best of $repeats"
printf '   %5s  %-11s  %11s  %9s  %13s  %13s\n' "ranks" "code" "loop (s)" "steps/s" "s per cycle" "nc/LAMMPS"
for p in "${ranks[@]}"; do
    awk -v p="$p" -v s="$steps" -v c="$cycle_steps" -v a="${best_nc[$p]}" -v b="${best_lmp[$p]}" 'BEGIN {
        printf "   %5d  %-11s  %11.3f  %9.1f  %13.2f\n", p, "nanocontact", a, s / a, a * c / s
        printf "   %5d  %-11s  %11.3f  %9.1f  %13.2f  %13.3f\n", p, "LAMMPS", b, s / b, b * c / s, a / b }'
    if awk -v a="${cpu_nc[$p]}" -v b="${cpu_lmp[$p]}" 'BEGIN { exit !(a < 90 || b < 90) }'; then
        printf '   WARNING (%d ranks): the best runs had %.0f %% (nanocontact) and %.0f %% (LAMMPS) of their cores:\n' "$p" "${cpu_nc[$p]}" "${cpu_lmp[$p]}"
        echo "   the machine is busy, so these times are inflated and the ratio is unreliable."
    fi
done
best_p="${ranks[-1]}"
echo "   re-neighbourings ($best_p ranks, run 1): nanocontact $(sed -n 's/.* \([0-9]*\) re-neighbourings.*/\1/p' "$w/nc.p$best_p.1.log"), LAMMPS $(sed -n 's/^Neighbor list builds = *//p' "$w/lmp.p$best_p.1.log")"
echo "   nanocontact timing breakdown ($best_p ranks, run 1):"
sed -n '/^ *Section  *|/,/^ *Other /p' "$w/nc.p$best_p.1.log" | sed 's/^ */     /'
echo "   LAMMPS timing breakdown ($best_p ranks, run 1):"
sed -n '/^Section |/,/^Total wall/p' "$w/lmp.p$best_p.1.log" | grep -E '^(Section|-----|Pair|Neigh|Comm|Output|Modify|Other)' | sed 's/^/     /' || true

# --- 5. Physics cross-check ---------------------------------------------------------------------
# Signals time_ps,h_A,force_nN with F = (F_bottom - F_top)/2 (nN), h = the top lead's displacement.
nc_signal() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print "time_ps,h_A,force_nN"; next }
        { printf "%s,%s,%.10e\n", $col["time_ps"], $col["disp_lead_top_A"], 0.5 * ($col["force_lead_bottom_nN"] - $col["force_lead_top_nN"]) }' "$1"
}
lmp_signal() {
    awk -v dt="$dt_ps" -v a0="$a0_a" -v f="$freq_ghz" -v k="$ev_per_a_in_nn" '
        BEGIN { print "time_ps,h_A,force_nN"; w = 2 * 3.14159265358979324 * f * 1e-3 }
        /^#/ { next } { t = $1 * dt; printf "%.6f,%.10e,%.10e\n", t, a0 * sin(w * t), 0.5 * ($2 - $3) * k }' "$1"
}
# "F0 F0_err A A_err" of a signal. Over the M whole cycles from the first sample (M >= 1), the
# least-squares fit F = F0 + B sin(wt) + C cos(wt), A = sqrt(B^2 + C^2) (uniform samples over
# whole periods: the projections onto 1, sin, cos). With less than a cycle, F0 is the mean and A
# is not fitted (nan). Errors: the force rings at about 3.4 ps (the leads' breathing mode), so the
# samples are far from independent; the standard error of F0 is that of the means of 10 ps blocks
# of the residual, and that of A is sqrt(2) times it (the noise near the slow drive frequency
# is what the block means sample); nan with fewer than two blocks.
force_fit() {
    awk -F, -v f="$freq_ghz" -v block_ps=10 '
        BEGIN { w = 2 * 3.14159265358979324 * f * 1e-3; tau = 1e3 / f }
        NR > 1 { n++; t[n] = $1; y[n] = $3 }
        END {
            m = int((t[n] - t[1]) / tau + 1e-9)
            if (m >= 1) { k = 0; for (i = 1; i <= n; i++) if (t[i] - t[1] < m * tau - 1e-9) k++; n = k }
            for (i = 1; i <= n; i++) f0 += y[i] / n
            b = 0; c = 0
            if (m >= 1) for (i = 1; i <= n; i++) { b += 2 * (y[i] - f0) * sin(w * t[i]) / n; c += 2 * (y[i] - f0) * cos(w * t[i]) / n }
            per = 0; for (i = 1; i <= n && t[i] - t[1] < block_ps - 1e-9; i++) per++
            nb = int(n / per); s = 0; ss = 0
            for (j = 0; j < nb; j++) {
                mb = 0
                for (i = j * per + 1; i <= (j + 1) * per; i++) mb += (y[i] - f0 - b * sin(w * t[i]) - c * cos(w * t[i])) / per
                s += mb; ss += mb * mb
            }
            se = "nan"
            if (nb >= 2) { v = (ss - s * s / nb) / (nb - 1); se = sprintf("%.4f", sqrt((v > 0 ? v : 0) / nb)) }
            a = (m >= 1) ? sprintf("%.4f", sqrt(b * b + c * c)) : "nan"
            sa = (m >= 1 && se != "nan") ? sprintf("%.4f", sqrt(2) * se) : "nan"
            printf "%.4f %s %s %s\n", f0, se, a, sa
        }' "$1"
}
# G' and G'' (GPa) from the project's fit contract (nanocontact analyze rheology --signal; whole
# cycles only): stress on a fixed nominal area, 1.37 nm^2 (the earlier, thicker column's; only the
# comparison of the two codes matters here), strain a0/h0 with h0 = 2.75 nm.
moduli() {
    "$nc" analyze rheology --signal "$1" --freq-ghz "$freq_ghz" --a0-nm 0.1 --h0-nm 2.75 --area-nm2 1.37 \
        | sed -n 's/.*"G_storage_GPa":\([^,}]*\).*"G_loss_GPa":\([^,}]*\).*/\1 \2/p' \
        | awk '{ printf "%.1f %.1f\n", $1, $2 }'
}
# Mean thermo temperature after step 0.
nc_tmean() { awk -F, 'NR > 2 { s += $6; n++ } END { printf "%.1f", (n > 0) ? s / n : 0 }' "$1"; }
lmp_tmean() {
    awk '/^ *Step /{ on = 1; next } /^Loop time/{ on = 0 } on && $1 > 0 { s += $5; n++ } END { printf "%.1f", (n > 0) ? s / n : 0 }' "$1"
}
# Temperature of the junction group (3N degrees of freedom) from the velocities of a data file.
t_junction() {
    awk -v m=196.97 'FNR == NR { if ($2 == "junction") j[$1] = 1; next }
        /^Velocities/ { on = 1; next } /^[A-Z]/ { on = 0 }
        on && NF >= 4 && ($1 in j) { s += $2 * $2 + $3 * $3 + $4 * $4; n++ }
        END { printf "%.1f", (n > 0) ? m * 1.0364269e-4 * s / (3 * n * 8.617333262e-5) : 0 }' "$w/groups.start" "$1"
}
# agree CHECK NAME A A_ERR B B_ERR TOL: print the comparison of A (nanocontact) and B (LAMMPS);
# with CHECK = 1, exit status 1 when |A - B| exceeds both TOL |B| and 3 combined standard errors
# (errors nan: the relative test alone).
agree() {
    awk -v check="$1" -v name="$2" -v a="$3" -v ea="$4" -v b="$5" -v eb="$6" -v tol="$7" 'BEGIN {
        d = a - b; d = d < 0 ? -d : d; ref = b < 0 ? -b : b
        lim = tol * ref; how = sprintf("%g relative", tol)
        if (ea != "nan" && eb != "nan") { s = 3 * sqrt(ea * ea + eb * eb); if (s > lim) { lim = s; how = "3 std. errors" } }
        sa = (ea != "nan") ? sprintf("%.3f +- %.3f", a, ea) : sprintf("%.3f", a)
        sb = (eb != "nan") ? sprintf("%.3f +- %.3f", b, eb) : sprintf("%.3f", b)
        ok = (d <= lim)
        verdict = !check ? "  (not checked: less than a cycle)" : ok ? "" : "  MISMATCH"
        printf "   %-26s nanocontact %-17s LAMMPS %-17s |diff| %7.3f  limit %7.3f (%s)%s\n", name, sa, sb, d, lim, how, verdict
        exit !(ok || !check) }'
}
whole=0
if [ "$steps" -ge "$cycle_steps" ]; then whole=1; fi
echo
if [ "$whole" = 1 ]; then
    echo "-- physics (run 1): F = (F_bottom - F_top)/2 fitted as F0 + A sin(wt + phi) over the whole cycles"
else
    echo "-- physics (run 1): F = (F_bottom - F_top)/2; less than a cycle, so only its mean F0 (no amplitude)"
fi
for p in "${ranks[@]}"; do
    nc_signal "$w/nc.p$p.1/leads.csv" >"$w/nc.p$p.signal.csv"
    lmp_signal "$w/lmp.p$p.1.forces" >"$w/lmp.p$p.signal.csv"
    read -r f0_nc ef0_nc a_nc ea_nc < <(force_fit "$w/nc.p$p.signal.csv")
    read -r f0_l ef0_l a_l ea_l < <(force_fit "$w/lmp.p$p.signal.csv")
    echo "   $p rank(s):"
    agree "$whole" "mean force F0 (nN)" "$f0_nc" "$ef0_nc" "$f0_l" "$ef0_l" "$phys_tol" || status=1
    if [ "$whole" = 1 ]; then
        agree 1 "force amplitude A (nN)" "$a_nc" "$ea_nc" "$a_l" "$ea_l" "$phys_tol" || status=1
        read -r gs_nc gl_nc < <(moduli "$w/nc.p$p.signal.csv")
        read -r gs_l gl_l < <(moduli "$w/lmp.p$p.signal.csv")
        echo "   G', G'' (GPa; analyze rheology --signal): nanocontact $gs_nc, $gl_nc; LAMMPS $gs_l, $gl_l"
    fi
    agree 1 "T non-rigid, run mean (K)" "$(nc_tmean "$w/nc.p$p.1/thermo.csv")" nan "$(lmp_tmean "$w/lmp.p$p.1.log")" nan "$temp_tol" || status=1
    agree 1 "T junction, last step (K)" "$(t_junction "$w/nc.p$p.1/final.data")" nan "$(t_junction "$w/lmp.p$p.1.final.data")" nan "$temp_tol" || status=1
done
exit "$status"
