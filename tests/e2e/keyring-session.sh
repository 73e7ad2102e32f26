#!/usr/bin/env bash
# Runs "$@" with a throwaway, unlocked gnome-keyring (Secret Service) on the
# current session bus and with private HOME and XDG directories, so the app's
# sign-in goes to a keyring made for this run and the developer's own keyring
# and settings are never touched. Meant to run under `dbus-run-session --`
# (tests/e2e/run.sh does that), which gives it a private bus as well.
#
# Needs gnome-keyring and dbus-x11 (dbus-send), installed by
# packaging/install-deps.sh.
set -euo pipefail

if [[ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  echo "keyring-session: no session bus; run this under dbus-run-session --" >&2
  exit 1
fi
for tool in gnome-keyring-daemon dbus-send; do
  command -v "$tool" >/dev/null || { echo "keyring-session: $tool missing: run packaging/install-deps.sh" >&2; exit 1; }
done

root=$(mktemp -d "${TMPDIR:-/tmp}/baosong-e2e-session.XXXXXX")
for d in home data config cache runtime; do mkdir -m 700 "$root/$d"; done
keyring=""
cleanup() {
  if [[ -n "$keyring" ]]; then kill "$keyring" 2>/dev/null || true; fi
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# Tools installed per user (tauri-driver in ~/.cargo/bin) stay reachable, and
# so does a real display (BAOSONG_E2E_HEADED) whose cookie is in ~/.Xauthority.
export PATH="$PATH:$HOME/.cargo/bin"
if [[ -z "${XAUTHORITY:-}" && -f "$HOME/.Xauthority" ]]; then export XAUTHORITY="$HOME/.Xauthority"; fi
export HOME="$root/home" XDG_DATA_HOME="$root/data" XDG_CONFIG_HOME="$root/config"
export XDG_CACHE_HOME="$root/cache" XDG_RUNTIME_DIR="$root/runtime"
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

# --unlock reads the password from stdin until EOF, creates the login keyring
# with it and unlocks it. In the foreground so that it is ours to stop.
printf '%s' "baosong-e2e-keyring" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$root/keyring.log" 2>&1 &
keyring=$!

# NameHasOwner does not activate the service, so a slow start cannot make the
# bus launch a second, locked keyring.
ready=""
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    ready=1
    break
  fi
  kill -0 "$keyring" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "keyring-session: the Secret Service did not come up:" >&2
  cat "$root/keyring.log" >&2
  exit 1
fi

set +e
"$@"
rc=$?
set -e
exit "$rc"
