#!/usr/bin/env bash
# Installs what building, running and testing Baosong needs on Debian/Ubuntu
# (and Debian-based UOS / Kylin). Idempotent and quiet when all is present:
# apt is not touched unless a package is missing.
#
#   packaging/install-deps.sh            # everything (build + run + e2e tests)
#   BAOSONG_SKIP_TAURI_DRIVER=1 ...      # skip `cargo install tauri-driver`
set -euo pipefail

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: %s\n' "$*" >&2; exit 1; }

# --- operating system -------------------------------------------------------
if [[ "$(uname -s)" != Linux ]] || ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  die "这个脚本只支持 Debian / Ubuntu（及基于 Debian 的统信 UOS、麒麟）。
install-deps: this script supports Debian/Ubuntu (and Debian-based UOS/Kylin) only.
install-deps: elsewhere, install the Tauri 2 Linux prerequisites (WebKitGTK 4.1, GTK 3,
install-deps: librsvg, OpenSSL, D-Bus), Rust, Node.js >= 20.19, and for the e2e tests
install-deps: WebKitWebDriver, Xvfb and tauri-driver by hand; see README.md."
fi

# --- Debian packages ----------------------------------------------------------
PACKAGES=(
  # Tauri 2 build and run time
  build-essential pkg-config file curl
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libxdo-dev libssl-dev libdbus-1-dev
  # fonts, so Chinese text renders; also the font the approval sheet PDF
  # (baosong export sheet) embeds
  fonts-noto-cjk
  # pdftotext, pdffonts, pdftoppm, pdfinfo: the sheet tests read the PDF back
  poppler-utils
  # the secret store (keyring) the app keeps the portal sign-in in, and a
  # session bus for it and for desktop notifications (the notification plugin
  # talks D-Bus itself through zbus: no libnotify needed). dbus-x11 brings
  # dbus-daemon (dbus-run-session) and dbus-bin (dbus-send, dbus-monitor),
  # which the tests' private keyring sessions (tests/harness keyring_session,
  # tests/e2e/keyring-session.sh) and the e2e notification check use
  gnome-keyring dbus-x11
  # end-to-end tests: virtual display, the WebKitGTK WebDriver server
  xvfb xauth webkit2gtk-driver
  # the reference portal's editor pages in headless Chromium (tests/portal-web),
  # and the venv the contract tests install schemathesis into (tests/contract)
  chromium python3-venv
  # LibreOffice Calc: the xlsx scan tests make their .xlsx fixtures from
  # .fods sources with soffice --convert-to (Writer, below, makes the PDF
  # ones); tests only, never used at run time
  libreoffice-calc
  # misc tools the Makefile and tests use
  git ca-certificates procps
  # the TLS test makes its certificate authority and server certificate with it
  openssl
  # the .docx import tests convert their HTML/ODT sources to .docx with
  # LibreOffice headless (tests only: the app never runs an outside converter)
  libreoffice-writer
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  say "installing: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all present"
fi

# --- toolchains (not installed here: say what to do) -------------------------
if ! command -v cargo >/dev/null 2>&1; then
  [[ -x "$HOME/.cargo/bin/cargo" ]] && export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null 2>&1 || die "缺少 Rust（cargo）。请安装 rustup（https://rustup.rs 或 apt install rustup），然后运行 rustup default stable。
install-deps: cargo not found: install Rust 1.95 or newer (rustup, or the distribution's rustup package), then re-run."

# clippy and rustfmt: `make test` lints while building (clippy-driver) and
# checks formatting. With rustup, ~/.cargo/bin holds a proxy for each even
# when the component is missing, so ask rustup what is installed.
if command -v rustup >/dev/null 2>&1; then
  installed=$(rustup component list --installed 2>/dev/null || true)
  for component in clippy rustfmt; do
    if ! grep -q "^$component" <<<"$installed"; then
      say "installing the Rust component $component"
      rustup component add "$component"
    fi
  done
else
  for bin in clippy-driver rustfmt; do
    command -v "$bin" >/dev/null 2>&1 || die "缺少 $bin，请安装 Rust 的 clippy / rustfmt 组件 / $bin not found: install Rust's clippy and rustfmt"
  done
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  die "缺少 Node.js / npm（需要 20.19 或更高版本）。
install-deps: node/npm not found: install Node.js 20.19+ (e.g. from your distribution or NodeSource), then re-run."
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  die "Node.js $(node --version) 太旧，需要 20.19 或更高 / Node.js $(node --version) is too old: 20.19+ needed."
fi

# --- tauri-driver (WebDriver bridge for the e2e tests) -----------------------
# `tauri-driver` has no --version flag; `cargo install --list` tells the version.
if [[ -z "${BAOSONG_SKIP_TAURI_DRIVER:-}" ]]; then
  if command -v tauri-driver >/dev/null 2>&1 || [[ -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    say "tauri-driver: present"
  else
    say "installing tauri-driver (cargo install, about a minute)"
    cargo install tauri-driver --version '^2' --locked
  fi
fi

# --- cargo-fuzz (the check engine's fuzz targets; a short run in make test) ---
# Works on the stable toolchain with `-s none` (no sanitizer needs nightly).
if [[ -z "${BAOSONG_SKIP_CARGO_FUZZ:-}" ]]; then
  if command -v cargo-fuzz >/dev/null 2>&1 || [[ -x "$HOME/.cargo/bin/cargo-fuzz" ]]; then
    say "cargo-fuzz: present"
  else
    say "installing cargo-fuzz (cargo install, about a minute)"
    cargo install cargo-fuzz --version '^0.13' --locked
  fi
fi

say "ready"
