#!/usr/bin/env bash
# Issue 16: the gateway's store sink (ingest::StoreSink through storesink_bench --serve) on a
# GeoPackage file and on PostgreSQL, under the same griddispatch-sim load, back to back in one run:
#
#   bench/store/sink_backends.sh [--build DIR] [--rate R] [--duration S] [--devices N] [--work DIR]
#
# Both durable at the ack: SQLite synchronous=FULL, PostgreSQL fsync=on and synchronous_commit=on
# (a cluster of its own in --work, started and stopped here; not the tests' cluster, which runs
# with fsync off). The sink is pinned to core 0 and the simulator to core 1; the PostgreSQL
# server's processes are not pinned (on a 2-core machine they share both cores with the others,
# which a real server would not). Prints each backend's "store sink …" line (frames committed
# per second since the first frame, frames per commit).
set -euo pipefail

BUILD=build
RATE=5000
DURATION=15
DEVICES=200
WORK=/tmp/gd-sink-backends
PORT=7900
PGPORT=55432
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--rate R] [--duration S] [--devices N] [--work DIR]" >&2; exit 2 ;;
  esac
done
SIM=$BUILD/src/apps/sim/griddispatch-sim
SINKBENCH=$BUILD/bench/store/storesink_bench
PGBIN=/usr/lib/postgresql/15/bin

# The server refuses to run as root: as postgres then.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

rm -rf "$WORK"
mkdir -p "$WORK/pg"
chmod 755 "$WORK"
[[ $EUID -eq 0 ]] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust > "$WORK/pg/initdb.log"
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -w -l "$WORK/pg/server.log" \
  -o "-k $WORK/pg -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" start > /dev/null
stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -w -m fast stop > /dev/null 2>&1 || true; }
trap stop_pg EXIT
as_pg "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE gd_bench"
as_pg "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d gd_bench -c "CREATE EXTENSION postgis"
PGDB="postgresql://postgres@127.0.0.1:$PGPORT/gd_bench"

"$SINKBENCH" --provision "$DEVICES" --credentials "$WORK/sqlite.cred" --db "$WORK/store.gpkg"
"$SINKBENCH" --provision "$DEVICES" --credentials "$WORK/pg.cred" --db "$PGDB"

for backend in sqlite pg; do
  db=$WORK/store.gpkg
  [[ $backend == pg ]] && db=$PGDB
  port=$((PORT++))
  taskset -c 0 "$SINKBENCH" --serve $((DURATION + 6)) --db "$db" --listen 127.0.0.1:$port > "$WORK/$backend.sink.log" 2>&1 &
  pid=$!
  sleep 2
  taskset -c 1 "$SIM" --connect 127.0.0.1:$port --devices "$DEVICES" --rate "$RATE" --duration "$DURATION" \
    --credentials "$WORK/$backend.cred" > "$WORK/$backend.sim.log" 2>&1 || true
  kill -TERM $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  echo "$backend: offered $RATE frames/s from $DEVICES terminals for $DURATION s"
  grep -h "store sink" "$WORK/$backend.sink.log" || tail -3 "$WORK/$backend.sink.log"
  tail -2 "$WORK/$backend.sim.log"
done
