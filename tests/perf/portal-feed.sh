#!/usr/bin/env bash
# Change-feed throughput of the reference portal (issue 4 target: >= 5,000
# pages/s of GET /submissions/changes on the 2-core machine, server memory
# under load < 100 MB). Needs curl, jq and python3. Load from wrk (Debian
# package `wrk`; install it by
# hand, it is not needed by `make test`), a lean C client, so that the
# client takes little of the two cores the server shares with it.
#
#   tests/perf/portal-feed.sh fixture            # once: the fixture database
#   tests/perf/portal-feed.sh run PORTAL_BINARY LABEL SECONDS [serve args…]
#   WALK=1 tests/perf/portal-feed.sh run …       # random `since` per request
#
# `fixture` starts `baosong-portal demo` (release build) with the password
# load-test and lets the repository's load client (`--mode submit`, 32
# connections, 15 s) fill the feed with jyj.xxy's submissions, then keeps
# the database in target/bench-data/portal-feed/. Each `run` serves a fresh
# copy of it (`serve`, so the demo's start-up password hashing is not counted
# in the memory figures), signs in as jyj.xxy (a unit role: the feed is
# filtered to 市教育局), resets the server's peak RSS (VmHWM), runs
# `wrk -t1 -c32` on `GET /submissions/changes?limit=100` (a full page of 100
# changes, 34.7 KB of JSON) and prints requests/s, latency, CPU time per
# request of the server and of wrk (from /proc and time(1): less sensitive
# to other load on the machine than requests/s), and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
PERF_DIR=$(pwd)/tests/perf
DATA=${CARGO_TARGET_DIR:-target}/bench-data/portal-feed
ADDR=127.0.0.1:8788
URL=http://$ADDR/api/v1

wait_up() {
    for _ in $(seq 100); do
        curl -sf "$URL/openapi.json" -o /dev/null && return 0
        sleep 0.2
    done
    echo "the portal did not start" >&2
    return 1
}

fixture() {
    local target=${CARGO_TARGET_DIR:-target}
    cargo build --release -p baosong-portal --bin baosong-portal --example load
    rm -rf "$DATA"; mkdir -p "$DATA"
    "$target/release/baosong-portal" demo --db "$DATA/load.sqlite3" --listen $ADDR \
        --password load-test --no-rate-limit > "$DATA/fixture-server.log" 2>&1 &
    local pid=$!
    wait_up
    "$target/release/examples/load" --base "http://$ADDR" --password load-test \
        --mode submit --concurrency 32 --seconds 15 --body-kib 20
    kill $pid; wait $pid 2>/dev/null || true
}

run() {
    local bin=$1 label=$2 secs=$3; shift 3
    local d=$DATA/run-$label
    rm -rf "$d"; mkdir -p "$d"; cp "$DATA/load.sqlite3" "$d/"
    "$bin" serve --db "$d/load.sqlite3" --listen $ADDR --no-rate-limit "$@" > "$d/server.log" 2>&1 &
    local pid=$!
    wait_up
    local token
    token=$(curl -sf -X POST -H 'content-type: application/json' \
        -d '{"username":"jyj.xxy","password":"load-test"}' "$URL/auth/token" | jq -r .access_token)
    curl -sf -H "authorization: Bearer $token" "$URL/submissions/changes?limit=100" -o "$d/page.json"
    local newest
    newest=$(sqlite3_newest "$d/load.sqlite3")
    local rss0 cpu0 cpu1 hwm load0 load1 script=()
    rss0=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    echo 5 > /proc/$pid/clear_refs   # VmHWM := current RSS
    [ -n "${WALK:-}" ] && script=(-s "$PERF_DIR/portal-feed-walk.lua")
    load0=$(cut -d' ' -f1 /proc/loadavg)
    cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    NEWEST=$newest /usr/bin/time -f "%U %S" -o "$d/wrk.time" wrk "${script[@]}" -t1 -c32 -d"${secs}s" \
        --latency -H "Authorization: Bearer $token" "$URL/submissions/changes?limit=100" > "$d/wrk.txt"
    cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
    load1=$(cut -d' ' -f1 /proc/loadavg)
    kill $pid; wait $pid 2>/dev/null || true
    local n rps p50 p99 ticks
    n=$(awk '/requests in/ {print $1}' "$d/wrk.txt")
    rps=$(awk '/Requests\/sec/ {print $2}' "$d/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$d/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$d/wrk.txt")
    ticks=$(getconf CLK_TCK)
    echo "$label: $rps req/s p50 $p50 p99 $p99;" \
        "server CPU $(( (cpu1 - cpu0) * 1000000 / ticks / n )) us/req," \
        "wrk CPU $(awk -v n="$n" '{printf "%d", ($1 + $2) * 1e6 / n}' "$d/wrk.time") us/req;" \
        "RSS before $((rss0 / 1024)) MiB, peak under load $((hwm / 1024)) MiB;" \
        "load avg $load0 -> $load1; $(grep -E 'Non-2xx|Socket errors' "$d/wrk.txt" | tr '\n' ' ')"
}

# The newest change's feed position (for WALK).
sqlite3_newest() {
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT MAX(seq) FROM status_changes').fetchone()[0])" "$1"
}

case ${1:-} in
    fixture) fixture ;;
    run) shift; run "$@" ;;
    *) sed -n 2,22p "$0"; exit 2 ;;
esac
