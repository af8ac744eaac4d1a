#!/usr/bin/env bash
# Issue 16, "High availability": the real griddispatch-gateway on a PostgreSQL HA pair through a
# failover, with griddispatch-sim terminals sending the whole time:
#
#   bench/store/gateway_failover.sh [--build DIR] [--devices N] [--rate R] [--work DIR]
#
# One gateway process on the multi-host URI (target_session_attrs=read-write) for the whole run,
# one simulator run, two faults under load:
#  1. baseline: the primary alone (no standby yet) is SIGKILLed (postmaster and its children, as
#     a power loss) and started again at once on its files (crash recovery);
#  2. failover: a synchronous standby is made (pg_basebackup -R, as a center would), the primary
#     is SIGKILLed and the standby promoted (pg_ctl promote); the primary stays dead.
# Both clusters durable (fsync on, synchronous_commit on), in --work, started and stopped here.
# Prints per fault: frames acknowledged before it, kill -> acks flowing again (the first 100 ms
# tick of the simulator's --ack-report, after the kill, in which acknowledged frames grew
# again), and at the end: frames acknowledged in all, frames resent, and acknowledged frames
# missing from the promoted standby, by (device, seq) (must be 0).
set -euo pipefail

BUILD=build
DEVICES=50
RATE=1000
WORK=/tmp/gd-gateway-failover
PORT=7931
P1=55441
P2=55442
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--build DIR] [--devices N] [--rate R] [--work DIR]" >&2; exit 2 ;;
  esac
done
GATEWAY=$BUILD/src/apps/gateway/griddispatch-gateway
SIM=$BUILD/src/apps/sim/griddispatch-sim
SINKBENCH=$BUILD/bench/store/storesink_bench
for program in "$GATEWAY" "$SIM" "$SINKBENCH"; do
  [[ -x $program ]] || { echo "gateway_failover.sh: $program is missing; build griddispatch-gateway griddispatch-sim storesink_bench" >&2; exit 2; }
done
PGBIN=/usr/lib/postgresql/15/bin

# The server refuses to run as root: as postgres then.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now_ms() { date +%s%3N; }
psql_on() { as_pg "$PGBIN/psql" -X -q -A -t -h 127.0.0.1 -p "$1" -U postgres -d "$2" -c "$3"; }
start_pg() { # DATADIR PORT
  as_pg "$PGBIN/pg_ctl" -D "$1" -w -t 60 -l "$1/../server.log" \
    -o "-k $(dirname "$1") -p $2 -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c wal_level=replica" start > /dev/null
}
# SIGKILL to the postmaster and every process it started, as a power loss; waits until gone.
kill_pg() { # DATADIR
  local pm children
  pm=$(head -1 "$1/postmaster.pid")
  children=$(pgrep -P "$pm" || true)
  kill -KILL "$pm" $children 2>/dev/null || true
  while kill -0 "$pm" 2>/dev/null && [[ $(awk '{print $3}' "/proc/$pm/stat" 2>/dev/null) != Z ]]; do sleep 0.02; done
  for c in $children; do while [[ -e /proc/$c && $(awk '{print $3}' "/proc/$c/stat" 2>/dev/null) != Z ]]; do sleep 0.02; done; done
  # A killed postmaster may stay a zombie a moment (whoever inherited it reaps it): a start would
  # take the pid in its lock files for a live server's.
  rm -f "$1/postmaster.pid" "$(dirname "$1")"/.s.PGSQL.*.lock
}

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "$WORK/primary/data" "$WORK/standby/data"; do
    [[ -f $d/postmaster.pid ]] && as_pg "$PGBIN/pg_ctl" -D "$d" -w -m immediate stop > /dev/null 2>&1 || true
  done
}
trap cleanup EXIT

rm -rf "$WORK"
mkdir -p "$WORK/primary" "$WORK/standby"
chmod 755 "$WORK"
[[ $EUID -eq 0 ]] && chown postgres "$WORK/primary" "$WORK/standby"
as_pg "$PGBIN/initdb" -D "$WORK/primary/data" -U postgres -A trust --no-sync > "$WORK/primary/initdb.log"
start_pg "$WORK/primary/data" $P1
psql_on $P1 postgres "CREATE DATABASE gd"
psql_on $P1 gd "CREATE EXTENSION postgis"
"$SINKBENCH" --provision "$DEVICES" --credentials "$WORK/sim.cred" --db "postgresql://postgres@127.0.0.1:$P1/gd" > /dev/null
URI="postgresql://127.0.0.1:$P1,127.0.0.1:$P2/gd?user=postgres&target_session_attrs=read-write&connect_timeout=2"

"$GATEWAY" --db "$URI" --listen 127.0.0.1:$PORT --stats-every 5 2> "$WORK/gateway.log" &
gateway=$!
pids+=("$gateway")
for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.05; done
"$SIM" --connect 127.0.0.1:$PORT --devices "$DEVICES" --rate "$RATE" --duration 0 --report-share 0.1 \
  --reconnect-base 0.1 --reconnect-max 1 --credentials "$WORK/sim.cred" --ack-report \
  --seq-report "$WORK/seq.report" > "$WORK/sim.log" 2>&1 &
sim=$!
pids+=("$sim")

# The frames acknowledged at the kill (the last tick up to 300 ms after it: acks of groups
# committed before it may still arrive), and the first tick after that in which they grew.
report() { # NAME KILL_MS
  awk -v name="$1" -v kill="$2" '
    /^acks at=/ { split($2, a, "="); split($3, f, "="); at = a[2] + 0; n = f[2] + 0
      if (at <= kill + 300) { before = n; next }
      if (again == "" && n > before) { again = at - kill; after = n } }
    END { printf "%s: acked before the kill %d; kill -> acks flowing again %s ms\n", name, before,
            again == "" ? "never" : again }' "$WORK/sim.log"
}

sleep 8
kill1=$(now_ms)
kill_pg "$WORK/primary/data"
start_pg "$WORK/primary/data" $P1
restarted1=$(now_ms)
sleep 10

# The synchronous standby, made under load.
as_pg "$PGBIN/pg_basebackup" -D "$WORK/standby/data" -h 127.0.0.1 -p $P1 -U postgres \
  -d "host=127.0.0.1 port=$P1 user=postgres application_name=standby1" -R -X stream -c fast -C -S standby1 --no-sync
start_pg "$WORK/standby/data" $P2
psql_on $P1 postgres "ALTER SYSTEM SET synchronous_standby_names = 'standby1'" > /dev/null
psql_on $P1 postgres "SELECT pg_reload_conf()" > /dev/null
for _ in $(seq 600); do
  [[ $(psql_on $P1 postgres "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'") == sync ]] && break
  sleep 0.05
done
echo "standby: $(psql_on $P1 postgres "SELECT application_name, state, sync_state FROM pg_stat_replication")"
sleep 8

kill2=$(now_ms)
kill_pg "$WORK/primary/data"
# The standby's own postgresql.auto.conf has no synchronous_standby_names (pg_basebackup copied
# the primary's before it was set): once promoted, it does not wait for a standby it lacks.
as_pg "$PGBIN/pg_ctl" -D "$WORK/standby/data" -w -t 60 promote > /dev/null
promoted2=$(now_ms)
sleep 10

kill -INT "$sim"
wait "$sim" || true
kill -TERM "$gateway"
wait "$gateway" || true
pids=()

echo "gateway on $URI, $DEVICES terminals offering $RATE frames/s (10% reports), fsync on"
report "baseline: primary SIGKILLed and restarted in place (crash recovery, restart took $((restarted1 - kill1)) ms)" "$kill1"
report "failover: primary SIGKILLed, sync standby promoted (promoted $((promoted2 - kill2)) ms after the kill)" "$kill2"
grep -E '^acknowledged|^connect attempts' "$WORK/sim.log" || true
# Every (device, seq) the terminals saw acknowledged on the promoted standby, each once.
acked=0
lost=0
twice=0
while read -r device last acked_seq unacked; do
  [[ -z $device ]] && continue
  row=$(psql_on $P2 gd "SELECT count(DISTINCT seq) FILTER (WHERE seq <= $acked_seq), count(*) - count(DISTINCT seq)
                        FROM (SELECT seq FROM positions WHERE device_id = '$device'
                              UNION ALL SELECT seq FROM applied_frames WHERE device_id = '$device') AS f")
  stored=${row%%|*}
  acked=$((acked + acked_seq))
  lost=$((lost + acked_seq - stored))
  twice=$((twice + ${row##*|}))
done < "$WORK/seq.report"
echo "frames acknowledged in all $acked; acknowledged frames missing on the promoted standby: $lost; (device, seq) stored twice: $twice"
