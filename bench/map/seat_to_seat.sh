#!/usr/bin/env bash
# Issue 16: a change made by one seat, visible on a finished map render in the other consoles.
# One writer process commits RATE new cases a second to the store; SEATS console processes each
# run the console's own pipeline (StoreWatcher on its own connection → MapViewController →
# a QgsMapCanvas at 1920x1080, offscreen) and measure, per case, from the writer's
# CLOCK_REALTIME stamp to the end of the first render that shows it (seattoseat_bench.cpp).
# Run on a GeoPackage file (the watchers poll every 20 ms) and on PostgreSQL (LISTEN
# gd_changes), one after the other in the same run:
#
#   bench/map/seat_to_seat.sh [--build DIR] [--rate N] [--seconds S] [--seats K] [--work DIR] [--pg-port P]
#                             [--only gpkg|pg] [--before DIR] [--rounds R] [--nice N]
#
# --before DIR: each backend first with DIR/bench/map/seattoseat_bench (a build of an older tree),
# then with --build's, each on a store of its own, for before/after in one run; --rounds R
# repeats the whole (default 1). --nice N runs the server, the writer and the seats at that
# niceness (negative needs root): on a machine shared with builds it keeps other jobs off the
# cores, as consoles and a server of their own would (gateway_pg.sh has the same).
# PostgreSQL: a cluster of its own in --work, started normally (fsync on, synchronous_commit on),
# reached over its Unix socket, stopped at the end. Prints each seat's line, then per backend the
# p50 / p99 / max over every case × every seat, and the load average before each, and where the
# time went: the split of each (case, seat) latency into the writer's transaction (stamp → COMMIT
# returned), COMMIT → the seat's watcher woken for the read that found it (the notification on
# PostgreSQL, the poll's timer on a file), woken → that read done (on PostgreSQL the poll
# interval it waits after a notification, then the read), read → batch on the GUI thread (the
# ten-a-second delivery), the batch applied to the layers (MapViewController::applyChanges),
# applied → the render that shows it started (the render under way), and that render; p50 and p99 of each, and their means over the slowest 1 % of pairs.
set -euo pipefail

BUILD=build
RATE=1000
SECONDS_=15
SEATS=4
WORK=/tmp/gd-seat-to-seat
PGPORT=55433
ONLY=
BEFORE=
ROUNDS=1
NICE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --seats) SEATS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --pg-port) PGPORT=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --nice) NICE=$2; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--rate N] [--seconds S] [--seats K] [--work DIR] [--pg-port P] [--only gpkg|pg] [--before DIR] [--rounds R] [--nice N]" >&2
       exit 2 ;;
  esac
done
AFTER_BENCH=$(realpath "$BUILD/bench/map/seattoseat_bench")
BEFORE_BENCH=
[[ -n $BEFORE ]] && BEFORE_BENCH=$(realpath "$BEFORE/bench/map/seattoseat_bench")
PGBIN=/usr/lib/postgresql/15/bin

# The server refuses to run as root: as postgres then.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# The same at --nice: the niceness first (lowering it needs root), then the server's user.
pg_nice() { if [[ $EUID -eq 0 ]]; then nice -n "$NICE" runuser -u postgres -- "$@"; else nice -n "$NICE" "$@"; fi; }

rm -rf "$WORK"
mkdir -p "$WORK/pg"
chmod 755 "$WORK"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f $WORK/pg/data/postmaster.pid ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -w -m fast stop > /dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# Every latency of every seat: p50 / p99 / max.
summary() {
  sort -n "$@" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no latencies"; exit }
    i50 = int(NR * 0.50) + 1; i99 = int(NR * 0.99) + 1; if (i99 > NR) i99 = NR
    printf "%d (case, seat) pairs: commit -> finished render p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", NR, v[i50], v[i99], v[NR] }'
}

run() { # NAME STORE BENCH
  local name=$1 store=$2 BENCH=$3 dir=$WORK/$1
  mkdir -p "$dir"
  "$BENCH" --prepare --store "$store"
  echo "== $name: $RATE changes/s for $SECONDS_ s, $SEATS seats; load before: $(uptime | sed 's/.*load average/load average/')"
  pids=()
  for k in $(seq 1 "$SEATS"); do
    nice -n "$NICE" "$BENCH" --seat --store "$store" --ready "$dir/ready$k" --stop "$dir/stop" --out "$dir/seat$k.ms" \
      --split "$dir/seat$k.split" \
      > "$dir/seat$k.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 600); do
    [[ $(ls "$dir"/ready* 2>/dev/null | wc -l) -ge $SEATS ]] && break
    sleep 0.1
  done
  [[ $(ls "$dir"/ready* 2>/dev/null | wc -l) -ge $SEATS ]] || { echo "seats not ready:"; tail -3 "$dir"/seat*.log; exit 1; }
  nice -n "$NICE" "$BENCH" --writer --store "$store" --rate "$RATE" --seconds "$SECONDS_" --commits "$dir/commits"
  sleep 2 # the last batches' renders
  touch "$dir/stop"
  for pid in "${pids[@]}"; do wait "$pid" || echo "a seat failed (rc $?)"; done
  pids=()
  for k in $(seq 1 "$SEATS"); do grep -h "^seat" "$dir/seat$k.log" || tail -3 "$dir/seat$k.log"; done
  # --seats 0: the writer alone (its transactions without seats reading beside it).
  [[ $SEATS -gt 0 ]] || return 0
  echo "$name, all seats: $(summary "$dir"/seat*.ms); load after: $(uptime | sed 's/.*load average: //')"
  latency_split "$dir/commits" "$dir"/seat*.split | sed "s/^/$name /"
}

# Where each (case, seat) latency went, from the writer's commits and the seats' split files.
latency_split() { # COMMITS SPLIT...
  python3 - "$@" <<'PY'
import sys
committed = {}
for line in open(sys.argv[1]):
    stamp, at = line.split()
    committed[stamp] = int(at)
rows = []
for path in sys.argv[2:]:
    for line in open(path):
        f = line.split()
        if f[0] not in committed:
            continue
        stamp, woke, read, delivered, applied, started, finished = map(int, f)
        c = committed[f[0]]
        woke = max(woke, c)  # a read woken by an earlier commit also finds the later ones
        rows.append([(c - stamp) / 1e6, (woke - c) / 1e6, (read - woke) / 1e6, (delivered - read) / 1e6,
                     (applied - delivered) / 1e6, (started - applied) / 1e6, (finished - started) / 1e6,
                     (finished - stamp) / 1e6])
if not rows:
    sys.exit("split: no cases")
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]
t99 = pct([r[-1] for r in rows], 0.99)
tail = [r for r in rows if r[-1] >= t99]
names = ["writer (stamp -> COMMIT)", "COMMIT -> watcher woken", "woken -> read done", "read -> batch on GUI thread",
         "batch applied to the layers", "applied -> its render started", "render", "total (stamp -> render done)"]
print(f"split over {len(rows)} (case, seat) pairs, ms: p50 / p99 of each part / mean over the slowest 1 % ({len(tail)} pairs)")
for k, name in enumerate(names):
    print(f"  {name:30} {pct([r[k] for r in rows], 0.5):7.1f} {pct([r[k] for r in rows], 0.99):7.1f} {sum(r[k] for r in tail) / len(tail):7.1f}")
PY
}

pg_started=0
start_pg() {
  [[ $pg_started == 1 ]] && return
  [[ $EUID -eq 0 ]] && chown postgres "$WORK/pg"
  as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust > "$WORK/pg/initdb.log"
  pg_nice "$PGBIN/pg_ctl" -D "$WORK/pg/data" -w -l "$WORK/pg/server.log" \
    -o "-k $WORK/pg -p $PGPORT -c listen_addresses='' -c fsync=on -c synchronous_commit=on" start > /dev/null
  pg_started=1
}
pg_store() { # DATABASE: a fresh one, with PostGIS
  as_pg "$PGBIN/psql" -X -q -h "$WORK/pg" -p "$PGPORT" -U postgres -c "CREATE DATABASE $1"
  as_pg "$PGBIN/psql" -X -q -h "$WORK/pg" -p "$PGPORT" -U postgres -d "$1" -c "CREATE EXTENSION postgis"
  echo "host=$WORK/pg port=$PGPORT user=postgres dbname=$1"
}

for round in $(seq 1 "$ROUNDS"); do
  suffix=; [[ $ROUNDS -gt 1 ]] && suffix=-r$round
  if [[ $ONLY != pg ]]; then
    [[ -n $BEFORE_BENCH ]] && run "gpkg-before$suffix" "$WORK/seats-before$round.gpkg" "$BEFORE_BENCH"
    run "gpkg$suffix" "$WORK/seats$round.gpkg" "$AFTER_BENCH"
  fi
  if [[ $ONLY != gpkg ]]; then
    start_pg
    [[ -n $BEFORE_BENCH ]] && run "pg-before$suffix" "$(pg_store "seats_before$round")" "$BEFORE_BENCH"
    run "pg$suffix" "$(pg_store "seats$round")" "$AFTER_BENCH"
  fi
done
