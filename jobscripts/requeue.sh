# Sourced by the job scripts of this folder (from $SLURM_SUBMIT_DIR/jobscripts, so submit from
# the repository root): the MPI launch and the requeue on SLURM's warning signal.
#
# - Steps start with `srun --mpi=$SRUN_MPI` (default pmix: Debian's OpenMPI 4.1 has no SLURM
#   PMI of its own, so a plain `srun` fails in MPI_Init; a site whose OpenMPI was built with
#   SLURM support may set SRUN_MPI=pmi2 or the site default).
# - The scripts ask for `#SBATCH --signal=B:USR1@SECONDS`: SLURM sends USR1 to this batch shell
#   that long before the time limit. The step runs in the background so that the shell takes
#   the signal at once; it forwards USR1 to the step (srun passes it to every rank), waits for
#   the step to end, and requeues the job (`scontrol requeue`, at most MAX_REQUEUES times,
#   default 5). SIGTERM (scancel, the time limit itself) is forwarded but does not requeue.
# - What the ranks do with USR1 depends on the command: `farm` stores each unit as it finishes,
#   so the requeued job skips the stored units and goes on; `run` writes OUT/checkpoint and
#   stops, and the requeued job continues it with `--restart OUT/checkpoint` (restart_args),
#   appending to its outputs (runs with inline transport ranks included: their checkpoint holds
#   the transport queue).
# - A step that finished its work although the signal came (it arrived during the last minutes,
#   or the time limit is shorter than the warning) must not be requeued: a script sets
#   DONE_FILE to a file its command writes only on completion (`run`: OUT/final.data, which a
#   run stopped by the signal does not write), and run_step requeues only when that file is
#   missing. Without DONE_FILE every signalled step is requeued.
SRUN_MPI="${SRUN_MPI:-pmix}"
MAX_REQUEUES="${MAX_REQUEUES:-5}"
requeue_wanted=0
step_pid=""

on_signal() {
    echo "$(date +%FT%T) job ${SLURM_JOB_ID:-?}: SIG$1 received; passing it to the step" >&2
    [ "$1" = USR1 ] && requeue_wanted=1
    if [ -n "$step_pid" ]; then kill -s "$1" "$step_pid" 2>/dev/null || true; fi
}
trap 'on_signal USR1' USR1
trap 'on_signal TERM' TERM

# run_step ARGS..: `srun --mpi=$SRUN_MPI ARGS..`; returns the step's exit status, or requeues
# the job and exits when the warning signal came during the step.
run_step() {
    echo "$(date +%FT%T) job ${SLURM_JOB_ID:-?} (restart ${SLURM_RESTART_COUNT:-0}): srun --mpi=$SRUN_MPI $*" >&2
    srun --mpi="$SRUN_MPI" "$@" &
    step_pid=$!
    local rc=0
    while :; do
        wait "$step_pid" && rc=0 || rc=$?
        # A trapped signal interrupts `wait` (status > 128) while the step still runs.
        kill -0 "$step_pid" 2>/dev/null || break
    done
    step_pid=""
    if [ "$requeue_wanted" = 1 ] && [ "$rc" = 0 ] && [ -n "${DONE_FILE:-}" ] && [ -e "$DONE_FILE" ]; then
        echo "$(date +%FT%T) job ${SLURM_JOB_ID:-?}: step finished ($DONE_FILE written) before the signal stopped it; not requeued" >&2
        requeue_wanted=0
    fi
    if [ "$requeue_wanted" = 1 ]; then
        if [ "${SLURM_RESTART_COUNT:-0}" -lt "$MAX_REQUEUES" ]; then
            echo "$(date +%FT%T) job $SLURM_JOB_ID: step ended ($rc); requeueing" >&2
            scontrol requeue "$SLURM_JOB_ID"
            exit 0
        fi
        echo "job $SLURM_JOB_ID: requeued $MAX_REQUEUES times already; not again" >&2
    fi
    return "$rc"
}

# restart_args OUT: `--restart FILE` when this nanocontact has `run --restart` and OUT holds a
# checkpoint (OUT/checkpoint); in a requeued job without a checkpoint (stopped before the first
# one), `--overwrite`: `run` refuses a folder holding a run unless told to start it again;
# else nothing.
restart_args() {
    if "$NC" run --help 2>/dev/null | grep -q -- '--restart' && [ -e "$1/checkpoint" ]; then
        echo "--restart $1/checkpoint"
    elif [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ] && "$NC" run --help 2>/dev/null | grep -q -- '--overwrite'; then
        echo "--overwrite"
    fi
}
