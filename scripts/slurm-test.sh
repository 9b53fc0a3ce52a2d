#!/usr/bin/env bash
# lbsim sweep --slurm against a real, single-node Slurm that this script starts and stops:
# Debian's munge, slurmctld and slurmd (installed here if missing), on ports of their own
# and with state in a temporary folder, so a Slurm already on the machine is left alone.
# The same grid is then run locally: both must write the same sweep.csv (a simulation is
# deterministic), and the knee must be found.
#   scripts/slurm-test.sh   (after a build: build/release/cli/lbsim)
set -euo pipefail
cd "$(dirname "$0")/.."
lbsim="$PWD/build/release/cli/lbsim"
[[ -x $lbsim ]] || { echo "slurm-test: build first (scripts/build.sh)" >&2; exit 1; }

sudo_cmd=()
[[ $EUID -ne 0 ]] && sudo_cmd=(sudo)
missing=()
for pkg in munge slurmctld slurmd slurm-client; do
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
started=()
cleanup() {
  # Slurm's own way down first (both daemons), then whatever is left of what was started.
  [[ -n ${SLURM_CONF:-} ]] && timeout 10 scontrol shutdown >/dev/null 2>&1 || true
  for pid in "${started[@]}"; do "${sudo_cmd[@]}" kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 25); do
    pgrep -f "slurm(ctld|d) -f $work/slurm.conf" >/dev/null || break
    sleep 0.2
  done
  "${sudo_cmd[@]}" pkill -9 -f "slurm(ctld|d|scriptd).*$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# munge authenticates Slurm's messages; start one unless one already runs.
if ! pgrep -x munged >/dev/null; then
  [[ -f /etc/munge/munge.key ]] || "${sudo_cmd[@]}" mungekey --create
  "${sudo_cmd[@]}" mkdir -p /run/munge
  "${sudo_cmd[@]}" chown munge:munge /run/munge 2>/dev/null || true
  "${sudo_cmd[@]}" /usr/sbin/munged --force
  # munged forks into the background: the daemon's pid is the one in its pid file, once
  # written (a pgrep right after the start may still see the parent, which then exits).
  for _ in $(seq 50); do [[ -s /run/munge/munged.pid ]] && break; sleep 0.1; done
  started+=("$(cat /run/munge/munged.pid 2>/dev/null || pgrep -x munged)")
fi

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
cat >"$work/slurm.conf" <<CONF
ClusterName=lbsimtest
SlurmctldHost=$host
SlurmctldPort=6917
SlurmdPort=6918
SlurmUser=$(id -un)
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=lbsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
"${sudo_cmd[@]}" slurmctld -f "$SLURM_CONF"
"${sudo_cmd[@]}" slurmd -f "$SLURM_CONF"
for _ in $(seq 50); do
  [[ -f $work/slurmctld.pid && -f $work/slurmd.pid ]] && break
  sleep 0.2
done
started+=("$(cat "$work/slurmd.pid")" "$(cat "$work/slurmctld.pid")")
for _ in $(seq 50); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break
  sleep 0.2
done
sinfo -h -o %t | grep -q idle || { echo "slurm-test: the Slurm node did not come up" >&2; cat "$work/slurmd.log" >&2; exit 1; }

# One backend, one worker, 10 ms: it serves 100 requests/s, so the knee is past 80/s.
cat >"$work/one-backend.yaml" <<'YAML'
name: one-backend
duration: 2s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { kind: constant, rate: 10/s }, tls: none, mix: [ { path: / } ] }
l4: { target_group: app }
target_groups:
  app: { per_zone: 1, workers: 1, service_time: { dist: constant, value: 10ms } }
YAML
grid=(--set 'clients[0].arrival.rate=20/s..200/s:60/s')
timeout 300 "$lbsim" sweep "$work/one-backend.yaml" "${grid[@]}" --slurm --wait --out "$work/on-slurm" >"$work/slurm.out"
"$lbsim" sweep "$work/one-backend.yaml" "${grid[@]}" --out "$work/here" >/dev/null

rows=$(($(wc -l <"$work/on-slurm/sweep.csv") - 1))
[[ $rows -eq 4 ]] || { echo "slurm-test: expected 4 rows in sweep.csv, got $rows" >&2; exit 1; }
cmp -s "$work/on-slurm/sweep.csv" "$work/here/sweep.csv" || {
  echo "slurm-test: the Slurm sweep and the local one differ:" >&2
  diff "$work/on-slurm/sweep.csv" "$work/here/sweep.csv" >&2 || true
  exit 1
}
grep -q "p99 knee between rate 80/s" "$work/slurm.out" || { echo "slurm-test: no knee in:" >&2; cat "$work/slurm.out" >&2; exit 1; }
echo "slurm-test: a 4-point sweep ran as a Slurm job array and matched the local run"

# Replications of one run as a job array: submitted, then merged by --collect, they give
# the same figures as the same replications run here (each is a deterministic simulation).
timeout 300 "$lbsim" run "$work/one-backend.yaml" --replications 3 --slurm --out "$work/reps-on-slurm" >"$work/reps.out"
for _ in $(seq 300); do
  [[ $(find "$work/reps-on-slurm" -name summary.json | wc -l) -eq 3 ]] && [[ -z $(squeue -h 2>/dev/null) ]] && break
  sleep 0.2
done
"$lbsim" run --collect "$work/reps-on-slurm" -q
"$lbsim" run "$work/one-backend.yaml" --replications 3 --out "$work/reps-here" -q
figures() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["replications"]["figures"], sort_keys=True))' "$1"; }
[[ "$(figures "$work/reps-on-slurm/summary.json")" == "$(figures "$work/reps-here/summary.json")" ]] || {
  echo "slurm-test: replications on Slurm and here differ" >&2
  exit 1
}
[[ -s "$work/reps-on-slurm/report.html" ]] || { echo "slurm-test: --collect wrote no report.html" >&2; exit 1; }
echo "slurm-test: 3 replications ran as a Slurm job array, --collect merged them, and they matched the local run"
