// The editor pages in headless Chromium: sign in as the portal editor, open a
// submission a unit sent over the API, return it with a reason, and check both
// the page and the API.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { api, registerHeadKey, signIn, signOff, startPortal, submissionRequest } from './portal.mjs';

const PASSWORD = 'Demo-密码-' + randomUUID().slice(0, 8);
const CHROMIUM = process.env.BAOSONG_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('./.artifacts/', import.meta.url).pathname;

let portal;
let context;
let profile;

before(async () => {
  portal = await startPortal(PASSWORD);
  profile = await mkdtemp(join(tmpdir(), 'baosong-chromium-'));
  // A fresh profile (--user-data-dir) for every run.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'zh-CN',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await portal?.stop();
});

test('an editor returns a submission with a reason in the browser', async (t) => {
  // A liaison officer of 市教育局 submits over the API, the item
  // signed off by the unit head 李建国 (jyj.fzr) with a registered key.
  const officer = await signIn(portal.base, 'jyj.xxy', PASSWORD);
  const head = await registerHeadKey(portal.base, await signIn(portal.base, 'jyj.fzr', PASSWORD), 'jyj.fzr');
  const title = `秋季学期校园安全工作会议 ${randomUUID().slice(0, 6)}`;
  const created = await api(portal.base, 'POST', '/submissions', {
    token: officer,
    headers: { 'idempotency-key': randomUUID() },
    body: signOff(submissionRequest(title), head),
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;

  const page = await context.newPage();
  const blocked = [];
  page.on('requestfailed', (r) => blocked.push(r.url()));
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  try {
    await page.goto(`${portal.base}/editor/inbox`);
    assert.match(new URL(page.url()).pathname, /\/editor\/login$/, 'sent to the sign-in page');
    await page.fill('#username', 'editor');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL('**/editor/inbox'), page.click('#login')]);
    assert.ok(await page.getByText('稿件收件箱').first().isVisible());

    // The session cookie as the browser holds it.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'bs_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');

    // Filter the inbox to 已接收 and open the item.
    await page.selectOption('select[name=status]', 'received');
    await Promise.all([page.waitForURL(/status=received/), page.click('form.filters button')]);
    await Promise.all([page.waitForURL(`**/editor/submissions/${id}`), page.click(`text=${title}`)]);
    assert.equal((await page.textContent('#title')).trim(), title);
    const signoff = await page.textContent('#signoff');
    assert.match(signoff, /签名已验证/);
    assert.match(signoff, /李建国（jyj\.fzr）/);
    assert.match(signoff, /同意报送/);
    const fingerprint = head.keyId.toUpperCase().match(/.{4}/g).join(' ');
    assert.ok(signoff.includes(fingerprint), `fingerprint ${fingerprint} shown`);
    assert.match(await page.textContent('#item-body'), /压实校园安全责任/);

    // Return it with a reason.
    const reason = '请补充会议参加人员范围和数据来源。';
    await page.fill('#return-reason', reason);
    await page.fill('#form-return textarea[name=comment]', '浏览器测试');
    await Promise.all([page.waitForLoadState('load'), page.click('#do-return')]);
    await page.waitForSelector('#status [data-status="returned"]');
    assert.equal((await page.textContent('#returned-reason')).trim(), reason);
    assert.match(await page.textContent('#history'), /已退回 · 理由：请补充会议参加人员范围和数据来源。/);

    // The unit sees the same through the API.
    const now = await api(portal.base, 'GET', `/submissions/${id}`, { token: officer });
    assert.equal(now.status, 200, now.text);
    assert.equal(now.json.status, 'returned');
    assert.equal(now.json.returned_reason, reason);
    const last = now.json.history.at(-1);
    assert.equal(last.by.username, 'editor');
    assert.equal(last.comment, '浏览器测试');

    assert.deepEqual(consoleErrors, [], 'no console errors (CSP violations would show here)');
    assert.deepEqual(blocked, [], 'no failed requests');
  } catch (e) {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'editor-failure.png'), fullPage: true }).catch(() => {});
    await writeFile(join(ARTIFACTS, 'editor-failure.html'), await page.content().catch(() => '')).catch(() => {});
    await writeFile(join(ARTIFACTS, 'portal.log'), portal.log()).catch(() => {});
    t.diagnostic(`artifacts in ${ARTIFACTS}`);
    throw e;
  } finally {
    await page.close();
  }
});
