#!/usr/bin/env bash
# Issue 5, the scale half: N concurrent terminals held by the real griddispatch-gateway at
# ≤ 16 KiB each (without TLS), and all of them reconnected and resumed within 30 s after the
# gateway restarts. Drives the real programs over loopback on a demo store:
#
#   bench/feed/scale_bench.sh [--build DIR] [--terminals N] [--sims K] [--rate R] [--ping S]
#                             [--port P] [--work DIR] [--gateway BIN] [--sim-args "..."]
#
# Prints: the bare-socket baseline (feed_scale_tool hold-server: accept and hold, nothing else),
# gateway RSS idle and at N sessions (VmRSS), KiB per session and its ratio to the baseline,
# time to connect all, time from the new gateway's listen to all N resumed after a SIGTERM
# restart, frames resent, and frames lost (sim's frames vs the store's last_seq; must be 0).
#
# One descriptor per terminal: each program raises RLIMIT_NOFILE to its hard limit; N is
# clamped to what a gateway can hold under the hard limit (it keeps 64 for the store), and the
# terminals are split over K simulator processes and over loopback source addresses
# 127.0.0.1-127.0.0.4 (ip_local_port_range gives ~28k ports per source address).
set -euo pipefail

BUILD=build
N=20000
SIMS=2
RATE=400     # frames/s offered in total while held and during the restart (0: pings only)
PING=10      # heartbeat interval of each terminal, seconds
PORT=7413
WORK=
GATEWAY=
SOURCES=127.0.0.1-127.0.0.4
SIM_ARGS=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --terminals) N=$2; shift 2 ;;
    --sims) SIMS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --ping) PING=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --gateway) GATEWAY=$2; shift 2 ;;
    --sim-args) SIM_ARGS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "scale_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
GATEWAY=${GATEWAY:-$BUILD/src/apps/gateway/griddispatch-gateway}
SIM=$BUILD/src/apps/sim/griddispatch-sim
CTL=$BUILD/src/apps/ctl/griddispatch-ctl
TOOL=$BUILD/bench/feed/feed_scale_tool
for program in "$GATEWAY" "$SIM" "$CTL" "$TOOL"; do
  [[ -x $program ]] || { echo "scale_bench.sh: $program is missing; build griddispatch-gateway griddispatch-sim griddispatch-ctl feed_scale_tool" >&2; exit 2; }
done
WORK=${WORK:-$(mktemp -d /tmp/scale_bench.XXXXXX)}
mkdir -p "$WORK"

now_ms() { date +%s%3N; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

hard=$(ulimit -Hn)
# The gateway keeps 64 descriptors for the store and the rest (griddispatch-gateway --help).
if [[ $hard != unlimited ]] && (( N + 64 > hard )); then
  echo "note: the open-file hard limit is $hard (ulimit -Hn); a gateway holds at most $((hard - 64)) terminals under it." \
       "Running with $((hard - 64)); raise the hard limit to measure $N."
  N=$((hard - 64))
fi
per_sim=$(( (N + SIMS - 1) / SIMS ))
if [[ $hard != unlimited ]] && (( per_sim + 32 > hard )); then
  echo "scale_bench.sh: $per_sim terminals per simulator exceed the open-file limit $hard; use more --sims" >&2; exit 2
fi
echo "terminals $N over $SIMS simulators, $RATE frames/s offered, ping every $PING s, work dir $WORK"
echo "net.ipv4.ip_local_port_range: $(cat /proc/sys/net/ipv4/ip_local_port_range | tr '\t' ' '), source addresses $SOURCES"

# The store: the demo district, N terminals spread over its grid workers.
rm -f "$WORK"/store.gpkg*
"$CTL" demo-district --db "$WORK/store.gpkg" --terminals 1 --credentials "$WORK/unused.cred" > /dev/null
"$TOOL" provision --db "$WORK/store.gpkg" --count "$N" --credentials "$WORK/terminals.cred" > /dev/null

# Wait until FILE has at least COUNT lines matching PATTERN (or TIMEOUT seconds pass).
wait_lines() {
  local file=$1 pattern=$2 count=$3 timeout=$4 start
  start=$(now_ms)
  while (( $(grep -c -- "$pattern" "$file" 2>/dev/null || true) < count )); do
    (( $(now_ms) - start > timeout * 1000 )) && return 1
    sleep 0.01
  done
}

# The hello check alone (token hash and row lookup), for the reconnect storm.
auth=$("$TOOL" auth-bench --db "$WORK/store.gpkg" --credentials "$WORK/terminals.cred")

# 1. Baseline in the same run: a bare Asio server holding the same number of connections.
"$TOOL" hold-server --listen "127.0.0.1:$((PORT + 1))" > "$WORK/hold-server.log" 2>&1 &
hold_server=$!; pids+=("$hold_server")
wait_lines "$WORK/hold-server.log" listening 1 10
sleep 0.5
bare_idle=$(rss_kib "$hold_server")
for ((k = 0; k < SIMS; ++k)); do
  count=$(( k == SIMS - 1 ? N - k * per_sim : per_sim ))
  "$TOOL" hold-clients --connect "127.0.0.1:$((PORT + 1))" --count "$count" --source-addresses 127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4 \
    > "$WORK/hold-clients-$k.log" 2>&1 &
  pids+=("$!")
done
for ((k = 0; k < SIMS; ++k)); do wait_lines "$WORK/hold-clients-$k.log" "hold-clients:" 1 60; done
sleep 2
bare_held=$(rss_kib "$hold_server")
kill -TERM "${pids[@]:1}" "$hold_server" 2>/dev/null || true
wait 2>/dev/null || true
pids=()
bare_per=$(awk -v a="$bare_idle" -v b="$bare_held" -v n="$N" 'BEGIN {printf "%.2f", (b - a) / n}')

# 2. The gateway, idle.
start_gateway() {
  # The simulators connect tens of thousands of terminals from a few loopback addresses at once,
  # which the per-address limit on connections before hello exists to stop (issue 14): lifted here.
  "$GATEWAY" --db "$WORK/store.gpkg" --listen "127.0.0.1:$PORT" --rules-every 0 --idle-timeout 120 \
    --max-unauthenticated 1000000 --max-unauthenticated-per-address 1000000 >> "$WORK/gateway.log" 2>&1 &
  gateway=$!; pids+=("$gateway")
}
: > "$WORK/gateway.log"
start_gateway
wait_lines "$WORK/gateway.log" "listening on" 1 30
sleep 1
gw_idle=$(rss_kib "$gateway")

# 3. N terminals connect and stay (heartbeating; a few frames each minute).
sims=()
for ((k = 0; k < SIMS; ++k)); do
  count=$(( k == SIMS - 1 ? N - k * per_sim : per_sim ))
  "$SIM" --connect "127.0.0.1:$PORT" --devices "$count" --device-offset $((k * per_sim)) --credentials "$WORK/terminals.cred" \
    --rate "$(awk -v r="$RATE" -v c="$count" -v n="$N" 'BEGIN {print r * c / n}')" --duration 0 --ping "$PING" \
    --source-addresses "$SOURCES" --reconnect-report --seq-report "$WORK/seq-$k.txt" --seed $((k + 1)) $SIM_ARGS > "$WORK/sim-$k.log" 2>&1 &
  sims+=("$!"); pids+=("$!")
done
for ((k = 0; k < SIMS; ++k)); do
  wait_lines "$WORK/sim-$k.log" "^all-online" 1 120 || { echo "simulator $k: not all terminals came online; see $WORK" >&2; exit 1; }
done
connect_all=$(awk '/^all-online/ { for (i = 1; i <= NF; ++i) { split($i, kv, "="); v[kv[1]] = kv[2] }
                                   if (v["at"] > last) last = v["at"]; if (first == "" || v["started"] < first) first = v["started"] }
                   END { printf "%.2f", (last - first) / 1000 }' "$WORK"/sim-*.log)
# Every terminal has sent a ping or two before memory is read.
sleep $((PING + 5))
gw_held=$(rss_kib "$gateway")
gw_per=$(awk -v a="$gw_idle" -v b="$gw_held" -v n="$N" 'BEGIN {printf "%.2f", (b - a) / n}')

# 4. Restart: SIGTERM, start again on the same store, time from its listen to all resumed.
kill -TERM "$gateway"
wait "$gateway" || true
down_at=$(now_ms)
lines_before=$(grep -c "listening on" "$WORK/gateway.log")
start_gateway
wait_lines "$WORK/gateway.log" "listening on" $((lines_before + 1)) 60
listen_at=$(now_ms)
for ((k = 0; k < SIMS; ++k)); do
  wait_lines "$WORK/sim-$k.log" "^resumed" 1 120 || { echo "simulator $k: not all terminals resumed within 120 s; see $WORK" >&2; exit 1; }
done
resumed=$(awk -v listen="$listen_at" '/^resumed/ { for (i = 1; i <= NF; ++i) { split($i, kv, "="); v[kv[1]] = kv[2] }
                                                  if (v["at"] > last) last = v["at"]; resent += v["resent"] }
                                       END { printf "%.2f %d", (last - listen) / 1000, resent }' "$WORK"/sim-*.log)
sleep 3
gw_after=$(rss_kib "$gateway")

# 5. Stop offering frames, let every one be acknowledged, then compare with the store.
for s in "${sims[@]}"; do kill -INT "$s"; done
for s in "${sims[@]}"; do wait "$s" || true; done
kill -TERM "$gateway"; wait "$gateway" || true
pids=()
"$CTL" device list --db "$WORK/store.gpkg" > "$WORK/devices.txt"
lost=$(awk 'FNR == NR { for (i = 1; i < NF; ++i) if ($i == "last_seq") stored[$1] = $(i + 1); next }
            { if ($2 > stored[$1]) { lost += $2 - stored[$1]; devices++ } ; generated += $2 }
            END { printf "%d %d %d", lost, devices, generated }' "$WORK/devices.txt" "$WORK"/seq-*.txt)
unacked=$(awk '/unacknowledged at exit/ { s += $NF } END { print s + 0 }' "$WORK"/sim-*.log)

read -r resume_s resent <<< "$resumed"
read -r lost_frames lost_devices generated <<< "$lost"
echo
echo "bare asio server: RSS $bare_idle KiB idle, $bare_held KiB with $N connections held: $bare_per KiB per connection"
echo "gateway: RSS $gw_idle KiB idle, $gw_held KiB with $N sessions: $gw_per KiB per session" \
     "($(awk -v g="$gw_per" -v b="$bare_per" 'BEGIN {printf "%.1f", g / b}') x the bare socket); after the restart and resume: $gw_after KiB"
echo "hello check alone: $auth"
echo "connect all $N: $connect_all s"
echo "restart: gateway down for $(( listen_at - down_at )) ms (SIGTERM exit to listening again); all $N resumed $resume_s s after the new listen" \
     "(target 30 s); $resent frames resent"
echo "frames generated $generated, lost $lost_frames (devices short: $lost_devices), unacknowledged at exit $unacked"
grep -h "^devices\|^acknowledged\|^connect attempts" "$WORK"/sim-*.log | sed 's/^/  sim: /'
[[ $lost_frames == 0 && $unacked == 0 ]]
