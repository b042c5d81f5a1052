#!/usr/bin/env bash
# A single-node SLURM cluster on this machine (Debian 12: slurm-wlm 22.05, munge), for trying
# the job scripts of jobscripts/ as a user of a real cluster would, and for
# scripts/slurm_test.sh. Installs the packages if missing (apt-get, as scripts/deps.sh does),
# writes /etc/slurm/slurm.conf for this host (all its CPUs, one partition `debug`), and starts
# munged, slurmctld and slurmd unless a working controller already answers. Needs root.
#
#   bash scripts/slurm_single_node.sh          # set up and start (idempotent)
#   bash scripts/slurm_single_node.sh stop     # stop the daemons this script started
#
# Choices a default installation needs in a container or VM without systemd or cgroup v1
# delegation: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none, SlurmUser=root. Job
# completion records go to /var/log/slurm/jobcomp.log (jobcomp/filetxt; no slurmdbd), which
# `sacct -c` reads. Debian's OpenMPI 4.1 has no SLURM PMI of its own: launch MPI steps with
# `srun --mpi=pmix` (the mpi/pmix plugin of slurm-wlm), never plain `srun`.
set -euo pipefail
SLURM_ETC=/etc/slurm
LOG=/var/log/slurm

stop() {
    for d in slurmd slurmctld; do
        if [ -f "/run/$d.pid" ]; then kill "$(cat "/run/$d.pid")" 2>/dev/null || true; fi
    done
    if [ -f /run/munge/munged.pid ]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true; fi
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi

missing=()
for p in slurm-wlm munge; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "slurm_single_node: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "slurm_single_node: a controller already answers: $(sinfo -h -o '%P %D %T %C')"
    exit 0
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10 ))
mkdir -p "$SLURM_ETC" "$LOG" /var/spool/slurmctld /var/spool/slurmd /run/munge
cat >"$SLURM_ETC/slurm.conf" <<CONF
# Written by nanocontact scripts/slurm_single_node.sh: one node, for testing job scripts.
ClusterName=single
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobRequeue=1
KillWait=30
MinJobAge=3600
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG/jobcomp.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# The key the package made (or a new one), readable by munged alone.
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1 </dev/null; then
    runuser -u munge -- /usr/sbin/munged
fi
munge -n </dev/null | unmunge >/dev/null
stop_ctl() { [ -f /run/slurmctld.pid ] && kill "$(cat /run/slurmctld.pid)" 2>/dev/null || true; }
stop_ctl
[ -f /run/slurmd.pid ] && kill "$(cat /run/slurmd.pid)" 2>/dev/null || true
sleep 1
/usr/sbin/slurmctld -c    # -c: a fresh state (no jobs of an earlier cluster)
/usr/sbin/slurmd
for _ in $(seq 1 30); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        echo "slurm_single_node: up: $(sinfo -h -o 'partition %P, %D node(s) %N, %T, CPUs (A/I/O/T) %C')"
        srun --mpi=list 2>&1 | grep -q pmix || { echo "slurm_single_node: srun has no mpi/pmix plugin" >&2; exit 1; }
        exit 0
    fi
    sleep 1
done
echo "slurm_single_node: the node did not come up; see $LOG/slurmctld.log and $LOG/slurmd.log" >&2
tail -5 "$LOG/slurmctld.log" "$LOG/slurmd.log" >&2 || true
exit 1
