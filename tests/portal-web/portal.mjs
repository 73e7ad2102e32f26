// Starting the real `baosong-portal demo` binary and talking to its API.
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `$BAOSONG_PORTAL_BIN demo` on a fresh database; resolves when it answers. */
export async function startPortal(password) {
  const bin = process.env.BAOSONG_PORTAL_BIN;
  if (!bin) throw new Error('BAOSONG_PORTAL_BIN is not set (path to the baosong-portal binary)');
  const dir = await mkdtemp(join(tmpdir(), 'baosong-portal-web-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['demo', '--db', join(dir, 'portal.sqlite3'), '--listen', `127.0.0.1:${port}`, '--password', password], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'baosong_portal=info,warn' },
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`baosong-portal exited early (${JSON.stringify(exited)}):\n${log}`);
    try {
      const r = await fetch(`${base}/api/v1/openapi.json`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`baosong-portal did not answer within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    log: () => log,
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** docs/api/README.md, "Content hash". */
export function contentHash(item, bodyMarkdown, bodyHtml) {
  const parts = [Buffer.from('baosong-content-v1\n')];
  const entry = (name, value) => {
    const v = Buffer.from(value, 'utf8');
    parts.push(Buffer.from(`${name}:${v.length}:`), v, Buffer.from('\n'));
  };
  const d = item.disclosure ?? {};
  entry('title', item.title);
  entry('column_id', item.column_id);
  entry('summary', item.summary ?? '');
  entry('author', item.author ?? '');
  entry('author_phone', item.author_phone ?? '');
  entry('source_unit', item.source_unit ?? '');
  const keywords = item.keywords ?? [];
  entry('keywords', String(keywords.length));
  for (const k of keywords) entry('keyword', k);
  entry('urgency', item.urgency ?? 'normal');
  entry('disclosure.kind', d.kind ?? 'proactive');
  entry('disclosure.withheld_reason', d.withheld_reason ?? '');
  entry('disclosure.doc_number', d.doc_number ?? '');
  entry('disclosure.written_date', d.written_date ?? '');
  entry('disclosure.topic_category', d.topic_category ?? '');
  entry('disclosure.genre_category', d.genre_category ?? '');
  entry('disclosure.validity', d.validity ?? 'valid');
  entry('body_markdown', bodyMarkdown);
  entry('body_html', bodyHtml);
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}

export async function api(base, method, path, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: r.status, json, text };
}

export async function signIn(base, username, password) {
  const r = await api(base, 'POST', '/auth/token', { body: { username, password } });
  if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${r.text}`);
  return r.json.access_token;
}

/** A valid submission request for the demo's 部门动态 (bmdt) column. */
export function submissionRequest(title) {
  const item = {
    title,
    column_id: 'bmdt',
    summary: '市教育局召开会议，部署秋季学期校园安全工作。',
    author: '张敏',
    author_phone: '0710-1234567',
    source_unit: '市教育局',
    keywords: ['安全', '教育'],
  };
  const bodyMarkdown = '会议强调，要压实校园安全责任，做好开学前隐患排查。\n';
  const bodyHtml = '<p>会议强调，要压实校园安全责任，做好开学前隐患排查。</p>';
  return {
    client_item_id: randomUUID(),
    client_revision: 1,
    item,
    body_markdown: bodyMarkdown,
    body_html: bodyHtml,
    content_hash: contentHash(item, bodyMarkdown, bodyHtml),
  };
}

/** `<name>:<len>:<value>\n` entries after a version line (docs/api/README.md). */
function canonical(versionLine) {
  const parts = [Buffer.from(versionLine)];
  return {
    entry(name, value) {
      const v = Buffer.from(String(value), 'utf8');
      parts.push(Buffer.from(`${name}:${v.length}:`), v, Buffer.from('\n'));
    },
    bytes: () => Buffer.concat(parts),
  };
}

/** docs/api/README.md, "Sign-off": the canonical check report's hash. */
function checkReportHash(report = {}) {
  const c = canonical('baosong-check-report-v1\n');
  const s = report.summary ?? {};
  const findings = report.findings ?? [];
  c.entry('engine', report.engine ?? '');
  c.entry('checked_at', report.checked_at ?? '');
  c.entry('summary.blockers', s.blockers ?? 0);
  c.entry('summary.errors', s.errors ?? 0);
  c.entry('summary.warnings', s.warnings ?? 0);
  c.entry('summary.infos', s.infos ?? 0);
  c.entry('findings', findings.length);
  if (findings.length) throw new Error('checkReportHash: findings are not needed by these tests');
  return createHash('sha256').update(c.bytes()).digest('hex');
}

/** A unit head's Ed25519 key, registered with the portal (POST /me/keys). */
export async function registerHeadKey(base, token, username) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('hex');
  const r = await api(base, 'POST', '/me/keys', { token, body: { public_key: publicHex, label: 'portal-web' } });
  if (r.status !== 201) throw new Error(`register key: ${r.status} ${r.text}`);
  // Signatures must come after the registration (microseconds on the portal).
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { username, keyId: r.json.key_id, privateKey };
}

/** RFC 3339 as the portal writes it back (chrono AutoSi: no fraction at whole seconds). */
function rfc3339(date) {
  const iso = date.toISOString();
  return date.getUTCMilliseconds() === 0 ? iso.replace('.000Z', 'Z') : iso;
}

/** `req` with a sign-off by `head` (from registerHeadKey): docs/api/README.md, "Sign-off". */
export function signOff(req, head, opinion = '同意报送') {
  const signedAt = rfc3339(new Date());
  const c = canonical('baosong-signoff-v1\n');
  c.entry('client_item_id', req.client_item_id);
  c.entry('content_hash', req.content_hash);
  const attachments = req.attachments ?? [];
  c.entry('attachments', attachments.length);
  for (const a of attachments) {
    c.entry('attachment.sha256', a.sha256);
    c.entry('attachment.name', a.name);
    c.entry('attachment.size', a.size);
  }
  c.entry('check_report_hash', checkReportHash(req.check));
  c.entry('signer', head.username);
  c.entry('key_id', head.keyId);
  c.entry('signed_at', signedAt);
  c.entry('opinion', opinion);
  const signature = sign(null, c.bytes(), head.privateKey).toString('hex');
  return {
    ...req,
    signoff: { signer: head.username, key_id: head.keyId, signature, signed_at: signedAt, opinion },
  };
}
