#!/usr/bin/env bash
# Runs the end-to-end tests against target/debug/baosong-desktop. Expects the
# app and the baosong CLI to be built (`make e2e` does that first).
#
# A virtual X display (Xvfb) is used unless BAOSONG_E2E_HEADED=1 and a display
# is present. Everything started here (Xvfb, tauri-driver,
# WebKitWebDriver, the app) runs in one process group that is killed on exit,
# whether the tests pass, fail or are interrupted.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi
mkdir -p .artifacts
rm -f .artifacts/*.png .artifacts/*.html .artifacts/*.log

# One file at a time: each starts its own tauri-driver and app under the same display.
cmd=(node --test --test-concurrency=1 --test-force-exit --test-reporter=spec --test-timeout=300000 app.test.mjs check.test.mjs)
if [[ -z "${BAOSONG_E2E_HEADED:-}" || ( -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ) ]]; then
  command -v xvfb-run >/dev/null || { echo "e2e: xvfb-run missing: run packaging/install-deps.sh" >&2; exit 1; }
  unset WAYLAND_DISPLAY
  cmd=(xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24 -nolisten tcp" "${cmd[@]}")
fi
# Hook: once the app stores secrets in the keyring, wrap this in
# `dbus-run-session --` and unlock a gnome-keyring daemon for the test.

# Job control gives the background job its own process group, which the trap
# can then kill as a whole.
set -m
"${cmd[@]}" &
job=$!
cleanup() { kill -TERM -- "-$job" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
set +e
wait "$job"
rc=$?
set -e
cleanup
if ((rc != 0)); then
  echo "e2e: FAILED (exit $rc); screenshots, page sources and the driver log are in tests/e2e/.artifacts/" >&2
fi
exit "$rc"
