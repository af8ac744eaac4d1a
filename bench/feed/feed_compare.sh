#!/usr/bin/env bash
# Issue 5, the throughput and latency half: the real griddispatch-gateway on a store file
# (synchronous=FULL, every ack after its commit) against its baselines, back to back in one run,
# gateway side pinned to core 0 and griddispatch-sim to core 1:
#
#   bench/feed/feed_compare.sh [--build DIR] [--before DIR] [--rate R] [--duration S]
#                              [--devices N] [--rounds K] [--variants "gateway sinkfull ..."]
#                              [--nice N] [--work DIR] [--port P]
#
# Variants (each on a fresh copy of one demo store, all driven by the same simulator):
#   gateway      griddispatch-gateway --rules-every 0 (what ships)
#   before       the same from --before DIR (binaries of an older tree, with their own store)
#   sinkfull     storesink_bench --serve: the store sink alone (no order pump), synchronous=FULL
#   sinknormal   ... synchronous=NORMAL (not durable at the ack: a power cut may lose commits)
#   sinkoff      ... synchronous=OFF (no fsync at all)
#   memory       feed_bench --serve: the feed layer alone, in-memory sink (no store)
#   raw          storesink_bench --raw: the same rows inserted the fastest raw way (no network)
# Prints per variant: offered and acknowledged frames/s, ack latency p50/p99/p99.9, the gateway
# process's CPU time per acknowledged frame (a figure other load on the machine changes less than
# the latency), the gateway's own COMMIT times (p99/p99.9/max and how many took over 20 ms: the
# disk's part of the same acks; griddispatch-gateway only), and the ratios of acknowledged/s and
# CPU per frame to the in-memory sink's.
# --nice N runs gateway and simulator at that niceness (negative needs root): on a shared machine
# it keeps other jobs off their cores, as a dedicated server would.
set -euo pipefail

BUILD=build
BEFORE=
RATE=10000
DURATION=20
DEVICES=200
ROUNDS=1
VARIANTS="gateway sinkfull sinknormal sinkoff memory raw"
NICE=0
WORK=/tmp/gd-feed-compare
PORT=7800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --variants) VARIANTS=$2; shift 2 ;;
    --nice) NICE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    *) echo "unknown option $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
done
if [[ -n "$BEFORE" && " $VARIANTS " != *" before "* ]]; then VARIANTS="before $VARIANTS"; fi

GATEWAY=$BUILD/src/apps/gateway/griddispatch-gateway
SIM=$BUILD/src/apps/sim/griddispatch-sim
CTL=$BUILD/src/apps/ctl/griddispatch-ctl
SINKBENCH=$BUILD/bench/store/storesink_bench
FEEDBENCH=$BUILD/bench/feed/feed_bench
mkdir -p "$WORK"
TCK=$(getconf CLK_TCK)
# Started directly (not through a shell function), so $! is the program's own process: nice
# and taskset exec it.
run() { nice -n "$NICE" taskset -c "$@"; }

rm -f "$WORK/store.gpkg"*
"$CTL" demo-district --db "$WORK/store.gpkg" --terminals "$DEVICES" --credentials "$WORK/store.cred" > /dev/null
if [[ -n "$BEFORE" ]]; then
  rm -f "$WORK/before.gpkg"*
  "$BEFORE/griddispatch-ctl" demo-district --db "$WORK/before.gpkg" --terminals "$DEVICES" --credentials "$WORK/before.cred" > /dev/null
fi

MEMORY_FPS=""
MEMORY_US=""
declare -a LINES=()

one() { # variant label -> prints a line, sets FPS and US
  local variant=$1 label=$2 db=$WORK/$2.gpkg log=$WORK/$2.gw.log src=$WORK/store.gpkg cred=$WORK/store.cred
  local port=$((PORT++)) simargs
  [[ $variant == before ]] && src=$WORK/before.gpkg && cred=$WORK/before.cred
  rm -f "$db" "$db-wal" "$db-shm"; cp "$src" "$db"
  case $variant in
    # (the terminals all connect from loopback at once: the per-address limit before hello is lifted)
    gateway) nice -n "$NICE" taskset -c 0 "$GATEWAY" --db "$db" --listen 127.0.0.1:$port --rules-every 0 \
               --max-unauthenticated 1000000 --max-unauthenticated-per-address 1000000 > "$log" 2>&1 & ;;
    before) nice -n "$NICE" taskset -c 0 "$BEFORE/griddispatch-gateway" --db "$db" --listen 127.0.0.1:$port --rules-every 0 > "$log" 2>&1 & ;;
    sink*) nice -n "$NICE" taskset -c 0 "$SINKBENCH" --serve $((DURATION + 6)) --db "$db" --listen 127.0.0.1:$port --durability "${variant#sink}" > "$log" 2>&1 & ;;
    memory) nice -n "$NICE" taskset -c 0 "$FEEDBENCH" --serve $((DURATION + 6)) --devices "$DEVICES" > "$log" 2>&1 & ;;
  esac
  local pid=$!
  sleep 1.5
  simargs=(--credentials "$cred")
  if [[ $variant == memory ]]; then
    port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$log" | head -1 | cut -d: -f2)
    simargs=()
  fi
  read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
  run 1 "$SIM" --connect 127.0.0.1:$port --devices "$DEVICES" --rate "$RATE" --duration "$DURATION" "${simargs[@]}" > "$WORK/$label.sim.log" 2>&1
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
  kill -TERM $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  local acked fps lat
  acked=$(grep -oE 'acknowledged [0-9]+' "$WORK/$label.sim.log" | awk '{print $2}')
  fps=$(grep -oE '\([0-9.]+ frames/s\)' "$WORK/$label.sim.log" | tr -d '(' | awk '{print $1}')
  lat=$(grep -oE 'p50 [0-9.]+, p99 [0-9.]+, p99.9 [0-9.]+' "$WORK/$label.sim.log")
  FPS=$fps
  US=$(awk -v t=$((u1 - u0 + s1 - s0)) -v n="$acked" -v k="$TCK" 'BEGIN { printf "%.1f", t / k * 1e6 / (n > 0 ? n : 1) }')
  # The gateway's own COMMIT times (WAL write and fsync), printed when it stops: the disk's part
  # of the same run's acks, a floor under their latency.
  local commit
  commit=$(grep -oE 'p99 [0-9.]+ ms, p99.9 [0-9.]+ ms, max [0-9.]+ ms; [0-9]+ over 20 ms' "$log" | tail -1 |
           awk '{printf "COMMIT p99/p99.9/max %s/%s/%s ms, %s > 20 ms", $2, $5, $8, $10}' || true)
  printf '%-11s offered %6d/s  acknowledged %9s/s  ack ms %-34s  gateway CPU %6s us/frame  %s\n' \
    "$variant" "$RATE" "$fps" "$lat" "$US" "$commit"
}

echo "# $DEVICES terminals, $RATE frames/s offered for $DURATION s, nice $NICE, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= ROUNDS; ++round)); do
  [[ $ROUNDS -gt 1 ]] && echo "## round $round"
  declare -A fpsOf=() usOf=()
  for variant in $VARIANTS; do
    if [[ $variant == raw ]]; then
      # The frames per commit the sink made at this rate (from the full-durability sink run, if any).
      group=$(grep -oE '[0-9.]+ frames per commit' "$WORK/r$round-sinkfull.gw.log" 2>/dev/null | tail -1 | cut -d' ' -f1 | cut -d. -f1 || true)
      group=${group:-60}
      cp "$WORK/store.gpkg" "$WORK/raw.gpkg"
      for d in full normal off; do
        echo -n "raw         group $group, $d: "
        run 0 "$SINKBENCH" --raw --db "$WORK/raw.gpkg" --frames 200000 --group "$group" --durability $d | tail -1
      done
      continue
    fi
    one "$variant" "r$round-$variant"
    fpsOf[$variant]=$FPS
    usOf[$variant]=$US
  done
  if [[ -n "${fpsOf[memory]:-}" ]]; then
    for variant in "${!fpsOf[@]}"; do
      [[ $variant == memory ]] && continue
      awk -v v="$variant" -v f="${fpsOf[$variant]}" -v fm="${fpsOf[memory]}" -v u="${usOf[$variant]}" -v um="${usOf[memory]}" \
        'BEGIN { printf "ratio %-11s acknowledged/s %.2f of the in-memory sink, CPU per frame %.2f x\n", v, f / fm, u / um }'
    done
  fi
done
