#!/usr/bin/env bash
# Headless Chromium test of the reference portal's editor pages. Builds
# nothing: BAOSONG_PORTAL_BIN names the baosong-portal binary to test
# (`make portal-web` passes target/debug/baosong-portal). Uses Debian's
# chromium (BAOSONG_CHROMIUM to override); Playwright never downloads a browser.
set -euo pipefail
cd "$(dirname "$0")"

: "${BAOSONG_PORTAL_BIN:?set BAOSONG_PORTAL_BIN to the baosong-portal binary}"
BAOSONG_PORTAL_BIN=$(realpath "$BAOSONG_PORTAL_BIN")
[[ -x "$BAOSONG_PORTAL_BIN" ]] || { echo "portal-web: $BAOSONG_PORTAL_BIN is not executable" >&2; exit 1; }
export BAOSONG_PORTAL_BIN
chromium_bin=${BAOSONG_CHROMIUM:-/usr/bin/chromium}
[[ -x "$chromium_bin" ]] || { echo "portal-web: $chromium_bin missing: run packaging/install-deps.sh" >&2; exit 1; }

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi
rm -rf .artifacts

# Job control: the tests (and the portal and Chromium they start) get their
# own process group, killed on exit whatever happens.
set -m
node --test --test-concurrency=1 --test-force-exit --test-reporter=spec --test-timeout=120000 editor.test.mjs &
job=$!
cleanup() { kill -TERM -- "-$job" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
set +e
wait "$job"
rc=$?
set -e
if ((rc != 0)); then
  echo "portal-web: FAILED (exit $rc); screenshot, page and portal log in tests/portal-web/.artifacts/" >&2
fi
exit "$rc"
