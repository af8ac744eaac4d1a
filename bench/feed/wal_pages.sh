#!/usr/bin/env bash
# Issue 5: what a group commit of the feed writes, by table. Runs griddispatch-gateway on a fresh
# demo store (core 0) under griddispatch-sim (core 1); after a few seconds it freezes the gateway
# (SIGSTOP) and copies its WAL, --snapshots times 0.3 s apart, then kills it and maps every page of
# every commit seen to the table or index that owns it (dbstat of the recovered copy). A commit is
# counted once however many copies hold it (WAL salts and position tell them apart). Prints WAL
# pages per commit by owner.
#
#   bench/feed/wal_pages.sh [--build DIR] [--rate R] [--devices N] [--seconds S] [--snapshots K]
#                           [--work DIR] [--port P]
set -euo pipefail

BUILD=build
RATE=10000
DEVICES=200
SECONDS_RUN=5
SNAPSHOTS=10
WORK=/tmp/gd-wal-pages
PORT=7951
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --snapshots) SNAPSHOTS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    *) echo "unknown option $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
done
CTL=$BUILD/src/apps/ctl/griddispatch-ctl
GATEWAY=$BUILD/src/apps/gateway/griddispatch-gateway
SIM=$BUILD/src/apps/sim/griddispatch-sim
rm -rf "$WORK"; mkdir -p "$WORK"
"$CTL" demo-district --db "$WORK/s.gpkg" --terminals "$DEVICES" --credentials "$WORK/s.cred" > /dev/null
taskset -c 0 "$GATEWAY" --db "$WORK/s.gpkg" --listen 127.0.0.1:$PORT --rules-every 0 > "$WORK/gw.log" 2>&1 &
gw=$!
sleep 1.5
taskset -c 1 "$SIM" --connect 127.0.0.1:$PORT --devices "$DEVICES" --rate "$RATE" --duration $((SECONDS_RUN + SNAPSHOTS / 2 + 3)) \
  --credentials "$WORK/s.cred" > "$WORK/sim.log" 2>&1 &
sim=$!
sleep "$SECONDS_RUN"
for ((k = 1; k <= SNAPSHOTS; ++k)); do
  kill -STOP $gw
  cp "$WORK/s.gpkg-wal" "$WORK/wal.$k"
  kill -CONT $gw
  sleep 0.3
done
kill -KILL $gw; wait $gw 2>/dev/null || true
kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true
cp "$WORK/s.gpkg" "$WORK/a.gpkg"; cp "$WORK/s.gpkg-wal" "$WORK/a.gpkg-wal"
python3 - "$WORK/a.gpkg" "$RATE" "$DEVICES" "$WORK"/wal.* <<'PY'
import collections, sqlite3, struct, sys
db, rate, devices, wals = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
owner = dict((pageno, name) for name, pageno in sqlite3.connect(db).execute("SELECT name, pageno FROM dbstat"))
seen = {}  # (salts, offset of the commit's first frame) -> its pages
for wal in wals:
    data = open(wal, 'rb').read()
    _, _, page_size, _, salt1, salt2, _, _ = struct.unpack('>8I', data[:32])
    current, first, offset = [], 32, 32
    while offset + 24 + page_size <= len(data):
        page, size_after, s1, s2 = struct.unpack('>4I', data[offset:offset + 16])
        if (s1, s2) != (salt1, salt2):
            break  # the end of the current generation
        current.append(page)
        offset += 24 + page_size
        if size_after:  # a commit frame
            seen[(salt1, salt2, first)] = current
            current, first = [], offset
commits = list(seen.values())
n = max(len(commits), 1)
by_owner = collections.Counter(owner.get(p, '(unowned)') for c in commits for p in c)
print(f"{devices} terminals, {rate} frames/s: {len(commits)} commits, {sum(map(len, commits)) / n:.1f} WAL pages per commit")
for name, count in by_owner.most_common():
    print(f"  {name:36s} {count / n:6.2f}")
PY
