#!/usr/bin/env bash
# The job scripts of jobscripts/ on a single-node SLURM cluster (scripts/slurm_single_node.sh:
# Debian's slurm-wlm and munge, installed if missing), each in its small variant, as a user
# would submit them from the repository root; then a farm job and an MD run that get SLURM's
# warning signal mid-run, requeue themselves and go on (the farm from the units it had stored,
# the run from the checkpoint it wrote on the signal, ending byte for byte as an uninterrupted
# run); and an MD run cancelled by `scontrol requeue` that continues from its last checkpoint. Needs root (apt-get, the daemons). Writes under bench/slurm/work/ (git-ignored) and
# prints the `sacct -c` table; exit status 1 if a job did not finish as expected. About 7
# minutes on 2 cores, most of it SLURM's wait before a requeued job starts again.
#
#   bash scripts/slurm_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/deps.sh
cargo build --release --quiet
bash scripts/slurm_single_node.sh
W="$ROOT/bench/slurm/work"
rm -rf "$W" && mkdir -p "$W"
CPUS=$(sinfo -h -o %c | head -1)
NP=$(( CPUS < 2 ? CPUS : 2 ))
fail=0
check() { # description, then a command that must succeed
    local what=$1; shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
job_state() { # JOBID -> STATE EXITCODE RESTARTS from scontrol (jobs are kept for MinJobAge)
    scontrol show job "$1" | tr ' ' '\n' | awk -F= '$1=="JobState"{s=$2} $1=="ExitCode"{e=$2} $1=="Restarts"{r=$2} END{print s, e, r}'
}
submit_wait() { # sbatch options.. script -> job id, after the job ended (requeues included)
    local id
    id=$(sbatch --parsable "$@")
    while :; do
        sleep 2
        read -r s _ _ < <(job_state "$id")
        case "$s" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
    done
    echo "$id"
}

# 1. The demo on NP ranks.
demo=$(OUT="$W/demo" submit_wait -n "$NP" --ntasks-per-node="$NP" --output="$W/demo-%j.out" jobscripts/demo_junction.slurm)
check "demo_junction.slurm (job $demo): $(job_state "$demo")" [ "$(job_state "$demo")" = "COMPLETED 0:0 0" ]
check "demo wrote final.data and 21 frames" grep -q "output written to" "$W/demo-$demo.out"

# 2. The farm on the demo's trajectory (21 frames x 2 k-points).
farm=$(TRAJ="$W/demo/traj.h5" MD_DECK="$W/demo/deck.toml" FRAMES=21 MESH=2 LEFT=bottom RIGHT=top POINTS=21 OUT="$W/farm" \
    submit_wait -n "$NP" --ntasks-per-node="$NP" --output="$W/farm-%j.out" jobscripts/farm_1000.slurm)
check "farm_1000.slurm (job $farm): $(job_state "$farm")" [ "$(job_state "$farm")" = "COMPLETED 0:0 0" ]
check "farm: 21 of 21 frames complete" grep -q "21 of 21 frame(s) complete" "$W/farm-$farm.out"

# 3. Weak scaling, 864 atoms per rank, 50 steps.
weak=$(CELLS=6 STEPS=50 CSV="$W/weak_scaling.csv" submit_wait -n "$NP" --ntasks-per-node="$NP" --output="$W/weak-%j.out" jobscripts/weak_scaling.slurm)
check "weak_scaling.slurm (job $weak): $(job_state "$weak")" [ "$(job_state "$weak")" = "COMPLETED 0:0 0" ]
check "weak scaling: one line in its CSV" [ "$(wc -l <"$W/weak_scaling.csv")" = 2 ]

# 3b. The silver rewiring deck, small (9 Å pyramid bases, 10 + 10 steps).
sed -e 's|^base_edge = .*|base_edge = 9.0|' -e 's|^steps = [0-9]*|steps = 10|' -e 's|^thermo = .*|thermo = 5|' \
    -e 's|^trajectory = .*|trajectory = 20|' -e 's|^dump = .*|dump = 20|' \
    -e "s|potentials/|$ROOT/inputs/potentials/|" \
    -e "s|^deck = \"transport_ag_rewiring.toml\"|deck = \"$ROOT/inputs/transport_ag_rewiring.toml\"|" \
    inputs/ag_rewiring.toml >"$W/ag_small.toml"
ag=$(DECK="$W/ag_small.toml" OUT="$W/ag" submit_wait -n "$NP" --ntasks-per-node="$NP" --time=00:30:00 --output="$W/ag-%j.out" jobscripts/ag_rewiring.slurm)
check "ag_rewiring.slurm (job $ag): $(job_state "$ag")" [ "$(job_state "$ag")" = "COMPLETED 0:0 0" ]
check "ag_rewiring: 20 steps in thermo.csv" grep -q "^20," "$W/ag/thermo.csv"

# 3c. The wire scans, small (N = 2..10, V = 0 and 1 V).
wire=$(LENGTHS=2:10:2 BIASES=0,1.0 OUT="$W/wire" submit_wait -n "$NP" --ntasks-per-node="$NP" --time=00:10:00 --output="$W/wire-%j.out" jobscripts/wire_scan.slurm)
check "wire_scan.slurm (job $wire): $(job_state "$wire")" [ "$(job_state "$wire")" = "COMPLETED 0:0 0" ]
check "wire scan: its CSV written" ls "$W"/wire/scan/*.csv

# 4. Requeue: the farm with more energies; the warning signal (as --signal would send it) once
#    some units are stored; the job requeues itself and the second run skips the stored units.
id=$(TRAJ="$W/demo/traj.h5" MD_DECK="$W/demo/deck.toml" FRAMES=21 MESH=2 LEFT=bottom RIGHT=top POINTS=401 OUT="$W/farm_requeue" \
    sbatch --parsable -n "$NP" --ntasks-per-node="$NP" --output="$W/farm_requeue-%j.out" jobscripts/farm_1000.slurm)
for _ in $(seq 1 300); do
    grep -q "units stored" "$W/farm_requeue-$id.out" 2>/dev/null && break
    sleep 1
done
scancel --batch --signal=USR1 "$id"
while :; do
    sleep 2
    read -r s _ r < <(job_state "$id")
    [ "$r" -ge 1 ] 2>/dev/null && case "$s" in COMPLETED | FAILED | CANCELLED | TIMEOUT) break ;; esac
done
check "farm requeued once and completed (job $id): $(job_state "$id")" [ "$(job_state "$id")" = "COMPLETED 0:0 1" ]
check "farm requeue: the job requeued itself on USR1" grep -q "requeueing" "$W/farm_requeue-$id.out"
resumed=$(grep -o "units on [0-9]* rank(s): [0-9]* already in" "$W/farm_requeue-$id.out" | awk '{print $5}' | tail -1)
check "farm requeue: the second run found ${resumed:-no} stored units" [ "${resumed:-0}" -gt 0 ]
check "farm requeue: 21 of 21 frames complete" grep -q "21 of 21 frame(s) complete" "$W/farm_requeue-$id.out"

# 5. Requeue of an MD run: the driven junction for 20,000 steps; the warning signal once it has
#    thermo lines; the run writes its checkpoint and stops, the job requeues itself and the
#    second run continues with --restart. Its outputs must equal, byte for byte, those of the
#    same deck run without interruption (same 2 ranks).
sed -e "s|files = \[\"potentials/Au_u3.eam\"\]|files = [\"$ROOT/inputs/potentials/Au_u3.eam\"]|" \
    -e 's|^steps = 500|steps = 20000|' -e 's|^thermo = 100|thermo = 500|' \
    inputs/small_driven_junction.toml >"$W/long.toml"
whole=$(DECK="$W/long.toml" OUT="$W/run_whole" submit_wait -n "$NP" --ntasks-per-node="$NP" --output="$W/run_whole-%j.out" jobscripts/demo_junction.slurm)
check "run without interruption (job $whole): $(job_state "$whole")" [ "$(job_state "$whole")" = "COMPLETED 0:0 0" ]
rq=$(DECK="$W/long.toml" OUT="$W/run_requeue" sbatch --parsable -n "$NP" --ntasks-per-node="$NP" --output="$W/run_requeue-%j.out" jobscripts/demo_junction.slurm)
for _ in $(seq 1 120); do
    [ "$(wc -l 2>/dev/null <"$W/run_requeue/thermo.csv" || echo 0)" -ge 4 ] && break
    sleep 1
done
scancel --batch --signal=USR1 "$rq"
while :; do
    sleep 2
    read -r s _ r < <(job_state "$rq")
    [ "$r" -ge 1 ] 2>/dev/null && case "$s" in COMPLETED | FAILED | CANCELLED | TIMEOUT) break ;; esac
done
check "run requeued once and completed (job $rq): $(job_state "$rq")" [ "$(job_state "$rq")" = "COMPLETED 0:0 1" ]
check "run requeue: stopped by the signal with a checkpoint" grep -q "stopped by a signal at step" "$W/run_requeue-$rq.out"
check "run requeue: the second run restarted from it" grep -q "restarted from .*/run_requeue/checkpoint at step" "$W/run_requeue-$rq.out"
for f in thermo.csv leads.csv stages.csv final.data; do
    check "run requeue: $f identical to the uninterrupted run's" cmp -s "$W/run_whole/$f" "$W/run_requeue/$f"
done

# 6. A job cancelled mid-run by the cluster and requeued (`scontrol requeue`: SLURM ends the
#    running job with SIGTERM, then SIGKILL, and queues it again), with a checkpoint every 500
#    steps of its own: the requeued job continues from the last checkpoint on disk and ends
#    byte for byte as the uninterrupted run (job 5's, same deck otherwise).
sed -e 's|^leads = 10|leads = 10\ncheckpoint = 500|' "$W/long.toml" >"$W/long_ck.toml"
ck=$(DECK="$W/long_ck.toml" OUT="$W/run_cancel" sbatch --parsable -n "$NP" --ntasks-per-node="$NP" --output="$W/run_cancel-%j.out" jobscripts/demo_junction.slurm)
for _ in $(seq 1 240); do
    [ -e "$W/run_cancel/checkpoint" ] && [ "$(wc -l 2>/dev/null <"$W/run_cancel/thermo.csv" || echo 0)" -ge 5 ] && break
    sleep 1
done
scontrol requeue "$ck"
while :; do
    sleep 2
    read -r s _ r < <(job_state "$ck")
    [ "$r" -ge 1 ] 2>/dev/null && case "$s" in COMPLETED | FAILED | CANCELLED | TIMEOUT) break ;; esac
done
check "cancelled run requeued by the cluster and completed (job $ck): $(job_state "$ck")" [ "$(job_state "$ck")" = "COMPLETED 0:0 1" ]
check "cancelled run: the requeued job restarted from its checkpoint" grep -q "restarted from .*/run_cancel/checkpoint at step" "$W/run_cancel-$ck.out"
for f in thermo.csv leads.csv stages.csv final.data; do
    check "cancelled run: $f identical to the uninterrupted run's" cmp -s "$W/run_whole/$f" "$W/run_cancel/$f"
done

echo
sacct -c --format=JobID,JobName%12,Partition,NNodes,NCPUS,State,ExitCode,Start,End 2>/dev/null \
    | awk -v ids=" $demo $farm $weak $ag $wire $id $whole $rq $ck " 'NR <= 2 || index(ids, " " $1 " ")'
exit "$fail"
