#!/usr/bin/env bash
# Issue 16, rows 1 and 2 of its figures: durable acknowledged frames/s of real griddispatch-gateway
# processes on PostgreSQL under griddispatch-sim load, one gateway and two on the same database,
# beside the raw batched INSERT and COPY of the same rows and the GeoPackage gateway, one run:
#
#   bench/store/gateway_pg.sh [--build DIR] [--rate R] [--duration S] [--devices N] [--rounds K]
#                             [--variants "gpkg pg1 pg2 raw"] [--pin] [--statements] [--work DIR]
#                             [--sim-args "--report-share 0 ..."] [--perf] [--before DIR] [--nice N] [--locks]
#
# Variants (the same demo district and N terminals in each; every PostgreSQL variant on a fresh
# database copied from one provisioned template):
#   gpkg   one griddispatch-gateway on a GeoPackage file (synchronous=FULL)
#   pg1    one griddispatch-gateway on PostgreSQL
#   pg2    two griddispatch-gateways on the same database, the terminals split between them
#          (two simulators, each half the terminals and half the rate)
#   pg1before, pg2before  the same with griddispatch-gateway from --before DIR (a build of an
#          older tree with the same schema), for before/after in one run
#   raw    storesink_bench --raw-pg: the rows the sink writes for the same frames (positions,
#          applied_frames, each device's last_seq once a transaction) as 100-row prepared
#          INSERTs and as COPY, from one client and from two, in transactions of the frames per
#          commit pg1 made (500 without pg1)
# Durable at the ack everywhere: a PostgreSQL cluster of its own in --work with fsync=on and
# synchronous_commit=on (not the tests' cluster, which runs with fsync off), SQLite FULL.
# Gateways run with --rules-every 0 (no supervision rules: nothing for them on a demo store).
# Without --pin nothing is pinned (the scheduler shares the 2 cores between gateways, simulators
# and the server); with --pin the gateways go to core 0 and the simulators to core 1 (the
# server's processes are never pinned).
# Prints per variant: acknowledged frames/s (summed over simulators), ack latency p50/p99/p99.9
# (each simulator's, the worst shown), frames left unacknowledged at exit, the gateways' commits
# and frames per commit, their COMMIT p50/p99, and CPU per acknowledged frame of the gateways
# and of the PostgreSQL server's processes; then the ratio pg2/pg1.
# --nice N runs the server, the gateways and the simulators at that niceness (negative needs
# root): on a machine shared with builds it keeps other jobs off the cores, as a server of the
# center's own would (bench/feed/feed_compare.sh has the same).
# --perf records the gateways and the server's processes with perf (call graphs) while the
# simulators run: WORK/LABEL.perf.data, read with perf report -i.
# --locks samples pg_stat_activity every 100 ms while the simulators run and prints, per
# PostgreSQL variant, what the gateways' backends were doing: the share of samples each backend
# spent running, idle (waiting for its gateway: round trips, the gateway's own CPU) and waiting,
# by wait event (Lock:advisory = the store's write lock, /ShareLock or /ExclusiveLock the mode
# waited for; Lock:object = NOTIFY's commit-order
# lock, LWLock:WALWrite / IO:WALSync = the WAL flush, Lock:transactionid = a row another holds).
# --statements loads pg_stat_statements and prints the server's top statements by total time
# for each PostgreSQL variant (a little overhead of its own).
set -euo pipefail

BUILD=build
RATE=20000
DURATION=60
DEVICES=200
ROUNDS=1
VARIANTS="gpkg pg1 pg2 raw"
PIN=0
STATEMENTS=0
LOCKS=0
SIMARGS=""
PERF=0
NICE=0
BEFORE=
WORK=/tmp/gd-gateway-pg
PORT=7950
PGPORT=31442 # below the ephemeral range (32768-60999), which loaded tests may hold
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --variants) VARIANTS=$2; shift 2 ;;
    --pin) PIN=1; shift ;;
    --statements) STATEMENTS=1; shift ;;
    --locks) LOCKS=1; shift ;;
    --sim-args) SIMARGS=$2; shift 2 ;;
    --perf) PERF=1; shift ;;
    --before) BEFORE=$2; shift 2 ;;
    --nice) NICE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --pgport) PGPORT=$2; shift 2 ;;
    *) echo "unknown option $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
done
GATEWAY=$BUILD/src/apps/gateway/griddispatch-gateway
SIM=$BUILD/src/apps/sim/griddispatch-sim
SINKBENCH=$BUILD/bench/store/storesink_bench
PGBIN=/usr/lib/postgresql/15/bin
TCK=$(getconf CLK_TCK)

# The server refuses to run as root: as postgres then.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_admin() { as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }

rm -rf "$WORK"
mkdir -p "$WORK/pg"
chmod 755 "$WORK"
[[ $EUID -eq 0 ]] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust > "$WORK/pg/initdb.log"
PGOPTS="-k $WORK/pg -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_wal_size=4GB"
[[ $STATEMENTS == 1 ]] && PGOPTS="$PGOPTS -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
PGCTL=("$PGBIN/pg_ctl")
[[ $EUID -eq 0 ]] && PGCTL=(runuser -u postgres -- "$PGBIN/pg_ctl")
nice -n "$NICE" "${PGCTL[@]}" -D "$WORK/pg/data" -w -l "$WORK/pg/server.log" -o "$PGOPTS" start > /dev/null
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -w -m fast stop > /dev/null 2>&1 || true
}
trap cleanup EXIT
POSTMASTER=$(head -1 "$WORK/pg/data/postmaster.pid")
uri() { echo "postgresql://postgres@127.0.0.1:$PGPORT/$1"; }

# The template: demo district + terminals, provisioned once; each variant gets a copy.
psql_admin -c "CREATE DATABASE gd_tmpl"
psql_admin -d gd_tmpl -c "CREATE EXTENSION postgis"
[[ $STATEMENTS == 1 ]] && psql_admin -d gd_tmpl -c "CREATE EXTENSION pg_stat_statements"
"$SINKBENCH" --provision "$DEVICES" --credentials "$WORK/pg.cred" --db "$(uri gd_tmpl)" 2> /dev/null
"$SINKBENCH" --provision "$DEVICES" --credentials "$WORK/gpkg.cred" --db "$WORK/tmpl.gpkg" 2> /dev/null
fresh_pg() { # name
  psql_admin -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE gd_tmpl"
}

# CPU ticks (user + system) of a process; of the server: the postmaster, its live children and
# those that ended (cutime/cstime).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0; }
server_ticks() {
  local t p
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$POSTMASTER/stat")
  for p in $(cat /proc/$POSTMASTER/task/*/children 2> /dev/null); do t=$((t + $(ticks "$p"))); done
  echo "$t"
}
# Started directly (not through a shell function), so $! is the program's own process: taskset
# execs it.
ON0=(nice -n "$NICE")
ON1=(nice -n "$NICE")
[[ $PIN == 1 ]] && ON0+=(taskset -c 0) && ON1+=(taskset -c 1)

PG1_FPS=""
PG1_GROUP=""
# run VARIANT GATEWAYS DB: starts the gateways, drives them with as many simulators, prints a line.
run() {
  local variant=$1 n=$2 db=$3 cred=$4 label=$5
  local gateway=$GATEWAY
  [[ $variant == *before ]] && gateway=$BEFORE/griddispatch-gateway
  local -a gws=() sims=() ports=()
  local i
  for ((i = 0; i < n; ++i)); do
    local port=$((PORT++))
    ports+=("$port")
    "${ON0[@]}" "$gateway" --db "$db" --listen 127.0.0.1:$port --rules-every 0 \
      --max-unauthenticated 1000000 --max-unauthenticated-per-address 1000000 > "$WORK/$label.gw$i.log" 2>&1 &
    gws+=($!)
    PIDS+=($!)
  done
  for ((i = 0; i < n; ++i)); do
    for _ in $(seq 100); do grep -q "listening on" "$WORK/$label.gw$i.log" && break; sleep 0.1; done
  done
  [[ $STATEMENTS == 1 && $variant != gpkg ]] && psql_admin -d "${db##*/}" -c "SELECT pg_stat_statements_reset()" > /dev/null
  local g0=0 s0 g1=0 s1
  for p in "${gws[@]}"; do g0=$((g0 + $(ticks "$p"))); done
  s0=$(server_ticks)
  local per=$((DEVICES / n))
  for ((i = 0; i < n; ++i)); do
    "${ON1[@]}" "$SIM" --connect 127.0.0.1:${ports[$i]} --devices "$per" --device-offset $((i * per)) \
      --rate "$(awk -v r="$RATE" -v n="$n" 'BEGIN { print r / n }')" --duration "$DURATION" --seed $((i + 1)) \
      --credentials "$cred" $SIMARGS > "$WORK/$label.sim$i.log" 2>&1 &
    sims+=($!)
  done
  local samplerpid=""
  if [[ $LOCKS == 1 && $variant != gpkg ]]; then
    # The gateways' backends (client backends on this database but this sampler's own).
    (
      sleep 2
      while true; do
        psql_admin -d "${db##*/}" -At -c "SELECT coalesce(wait_event_type || ':' || wait_event || coalesce((SELECT '/' || l.mode FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND NOT l.granted LIMIT 1), ''), state) FROM pg_stat_activity a WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()" 2> /dev/null
        sleep 0.1
      done > "$WORK/$label.locks.txt"
    ) &
    samplerpid=$!
  fi
  local perfpid=""
  if [[ $PERF == 1 ]]; then
    sleep 2 # the server's backends for the gateways' connections are up
    local targets
    targets=$(echo "${gws[@]}" $(cat /proc/$POSTMASTER/task/*/children) | tr ' ' ',')
    perf record -q -F 499 -g -p "$targets" -o "$WORK/$label.perf.data" > /dev/null 2>&1 &
    perfpid=$!
  fi
  for p in "${sims[@]}"; do wait "$p" || true; done
  if [[ -n "$perfpid" ]]; then kill -INT "$perfpid"; wait "$perfpid" || true; fi
  if [[ -n "$samplerpid" ]]; then kill "$samplerpid" 2> /dev/null; wait "$samplerpid" 2> /dev/null || true; fi
  for p in "${gws[@]}"; do g1=$((g1 + $(ticks "$p"))); done
  s1=$(server_ticks)
  if [[ $STATEMENTS == 1 && $variant != gpkg ]]; then
    psql_admin -d "${db##*/}" -P pager=off -c "SELECT round(total_exec_time::numeric, 0) AS ms, calls, round(mean_exec_time::numeric, 3) AS mean_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12" > "$WORK/$label.statements.txt"
  fi
  # A gateway that fell behind commits its whole backlog before it stops: 30 s at most, then
  # it is killed (what the simulators counted is the figure; its commit summary is then lost).
  for p in "${gws[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  for _ in $(seq 300); do
    local alive=0
    for p in "${gws[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for p in "${gws[@]}"; do kill -KILL "$p" 2> /dev/null && echo "      (gateway $p still committing its backlog 30 s after SIGTERM: killed)"; done
  for p in "${gws[@]}"; do wait "$p" 2> /dev/null || true; done
  PIDS=()
  # Sum of acknowledged/s over the simulators; each simulator's latency, the worst shown.
  local fps acked unacked lat commits p50c
  set +o pipefail # a line missing from a log (a gateway that failed) prints as 0, not an exit
  fps=$(cat "$WORK/$label".sim*.log | grep -oE '\([0-9.]+ frames/s\)' | tr -d '(' | awk '{s += $1} END {printf "%.0f", s}')
  acked=$(cat "$WORK/$label".sim*.log | grep -oE '^acknowledged [0-9]+' | awk '{s += $2} END {print s + 0}')
  unacked=$(cat "$WORK/$label".sim*.log | grep -oE 'unacknowledged at exit [0-9]+' | awk '{s += $4} END {print s + 0}')
  lat=$(cat "$WORK/$label".sim*.log | grep -oE 'p50 [0-9.]+, p99 [0-9.]+, p99.9 [0-9.]+' |
        awk '{gsub(",", ""); if ($2 > a) a = $2; if ($4 > b) b = $4; if ($6 > c) c = $6} END {printf "%.1f / %.1f / %.1f", a, b, c}')
  commits=$(cat "$WORK/$label".gw*.log | grep -oE 'store: [0-9]+ commits' | awk '{s += $2} END {print s + 0}')
  p50c=$(cat "$WORK/$label".gw*.log | grep -oE 'p50 [0-9.]+ ms, p99 [0-9.]+ ms' | awk '{if ($2 > a) a = $2; if ($5 > b) b = $5} END {printf "%s/%s", a, b}')
  local group
  group=$(awk -v a="$acked" -v c="$commits" 'BEGIN { printf "%.0f", (c > 0 ? a / c : 0) }')
  local gus sus
  gus=$(awk -v t=$((g1 - g0)) -v n="$acked" -v k="$TCK" 'BEGIN { printf "%.1f", t / k * 1e6 / (n > 0 ? n : 1) }')
  sus=$(awk -v t=$((s1 - s0)) -v n="$acked" -v k="$TCK" 'BEGIN { printf "%.1f", t / k * 1e6 / (n > 0 ? n : 1) }')
  [[ $variant == gpkg ]] && sus="-"
  set -o pipefail
  printf '%-5s %d gateway%s  acknowledged %7s/s  ack ms p50/p99/p99.9 %-22s  unacked at exit %6s  %7s commits, %4s frames a commit, COMMIT p50/p99 %s ms  CPU/frame: gateways %5s us, server %5s us  (load %s)\n' \
    "$variant" "$n" "$([[ $n -gt 1 ]] && echo s || echo " ")" "$fps" "$lat" "$unacked" "$commits" "$group" "$p50c" "$gus" "$sus" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  [[ -f "$WORK/$label.statements.txt" ]] && sed 's/^/      /' "$WORK/$label.statements.txt"
  if [[ -s "$WORK/$label.locks.txt" ]]; then
    # Backend-samples by state: the share of each (the gateways' connections, their auth and
    # revocation polls included; a busy writer's backend is rarely idle in transaction).
    sort "$WORK/$label.locks.txt" | uniq -c | sort -rn |
      awk '{n[NR] = $1; w[NR] = $2; t += $1} END {printf "      backends:"; for (i = 1; i <= NR && i <= 8; ++i) printf " %s %.0f%%", w[i], 100 * n[i] / t; printf "\n"}'
  fi
  [[ $variant == pg1 ]] && PG1_FPS=$fps && PG1_GROUP=$group
  [[ $variant == pg1before ]] && PG1B_FPS=$fps
  [[ $variant == pg2before && -n "${PG1B_FPS:-}" ]] &&
    awk -v a="$fps" -v b="$PG1B_FPS" 'BEGIN { printf "ratio two gateways / one (before): %.2f\n", a / b }'
  [[ $variant == pg2 && -n "$PG1_FPS" ]] &&
    awk -v a="$fps" -v b="$PG1_FPS" 'BEGIN { printf "ratio two gateways / one: %.2f (target >= 1.6)\n", a / b }'
  return 0
}

echo "# $DEVICES terminals, $RATE frames/s offered for $DURATION s, pin $PIN, nice $NICE, $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'): fsync=on, synchronous_commit=on; GeoPackage: synchronous=FULL"
for ((round = 1; round <= ROUNDS; ++round)); do
  [[ $ROUNDS -gt 1 ]] && echo "## round $round"
  for variant in $VARIANTS; do
    case $variant in
      gpkg)
        cp "$WORK/tmpl.gpkg" "$WORK/run.gpkg"; rm -f "$WORK/run.gpkg-wal" "$WORK/run.gpkg-shm"
        run gpkg 1 "$WORK/run.gpkg" "$WORK/gpkg.cred" "r$round-gpkg" ;;
      pg1) fresh_pg gd_run; run pg1 1 "$(uri gd_run)" "$WORK/pg.cred" "r$round-pg1" ;;
      pg2) fresh_pg gd_run; run pg2 2 "$(uri gd_run)" "$WORK/pg.cred" "r$round-pg2" ;;
      pg1before) fresh_pg gd_run; run pg1before 1 "$(uri gd_run)" "$WORK/pg.cred" "r$round-pg1before" ;;
      pg2before) fresh_pg gd_run; run pg2before 2 "$(uri gd_run)" "$WORK/pg.cred" "r$round-pg2before" ;;
      raw)
        group=${PG1_GROUP:-500}
        [[ -z "$group" || "$group" == 0 ]] && group=500
        frames=$((RATE * 15))
        for method in insert copy; do
          for clients in 1 2; do
            fresh_pg gd_run
            echo -n "raw   "
            "$SINKBENCH" --raw-pg --db "$(uri gd_run)" --frames "$frames" --group "$group" --devices "$DEVICES" \
              --clients "$clients" --method "$method" | tail -1
          done
        done ;;
      *) echo "unknown variant $variant" >&2; exit 2 ;;
    esac
  done
done
