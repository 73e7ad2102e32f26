#!/usr/bin/env bash
# Contract tests: schemathesis (PyPI) against a running reference portal
# (`baosong-portal demo` on a fresh database and a free loopback port), with
# the portal's own /api/v1/openapi.json. Checks: no 5xx
# (not_a_server_error), every response matches the document
# (response_schema_conformance) and has a documented status
# (status_code_conformance).
#
# Builds nothing: BAOSONG_PORTAL_BIN names the binary (`make contract` passes
# target/debug/baosong-portal). schemathesis is installed (pinned in
# requirements.txt) into a venv under ~/.cache/baosong/ on first use.
#
#   BAOSONG_CONTRACT_EXAMPLES=30   examples per operation (default 30)
#   BAOSONG_CONTRACT_USERS="jyj.xxy jyj.fzr editor"   whose bearer token to test with
#   (jyj.fzr, a unit head, reaches the signing-key and review-decision paths)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

: "${BAOSONG_PORTAL_BIN:?set BAOSONG_PORTAL_BIN to the baosong-portal binary}"
bin=$(realpath "$BAOSONG_PORTAL_BIN")
[[ -x "$bin" ]] || { echo "contract: $bin is not executable" >&2; exit 1; }

# --- schemathesis in its own venv ---------------------------------------------
venv=${BAOSONG_CONTRACT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/baosong/venv-contract}
stamp="$venv/.requirements"
if [[ ! -x "$venv/bin/st" ]] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  echo "contract: installing schemathesis into $venv"
  python3 -m venv "$venv" || { echo "contract: python3 -m venv failed: run packaging/install-deps.sh (python3-venv)" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi

# --- the portal ------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/baosong-contract.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
password="contract-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
# Rate limits off: schemathesis sends bursts (limits have their own tests).
"$bin" demo --db "$work/portal.sqlite3" --listen "127.0.0.1:$port" --password "$password" \
  --no-rate-limit >"$work/portal.log" 2>&1 &
portal=$!
cleanup() {
  kill -TERM "$portal" 2>/dev/null || true
  wait "$portal" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$base/api/v1/openapi.json" 2>/dev/null && break
  kill -0 "$portal" 2>/dev/null || { echo "contract: the portal exited:" >&2; cat "$work/portal.log" >&2; exit 1; }
  sleep 0.1
done

token_for() {
  curl -fsS -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$password\"}" "$base/api/v1/auth/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

rc=0
# schemathesis keeps a cache (.schemathesis/) in the working directory.
cd "$work"
for user in ${BAOSONG_CONTRACT_USERS:-jyj.xxy jyj.fzr editor}; do
  token=$(token_for "$user")
  echo "contract: schemathesis as $user against $base"
  # /events is an endless SSE stream: covered by the Rust integration tests.
  # upload_media.py tells schemathesis how to make an upload chunk's body.
  PYTHONPATH="$here" SCHEMATHESIS_HOOKS=upload_media "$venv/bin/st" run "$base/api/v1/openapi.json" \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance \
    --exclude-path /api/v1/events \
    --max-examples "${BAOSONG_CONTRACT_EXAMPLES:-30}" \
    --workers 1 \
    --request-timeout 10 \
    --seed 4 \
    --no-color || rc=$?
done
if grep -q ' ERROR ' "$work/portal.log"; then
  echo "contract: the portal logged errors:" >&2
  grep ' ERROR ' "$work/portal.log" >&2
  rc=1
fi
if ((rc != 0)); then
  echo "contract: FAILED" >&2
  tail -n 50 "$work/portal.log" >&2
fi
exit "$rc"
