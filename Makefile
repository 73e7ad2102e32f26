# Baosong (报送): build, run and test on Debian/Ubuntu.
#
#   make run     install what is missing, build the UI and the app, start it
#   make test    everything CI checks: formatting, lints, unit tests, type
#                bindings, UI tests, and the end-to-end test of the real app
#
# Other targets: ui, build, e2e, bench, fmt, bindings, clean, help.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

CARGO ?= cargo
NPM ?= npm
# Plain output in CI, so test runners' summary lines are readable as text.
export CARGO_TERM_COLOR ?= $(if $(CI),never,auto)
ifdef CI
export NO_COLOR := 1
endif
# Where cargo builds. `.ci/run` points this at a cache outside the clone.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
APP := $(TARGET_DIR)/debug/baosong-desktop
CLI := $(TARGET_DIR)/debug/baosong
PORTAL := $(TARGET_DIR)/debug/baosong-portal
# `make run` starts the demo reference portal here, alongside the app.
PORTAL_LISTEN ?= 127.0.0.1:8787
# Extra arguments for the app, e.g. `make run ARGS="--data-dir /tmp/baosong"`.
ARGS ?=

UI_LOCK := ui/package-lock.json
UI_STAMP := ui/node_modules/.package-lock.json
# Everything the UI build reads (not node_modules, not its own output).
UI_SOURCES := $(shell find ui -path ui/node_modules -prune -o -path ui/dist -prune -o -type f -print 2>/dev/null)

.PHONY: help deps ui-deps ui build run test check e2e e2e-only fuzz-smoke bench fmt bindings bindings-check clean portal-web contract

help:
	@echo "make run       build and start the desktop app (installs missing dependencies)"
	@echo "make test      all checks and tests, as CI runs them"
	@echo "make ui        build the UI into ui/dist"
	@echo "make build     build the UI, baosong-desktop and the baosong CLI (debug)"
	@echo "make e2e       build, then run the end-to-end test of the real app under Xvfb"
	@echo "make portal-web  the reference portal's editor pages in headless Chromium (built portal)"
	@echo "make contract  schemathesis contract tests against the built reference portal"
	@echo "make bench     run the benchmarks (store, check engine, sync)"
	@echo "make fuzz-smoke  a short fuzz run of the check engine"
	@echo "make fmt       format the Rust code"
	@echo "make bindings  regenerate the UI's TypeScript types (ui/src/bindings)"
	@echo "make clean     remove build output"

## ---- dependencies --------------------------------------------------------

deps:
	@packaging/install-deps.sh

# npm ci only when node_modules is missing or package-lock.json is newer.
$(UI_STAMP): $(UI_LOCK)
	cd ui && $(NPM) ci --no-audit --no-fund
	@touch $@

ui-deps: $(UI_STAMP)

## ---- build ---------------------------------------------------------------

ui/dist/index.html: $(UI_SOURCES) $(UI_STAMP)
	cd ui && $(NPM) run build
	@touch $@

ui: ui/dist/index.html

# Cargo picks dependency features from the packages and targets a command
# selects; dev-dependencies (tempfile, proptest, ...) change some of them, and
# then GTK/WebKit/Tauri get rebuilt. So every build here selects the same set,
# the one `cargo test --workspace` uses: all packages, binaries and tests.
CARGO_BUILD := $(CARGO) build --workspace --bins --tests --benches --examples

# Clippy lints the workspace's own crates while they are compiled: its driver
# is the compiler cargo uses for workspace members (RUSTC_WORKSPACE_WRAPPER,
# exactly what `cargo clippy` sets up, but building instead of only checking)
# and CLIPPY_ARGS is its argument list, `-D warnings`, in the form
# `cargo clippy` passes it. A separate `cargo clippy` would compile every
# dependency a second time in check mode: ~10 of the 29 minutes of a cold
# `make test` on 2 cores. Every cargo command here runs with the same
# setting, so none of them rebuilds what another built. `make check` still
# runs `cargo clippy` itself.
CLIPPY_DRIVER := $(shell command -v clippy-driver 2>/dev/null || ls $$HOME/.cargo/bin/clippy-driver 2>/dev/null)
ifneq ($(CLIPPY_DRIVER),)
export RUSTC_WORKSPACE_WRAPPER := $(CLIPPY_DRIVER)
export CLIPPY_ARGS := -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
endif

build: ui
	$(CARGO_BUILD)

## ---- run -----------------------------------------------------------------

# With a display, the demo reference portal (baosong-portal demo, database in
# the data directory) runs in the background on $(PORTAL_LISTEN) while the app
# runs, and is stopped when the app exits. Sign in from the app's header
# (登录门户: the address defaults to this portal) as a demo user printed at start.
# Without a display only the CLI help is printed and no portal is started.
run: deps build
	@if [[ -z "$${DISPLAY:-}" && -z "$${WAYLAND_DISPLAY:-}" ]]; then \
	  echo; \
	  echo "没有图形显示（DISPLAY / WAYLAND_DISPLAY 均未设置），无法打开桌面窗口。"; \
	  echo "可以改用命令行程序 baosong，数据与桌面版共用："; \
	  echo "No display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop window cannot open."; \
	  echo "Use the command-line program instead; it shares the desktop app's data:"; \
	  echo; \
	  echo "  echo '会议部署了秋季学期校园安全工作。' | \\"; \
	  echo "    $(CLI) new --title '市教育局召开2026年秋季学期安全工作会议' --column 工作动态 --body-file -"; \
	  echo "  $(CLI) list"; \
	  echo "  $(CLI) search 安全"; \
	  echo "  $(CLI) show <编号前几位 / id prefix>"; \
	  echo "  $(CLI) render <编号前几位 / id prefix> > 预览.html"; \
	  echo "  $(CLI) --help"; \
	  echo; \
	  echo "数据目录 / data directory: \$${BAOSONG_DATA_DIR:-~/.local/share/baosong} (或 --data-dir DIR)"; \
	  echo "演示门户 / demo reference portal: $(PORTAL) demo --listen $(PORTAL_LISTEN)"; \
	  exit 0; \
	fi; \
	data="$${BAOSONG_DATA_DIR:-$${XDG_DATA_HOME:-$$HOME/.local/share}/baosong}/portal"; mkdir -p "$$data"; \
	log="$$data/demo.log"; \
	$(PORTAL) demo --db "$$data/demo.sqlite3" --listen $(PORTAL_LISTEN) >"$$log" 2>&1 & portal=$$!; \
	trap 'kill -TERM $$portal 2>/dev/null || true; wait $$portal 2>/dev/null || true' EXIT INT TERM; \
	for _ in $$(seq 1 100); do grep -q 'Ctrl+C' "$$log" 2>/dev/null && break; kill -0 $$portal 2>/dev/null || break; sleep 0.1; done; \
	if kill -0 $$portal 2>/dev/null; then \
	  sed -n '/Ctrl+C/q;p' "$$log"; \
	  echo "  （应用退出时门户随之停止 / stopped when the app exits; log: $$log）"; \
	else \
	  echo "参考门户未能启动（端口被占用？）/ the reference portal did not start (port in use?):"; cat "$$log"; \
	fi; \
	$(APP) $(ARGS)

## ---- test ----------------------------------------------------------------

# Cheap checks first, so a formatting slip fails in seconds, not minutes.
test: deps ui
	$(CARGO) fmt --all -- --check
	cd ui && $(NPM) run lint
	cd ui && $(NPM) run typecheck
	cd ui && $(NPM) test
	@[[ -n "$(CLIPPY_DRIVER)" ]] || { echo "clippy-driver not found: rustup component add clippy" >&2; exit 1; }
	$(CARGO_BUILD)
	$(CARGO) test --workspace
	$(MAKE) bindings-check
	$(MAKE) portal-web
	$(MAKE) contract
	$(MAKE) fuzz-smoke
	$(MAKE) e2e-only

check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

e2e: deps build
	$(MAKE) e2e-only

# The e2e test alone, against what is already built.
e2e-only:
	BAOSONG_E2E_APP="$(abspath $(APP))" BAOSONG_E2E_CLI="$(abspath $(CLI))" BAOSONG_E2E_PORTAL="$(abspath $(PORTAL))" tests/e2e/run.sh

# The reference portal's editor pages in headless Chromium, and schemathesis
# against its OpenAPI document; both against the portal already built.
portal-web:
	BAOSONG_PORTAL_BIN="$(abspath $(PORTAL))" tests/portal-web/run.sh

contract:
	BAOSONG_PORTAL_BIN="$(abspath $(PORTAL))" tests/contract/run.sh

# The sync bench talks to the release build of the reference portal.
bench:
	$(CARGO) build --release -p baosong-portal
	$(CARGO) bench -p baosong-core -p baosong-check -p baosong-sync

# A short fuzz run of the check engine on the seed corpus (fuzz/seeds). New
# inputs go to a scratch directory; a crash leaves its input in
# fuzz/artifacts/ and fails the build. Own target dir: cargo fuzz builds with
# other flags, which would otherwise force rebuilds of everything else.
FUZZ_SECONDS ?= 40
fuzz-smoke:
	@scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	for t in check_text lexicon; do \
	  mkdir -p "$$scratch/$$t"; \
	  env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS $(CARGO) fuzz run -s none --target-dir "$(abspath $(TARGET_DIR))/fuzz" $$t "$$scratch/$$t" fuzz/seeds \
	    -- -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 -print_final_stats=1 2>&1 | tail -n 12; \
	done

fmt:
	$(CARGO) fmt --all

# ts-rs writes the UI's TypeScript types while baosong-core's export tests run
# (into ui/src/bindings, see .cargo/config.toml). --workspace rather than
# -p baosong-core keeps the feature set, and so the build, of `make test`.
bindings:
	$(CARGO) test --workspace --lib export_bindings

# The committed bindings must match the Rust types.
bindings-check: bindings
	@if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  echo "bindings-check: not a git checkout, skipped"; exit 0; fi
	@git diff --exit-code --stat -- ui/src/bindings || { \
	  echo "ui/src/bindings is out of date: run 'make bindings' and commit the result" >&2; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- ui/src/bindings); \
	if [[ -n "$$untracked" ]]; then \
	  echo "new, uncommitted bindings (run 'make bindings' and commit them):" >&2; \
	  echo "$$untracked" >&2; exit 1; fi
	@echo "bindings-check: ui/src/bindings is up to date"

clean:
	$(CARGO) clean
	rm -rf ui/dist tests/e2e/.artifacts tests/portal-web/.artifacts
