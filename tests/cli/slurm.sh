#!/bin/sh
# A real scheduler (docs/scale.md): a one-node Slurm cluster started here,
# as root, in a temporary directory with private ports — munged with its
# own key and socket, slurmctld and slurmd from a generated slurm.conf
# (proctrack/linuxproc, task/none: no cgroups or systemd needed) — and
# stopped by their PIDs at the end.  `mapgen slurm` submits the sample as
# K = 1, 2 and 7 tasks; each merge must give the bytes of a local -j 1
# run.  Then a task made to fail (its shard's temporary name taken by a
# directory) must leave the merge job pending and no output; resubmitting
# that task (--only-tasks) and its merge completes the run, byte-identical.
# Exit 77 (skipped) when not root or Slurm/munge are not installed.
set -eu
. "$(dirname "$0")/lib.sh"

ZOOMS=${ZOOMS:-0-6}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
    command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done

C=$(mktemp -d /tmp/mg-slurm.XXXXXX)
chmod 700 "$C"
stop_cluster() {
    for f in "$C/slurmd.pid" "$C/slurmctld.pid" "$C/munged.pid"; do
        [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || :
    done
    for f in "$C/slurmd.pid" "$C/slurmctld.pid" "$C/munged.pid"; do
        i=0
        while [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null &&
            [ $i -lt 50 ]; do
            sleep 0.2
            i=$((i + 1))
        done
    done
    rm -rf "$C"
    chmod -R u+w "$T" 2>/dev/null
    rm -rf "$T"
}
trap stop_cluster EXIT

# Two free TCP ports from a range private to this test run.
port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
P=$((20000 + $$ % 20000))
while ! port_free $P || ! port_free $((P + 1)); do P=$((P + 2)); done

dd if=/dev/urandom of="$C/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$C/munge.key"
munged -f -S "$C/munge.sock" --key-file="$C/munge.key" \
    --log-file="$C/munged.log" --pid-file="$C/munged.pid" \
    --seed-file="$C/munged.seed"
H=$(hostname -s)
MEM=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
mkdir -p "$C/state" "$C/spool"
cat >"$C/slurm.conf" <<CONF
ClusterName=mgtest
SlurmctldHost=$H
SlurmctldPort=$P
SlurmdPort=$((P + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$C/munge.sock
CredType=cred/munge
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
NodeName=$H CPUs=$(nproc) RealMemory=$MEM State=UNKNOWN
PartitionName=test Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF=$C/slurm.conf
export SLURM_CONF
slurmctld -i
slurmd
i=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
    i=$((i + 1))
    [ $i -lt 60 ] || { cat "$C"/*.log >&2; fail "the node never went idle"; }
    sleep 1
done

# state JOB: the job's state (an array: every task's, one a line).
state() {
    scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'
}

# wait_job JOB: waits until no task of JOB is pending or running.
wait_job() {
    i=0
    while state "$1" | grep -q -E 'PENDING|RUNNING|CONFIGURING|COMPLETING'; do
        i=$((i + 1))
        [ $i -lt 600 ] || fail "job $1 still not done after 600 s"
        sleep 1
    done
}

# submit K OUT ARGS...: mapgen slurm; sets SHARDS and MERGE (job ids).
submit() {
    k=$1 out=$2
    shift 2
    run slurm "$MG_SAMPLE" --tasks "$k" -o "$out" -z "$ZOOMS" -j 1 "$@"
    expect_rc 0
    SHARDS=$(sed -n 's/^shards //p' "$T/stdout")
    MERGE=$(sed -n 's/^merge //p' "$T/stdout")
    [ -n "$SHARDS" ] && [ -n "$MERGE" ] || fail "no job ids: $(cat "$T/stdout")"
}

SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH
MG_SAMPLE=$(dirname "$0")/../../geodata/sample/romania.json
run run -q -o "$T/ref" -j 1 -z "$ZOOMS"
expect_rc 0

for k in 1 2 7; do
    submit $k "$T/m$k"
    wait_job "$SHARDS"
    wait_job "$MERGE"
    [ "$(state "$MERGE")" = COMPLETED ] ||
        { cat "$T/m$k.shards"/slurm-* >&2; fail "merge of $k: $(state "$MERGE")"; }
    [ "$(state "$SHARDS" | sort -u)" = COMPLETED ] || fail "tasks of $k failed"
    n=$(ls "$T/m$k.shards"/shard-*-of-$k.mgshard | wc -l)
    [ "$n" = $k ] || fail "$n shard files of $k"
    same_tree "$T/ref" "$T/m$k"
done

# Task 1 of 2 fails: the merge never starts, nothing is written.
mkdir -p "$T/f.shards/shard-1-of-2.mgshard.partial"
submit 2 "$T/f"
wait_job "$SHARDS"
state "$SHARDS" | grep -q FAILED || fail "task 1 did not fail"
sleep 3
st=$(state "$MERGE")
[ "$st" = PENDING ] || fail "the merge is $st after a failed task"
scontrol show job "$MERGE" | grep -q -E 'Reason=(Dependency|DependencyNeverSatisfied)' ||
    fail "the merge waits for something else"
[ ! -e "$T/f" ] || fail "outputs after a failed task: $(ls "$T/f")"
scancel "$MERGE"
# The fault mended, task 1 and a merge resubmitted: the run completes.
rmdir "$T/f.shards/shard-1-of-2.mgshard.partial"
submit 2 "$T/f" --only-tasks 1
wait_job "$SHARDS"
wait_job "$MERGE"
[ "$(state "$MERGE")" = COMPLETED ] || fail "the resubmitted merge: $(state "$MERGE")"
same_tree "$T/ref" "$T/f"
