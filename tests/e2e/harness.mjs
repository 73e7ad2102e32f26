// Starts tauri-driver (which starts WebKitWebDriver, which starts the real
// baosong-desktop binary) and opens WebdriverIO sessions against it. Every
// process started here is stopped again in `stop()`, which also runs when the
// test process exits or is interrupted.

import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..');
export const ARTIFACTS = join(here, '.artifacts');
export const APP = process.env.BAOSONG_E2E_APP ?? join(REPO, 'target', 'debug', 'baosong-desktop');
export const CLI = process.env.BAOSONG_E2E_CLI ?? join(REPO, 'target', 'debug', 'baosong');
export const PORTAL = process.env.BAOSONG_E2E_PORTAL ?? join(REPO, 'target', 'debug', 'baosong-portal');

const children = new Set();

function killAll(signal = 'SIGTERM') {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

process.once('exit', () => killAll('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killAll('SIGKILL');
    process.exit(128 + 2);
  });
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir || '.', cmd);
    if (existsSync(p)) return p;
  }
  return null;
}

export async function freePort(preferred) {
  const tryListen = (port) =>
    new Promise((ok) => {
      const srv = createServer();
      srv.once('error', () => ok(null));
      srv.listen(port, '127.0.0.1', () => {
        const { port: got } = srv.address();
        srv.close(() => ok(got));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0));
}

async function waitForHttp(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (e) {
      lastError = e;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${lastError}`);
}

/**
 * The WebDriver stack for one test file: a temporary data directory, one
 * tauri-driver (and so one WebKitWebDriver) whose environment carries
 * BAOSONG_DATA_DIR, and helpers to open sessions (each session is one run of
 * the app).
 */
export class Harness {
  constructor() {
    this.dataDir = mkdtempSync(join(tmpdir(), 'baosong-e2e-'));
    this.driver = null;
    this.port = 0;
    this.logPath = join(ARTIFACTS, 'tauri-driver.log');
    this.log = '';
    this.failed = false;
  }

  async start() {
    for (const [what, path, hint] of [
      ['desktop app', APP, 'cargo build -p baosong-desktop'],
      ['baosong CLI', CLI, 'cargo build -p baosong-cli'],
    ]) {
      if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run \`${hint}\` (or \`make e2e\`)`);
    }
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      throw new Error('no DISPLAY: run the e2e tests through tests/e2e/run.sh (it starts Xvfb)');
    }
    const driverBin = which('tauri-driver') ?? join(homedir(), '.cargo', 'bin', 'tauri-driver');
    if (!existsSync(driverBin)) {
      throw new Error(
        "tauri-driver not found: run packaging/install-deps.sh (cargo install tauri-driver --version '^2' --locked)",
      );
    }
    if (!which('WebKitWebDriver')) {
      throw new Error(
        'WebKitWebDriver not found: install the Debian package webkit2gtk-driver (packaging/install-deps.sh)',
      );
    }

    mkdirSync(ARTIFACTS, { recursive: true });
    this.port = await freePort(Number(process.env.BAOSONG_E2E_PORT ?? 4444));
    const nativePort = await freePort(this.port + 1 === 4445 ? 4445 : 0);
    const logFile = createWriteStream(this.logPath);
    const driver = spawn(driverBin, ['--port', String(this.port), '--native-port', String(nativePort)], {
      env: {
        ...process.env,
        BAOSONG_DATA_DIR: this.dataDir,
        // Quieter WebKit under Xvfb (no GPU): software rendering, no compositing.
        WEBKIT_DISABLE_COMPOSITING_MODE: '1',
        WEBKIT_DISABLE_DMABUF_RENDERER: '1',
        LIBGL_ALWAYS_SOFTWARE: '1',
        NO_AT_BRIDGE: '1',
        // C.UTF-8 exists everywhere (zh_CN.UTF-8 often is not generated);
        // the interface language comes from BAOSONG_LANG.
        LANG: 'C.UTF-8',
        BAOSONG_LANG: process.env.BAOSONG_E2E_LANG ?? 'zh-CN',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(driver);
    driver.on('exit', () => children.delete(driver));
    for (const stream of [driver.stdout, driver.stderr]) {
      stream.on('data', (chunk) => {
        this.log += chunk.toString();
        logFile.write(chunk);
      });
    }
    this.driver = driver;
    await waitForHttp(`http://127.0.0.1:${this.port}/status`, 20_000, driver);
  }

  /** Opens a session, which starts the app. `args` go to baosong-desktop. */
  async session(args = []) {
    return remote({
      hostname: '127.0.0.1',
      port: this.port,
      logLevel: process.env.BAOSONG_E2E_WDIO_LOG ?? 'warn',
      // A WebDriver call that hangs fails after this long instead of stalling the run.
      connectionRetryTimeout: Number(process.env.BAOSONG_E2E_REQ_TIMEOUT ?? 60_000),
      connectionRetryCount: 0,
      waitforTimeout: 20_000,
      capabilities: {
        browserName: 'wry',
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: APP, args },
      },
    });
  }

  /**
   * Under Xvfb there is no window manager, so the new window never gets the
   * input focus, and WebKit then never answers a screenshot request. A click
   * on a harmless control gives it the focus.
   */
  async focus(browser) {
    const search = await browser.$('[data-testid=search-input]');
    await search.waitForClickable({ timeout: 60_000 });
    await search.click();
  }

  /** Screenshot and page source into .artifacts/, for a failed step. */
  async capture(browser, name, { quiet = false } = {}) {
    const safe = name.replace(/[^a-zA-Z0-9_-]+/g, '-');
    try {
      writeFileSync(join(ARTIFACTS, `${safe}.html`), await browser.getPageSource());
    } catch {
      // the page may be gone
    }
    try {
      const shot = browser.saveScreenshot(join(ARTIFACTS, `${safe}.png`));
      const timeout = sleep(15_000).then(() => {
        throw new Error('timed out');
      });
      await Promise.race([shot, timeout]);
    } catch (e) {
      console.error(`(no screenshot: ${e.message})`);
    }
    if (!quiet) console.error(`artifacts for "${name}" in ${ARTIFACTS}`);
  }

  /** Runs the baosong CLI against this harness's data directory. */
  cli(...args) {
    return execFileSync(CLI, ['--data-dir', this.dataDir, ...args], { encoding: 'utf8' });
  }

  async stop({ keepData = false } = {}) {
    if (this.driver && this.driver.exitCode === null) {
      const exited = new Promise((ok) => this.driver.once('exit', ok));
      this.driver.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
    }
    killAll('SIGKILL');
    if (keepData) {
      console.error(`data directory kept for inspection: ${this.dataDir}`);
    } else {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** `[data-testid=ID]` */
export const sel = (id) => `[data-testid=${id}]`;

/** Waits until `[data-testid=save-status]` says saved, and stays so briefly (autosave is debounced). */
export async function waitSaved(b) {
  const status = await b.$(sel('save-status'));
  await status.waitForExist({ timeout: 20_000 });
  let streak = 0;
  await b.waitUntil(
    async () => {
      const state = await status.getAttribute('data-state');
      streak = state === 'saved' ? streak + 1 : 0;
      return streak >= 4;
    },
    { timeout: 30_000, interval: 250, timeoutMsg: 'save-status never settled on data-state="saved"' },
  );
}

/** Runs `fn`; on failure saves a screenshot and the page, then rethrows. */
export async function step(harness, browser, name, fn) {
  try {
    return await fn();
  } catch (e) {
    harness.failed = true;
    await harness.capture(browser, name);
    throw e;
  }
}

/**
 * The reference portal (`baosong-portal demo`) on loopback: every demo user
 * (jyj.xxy, editor, …) has `password`. `stop()` and `start()` again keep the
 * database and the port, like a portal going down and coming back.
 */
export class DemoPortal {
  constructor(password) {
    this.password = password;
    this.dir = mkdtempSync(join(tmpdir(), 'baosong-e2e-portal-'));
    this.db = join(this.dir, 'demo.sqlite3');
    this.port = 0;
    this.child = null;
    this.log = '';
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    if (!existsSync(PORTAL)) {
      throw new Error(`baosong-portal not found at ${PORTAL}: run \`cargo build --workspace --bins\` (or \`make e2e\`)`);
    }
    if (!this.port) this.port = await freePort(0);
    const child = spawn(
      PORTAL,
      ['demo', '--db', this.db, '--listen', `127.0.0.1:${this.port}`, '--password', this.password, '--no-rate-limit'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    children.add(child);
    child.on('exit', () => children.delete(child));
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (c) => (this.log += c.toString()));
    this.child = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`baosong-portal exited early (${child.exitCode}):\n${this.log}`);
      try {
        const res = await fetch(`${this.url}/api/v1/openapi.json`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`baosong-portal did not answer on ${this.url}:\n${this.log}`);
      await sleep(100);
    }
  }

  async stop() {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  /** A JSON request to the portal's API (`path` under /api/v1). */
  async api(method, path, { token, body } = {}) {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** An access token for a demo user. */
  async token(username) {
    const answer = await this.api('POST', '/auth/token', { body: { username, password: this.password } });
    return answer.access_token;
  }

  /**
   * A page of the portal editors' web pages (`/editor/submissions/{id}`) as
   * the demo editor sees it: signs in through the login form (its CSRF token
   * and cookie) first.
   */
  async editorPage(submissionId) {
    const cookies = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const form = await fetch(`${this.url}/editor/login`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!csrf) throw new Error('no CSRF token on the editor login page');
    const login = await fetch(`${this.url}/editor/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies(form).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, username: 'editor', password: this.password }).toString(),
    });
    const session = cookies(login).join('; ');
    if (!session) throw new Error(`editor login failed: HTTP ${login.status}`);
    const page = await fetch(`${this.url}/editor/submissions/${submissionId}`, { headers: { cookie: session } });
    if (!page.ok) throw new Error(`editor page: HTTP ${page.status}`);
    return page.text();
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Watches the session bus for desktop notifications (`Notify` calls to
 * org.freedesktop.Notifications) with dbus-monitor. It sees the call whether
 * or not a notification server runs (under Xvfb there is none, and the app
 * must carry on regardless).
 */
export class NotificationMonitor {
  constructor() {
    this.output = '';
    this.child = null;
  }

  async start() {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error('no session bus: run the e2e tests through tests/e2e/run.sh (dbus-run-session)');
    }
    if (!which('dbus-monitor')) throw new Error('dbus-monitor not found: install dbus-x11 (packaging/install-deps.sh)');
    const child = spawn('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications'"], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    child.stdout.on('data', (c) => (this.output += c.toString()));
    child.stderr.on('data', (c) => (this.output += c.toString()));
    this.child = child;
    // It prints its own NameAcquired once it is a monitor.
    const deadline = Date.now() + 10_000;
    while (!this.output.includes('NameAcquired') && Date.now() < deadline) await sleep(50);
  }

  /** The `Notify` calls seen so far, each as dbus-monitor printed it. */
  calls() {
    return this.output
      .split(/\n(?=method call|signal|method return|error)/)
      .filter((block) => block.startsWith('method call') && block.includes('member=Notify'));
  }

  stop() {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    this.child = null;
  }
}
