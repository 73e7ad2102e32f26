#!/usr/bin/env bash
# Measures the desktop app's start-up time and idle memory (issue 2 targets:
# cold start to an interactive list < 1 s; resident memory of all the app's
# processes, WebKit's included, < 200 MB when idle).
#
#   tests/perf/app-startup.sh [APP_BINARY] [DATA_DIR] [RUNS]
#
# APP_BINARY defaults to target/release/baosong-desktop; DATA_DIR to the
# 100,000-item store the core benchmark builds (target/bench-data/100k; run
# `make bench` first) — copied, so the measurement never changes it.
#
# Start-up: from launching the process to the UI's `app_ready` call, which the
# UI makes after the first page of the item list has rendered; the app prints
# "baosong: ready after N ms" (N measured from the first line of main) and this
# script also takes the wall time from exec. Caches are dropped before each run
# when the kernel allows it (root, not in a container), else the run is
# "warm file cache" and says so.
# Memory: after 10 s idle, the sum of PSS (proportional set size: shared pages
# split between the processes that share them) and of RSS over the app and
# every descendant process (WebKitWebProcess, WebKitNetworkProcess).
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=${1:-target/release/baosong-desktop}
SRC_DATA=${2:-target/bench-data/100k}
RUNS=${3:-5}
[ -x "$APP" ] || { echo "no app binary at $APP (cargo build --release -p baosong-desktop)"; exit 1; }
[ -d "$SRC_DATA" ] || { echo "no data dir $SRC_DATA (make bench builds it)"; exit 1; }

WORK=$(mktemp -d)
trap 'kill $XVFB_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$SRC_DATA" "$WORK/data"
rm -f "$WORK/data/ready"

DISPLAY_NUM=:97
Xvfb $DISPLAY_NUM -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
sleep 1

descendants() { # PID and all its descendants
  local p=$1; echo "$p"
  for c in $(pgrep -P "$p" || true); do descendants "$c"; done
}

echo "app: $APP; data: $SRC_DATA ($(du -sh "$WORK/data" | cut -f1))"
for run in $(seq 1 "$RUNS"); do
  cache="warm file cache"
  if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then cache="caches dropped"; fi
  log="$WORK/run$run.log"
  start=$(date +%s%N)
  DISPLAY=$DISPLAY_NUM BAOSONG_DATA_DIR="$WORK/data" "$APP" 2>"$log" &
  pid=$!
  for _ in $(seq 1 300); do grep -q "ready after" "$log" && break; sleep 0.01; done
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  inner=$(grep -o 'ready after [0-9]* ms' "$log" || echo "no ready line")
  if [ "$run" = "$RUNS" ]; then
    sleep 10
    pss=0; rss=0; names=""
    for p in $(descendants "$pid"); do
      [ -r "/proc/$p/smaps_rollup" ] || continue
      pss=$(( pss + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup") ))
      rss=$(( rss + $(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup") ))
      names="$names $(cat /proc/$p/comm)"
    done
    echo "idle memory after 10 s: PSS $((pss / 1024)) MB, RSS $((rss / 1024)) MB over:$names"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "run $run ($cache): wall ${wall} ms to ready; app says: $inner"
done
