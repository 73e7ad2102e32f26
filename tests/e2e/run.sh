#!/usr/bin/env bash
# Runs the end-to-end tests against target/debug/baosong-desktop. Expects the
# app, the baosong CLI and the reference portal (baosong-portal) to be built
# (`make e2e` does that first).
#
# A virtual X display (Xvfb) is used unless BAOSONG_E2E_HEADED=1 and a display
# is present. Everything started here (the D-Bus session and its keyring,
# Xvfb, tauri-driver, WebKitWebDriver, the app, the portal) runs in one
# process group that is killed on exit, whether the tests pass, fail or are
# interrupted.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi
mkdir -p .artifacts
rm -f .artifacts/*.png .artifacts/*.html .artifacts/*.log

# One file at a time: each starts its own tauri-driver and app under the same
# display. Arguments name test files to run instead of all of them
# (`tests/e2e/run.sh sync.test.mjs`).
files=("$@")
((${#files[@]})) || files=(app.test.mjs check.test.mjs sync.test.mjs review.test.mjs attachments.test.mjs)
cmd=(node --test --test-concurrency=1 --test-force-exit --test-reporter=spec --test-timeout=300000 "${files[@]}")
if [[ -z "${BAOSONG_E2E_HEADED:-}" || ( -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ) ]]; then
  command -v xvfb-run >/dev/null || { echo "e2e: xvfb-run missing: run packaging/install-deps.sh" >&2; exit 1; }
  unset WAYLAND_DISPLAY
  cmd=(xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24 -nolisten tcp" "${cmd[@]}")
fi
# The app keeps the portal sign-in in the OS keyring (Secret Service) and
# sends desktop notifications over D-Bus: everything runs on a private session
# bus with a throwaway, unlocked gnome-keyring and private HOME/XDG
# directories (keyring-session.sh), never the developer's.
command -v dbus-run-session >/dev/null || { echo "e2e: dbus-run-session missing: run packaging/install-deps.sh" >&2; exit 1; }
cmd=(dbus-run-session -- ./keyring-session.sh "${cmd[@]}")

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
