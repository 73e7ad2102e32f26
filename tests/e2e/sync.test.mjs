// End-to-end: submitting to the portal through the offline outbox, in the
// real app against the real reference portal (`baosong-portal demo`).
//
// Story (issue 5, "Done when"): a liaison officer signs in to the demo portal
// as jyj.xxy through the sign-in dialog and sends an item for sign-off; the
// head signs it off on the same computer (切换用户). The portal then goes
// down. The officer clicks 报送: it waits in the outbox as 待报送. The portal comes back (same database, same port);
// the item is delivered (已报送). A portal editor returns it with a reason
// through the API; the app shows 退回 with the reason in a banner, in its
// notice area and in the item's status timeline, and sends a desktop
// notification, seen on the session bus by dbus-monitor (under Xvfb there is
// no notification server; the app carries on regardless).
//
// run.sh runs this inside `dbus-run-session` with an unlocked gnome-keyring
// and private HOME/XDG directories, so the sign-in goes to a throwaway
// keyring, never the developer's.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { DemoPortal, Harness, NotificationMonitor, sel, step } from './harness.mjs';
import { badgeIs, click, openItem, openPendingReview, sendToHead, switchUserTo, textOf } from './review-steps.mjs';

const PASSWORD = 'e2e-Demo-口令-7391';
const TITLE = '市教育局部署秋季学期校园安全检查工作';
const BODY = '近日，市教育局召开会议，部署秋季学期开学前校园安全检查工作，要求各校落实值班制度。\n';
const REASON = '请补充检查范围和时间安排，并注明信息来源。';

const harness = new Harness();
const portal = new DemoPortal(PASSWORD);
const monitor = new NotificationMonitor();
let browser = null;

before(async () => {
  await harness.start();
  await monitor.start();
  await portal.start();
});

after(async () => {
  if (browser) {
    await browser.deleteSession().catch(() => {});
    browser = null;
  }
  monitor.stop();
  await portal.stop();
  if (harness.failed) {
    console.error(`portal log:\n${portal.log}`);
    console.error(`dbus-monitor:\n${monitor.output}`);
  } else {
    portal.remove();
  }
  await harness.stop({ keepData: harness.failed });
});

function attrOf(b, selector, name) {
  return b.execute((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name);
}

async function clickAction(b, kind) {
  const button = await b.$(sel(`action-${kind}`));
  await button.waitForExist({ timeout: 15_000, timeoutMsg: `no ${kind} button` });
  await button.waitForEnabled({ timeout: 20_000, timeoutMsg: `${kind} stays disabled` });
  await button.click();
}

/** The outbox entries as [status, text] pairs (opens and closes the outbox view). */
async function outboxEntries(b, { includeDelivered = false } = {}) {
  await (await b.$(sel('outbox-open'))).click();
  await (await b.$(sel('outbox-view'))).waitForDisplayed({ timeout: 10_000 });
  const toggle = await b.$(sel('outbox-show-delivered'));
  if ((await toggle.isSelected()) !== includeDelivered) await toggle.click();
  await sleep(500);
  const entries = await b.execute(
    (s) => [...document.querySelectorAll(s)].map((e) => [e.getAttribute('data-status'), e.textContent ?? '']),
    sel('outbox-entry'),
  );
  await (await b.$(sel('outbox-close'))).click();
  return entries;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('sign in, submit while the portal is down, deliver when it is back, and see it returned with the reason', async () => {
  // The item, a draft, made with the CLI (the UI path of drafting is app.test.mjs's).
  const bodyFile = join(harness.dataDir, 'body.md');
  writeFileSync(bodyFile, BODY);
  const created = JSON.parse(
    harness.cli('--json', 'new', '--title', TITLE, '--column', '工作动态', '--body-file', bodyFile),
  );
  const itemId = created.item?.id ?? created.id;
  assert.ok(itemId, `baosong --json new answered with an id: ${JSON.stringify(created)}`);

  browser = await harness.session([]);
  const b = browser;
  try {
    await harness.focus(b);

    await step(harness, b, 'sync-1-sign-in', async () => {
      const status = await b.$(sel('sync-status'));
      await status.waitForExist({ timeout: 30_000 });
      assert.equal(await status.getAttribute('data-state'), 'signed_out');
      await (await b.$(sel('login-open'))).click();
      await (await b.$(sel('login-dialog'))).waitForDisplayed({ timeout: 10_000 });
      const address = await b.$(sel('login-portal'));
      assert.equal(await address.getValue(), 'http://127.0.0.1:8787', 'the demo portal is the default address');
      await address.clearValue();
      await address.setValue(portal.url);
      await (await b.$(sel('login-username'))).setValue('jyj.xxy');
      await (await b.$(sel('login-password'))).setValue(PASSWORD);
      await (await b.$(sel('login-submit'))).click();
      await (await b.$(sel('login-dialog'))).waitForExist({
        reverse: true,
        timeout: 30_000,
        timeoutMsg: 'the sign-in dialog did not close',
      });
      await b.waitUntil(async () => (await status.getAttribute('data-state')) === 'online', {
        timeout: 30_000,
        timeoutMsg: 'the header never said online after signing in',
      });
      assert.equal(await status.getAttribute('data-user'), 'jyj.xxy');
      // The name and unit come from the portal (GET /me).
      assert.match(await textOf(b, sel('sync-user')), /张敏/);
    });

    await step(harness, b, 'sync-2-sign-off', async () => {
      // 送审 to the head on this computer; the head signs (签发) with a key
      // registered with the portal, which is still up.
      await openItem(b, TITLE);
      await sendToHead(b, '请签发');
      await switchUserTo(b, 'jyj.fzr', PASSWORD, TITLE);
      await openPendingReview(b, TITLE, '值班制度');
      await click(b, 'review-sign');
      await click(b, 'sign-confirm');
      await (await b.$(sel('review-screen'))).waitForExist({
        reverse: true,
        timeout: 60_000,
        timeoutMsg: '签发 did not finish',
      });
      await switchUserTo(b, 'jyj.xxy', PASSWORD, TITLE);
      await openItem(b, TITLE);
      await badgeIs(b, '已签发', 15_000, 'the item did not move to 已签发');
    });

    await step(harness, b, 'sync-3-portal-down', async () => {
      await portal.stop();
    });

    await step(harness, b, 'sync-4-submit-offline', async () => {
      await clickAction(b, 'queue');
      await badgeIs(b, '待报送', 15_000, 'the item did not move to 待报送 after 报送');
      const status = await b.$(sel('sync-status'));
      await b.waitUntil(async () => (await status.getAttribute('data-pending')) === '1', {
        timeout: 20_000,
        timeoutMsg: 'the header does not count one item waiting',
      });
      // The worker tried, found the portal down, and says so.
      await b.waitUntil(async () => (await status.getAttribute('data-state')) === 'offline', {
        timeout: 30_000,
        timeoutMsg: 'the header never said offline while the portal was down',
      });
      const entries = await outboxEntries(b);
      assert.equal(entries.length, 1, JSON.stringify(entries));
      assert.equal(entries[0][0], 'pending');
      assert.match(entries[0][1], /待报送/);
      assert.ok(entries[0][1].includes(TITLE), entries[0][1]);
      await harness.capture(b, 'sync-waiting-in-outbox', { quiet: true });
    });

    await step(harness, b, 'sync-5-portal-back', async () => {
      await portal.start();
      // 立即同步, as a person would (the worker also retries on its own:
      // the event stream reconnecting or its timer, after a backoff).
      await (await b.$(sel('sync-now'))).click();
      await badgeIs(b, '已报送', 60_000, 'the item was not delivered (已报送) after the portal came back');
      const status = await b.$(sel('sync-status'));
      await b.waitUntil(async () => (await status.getAttribute('data-pending')) === '0', {
        timeout: 20_000,
        timeoutMsg: 'the outbox count did not drop to 0',
      });
      const entries = await outboxEntries(b, { includeDelivered: true });
      assert.equal(entries.length, 1, JSON.stringify(entries));
      assert.equal(entries[0][0], 'delivered');
      assert.match(entries[0][1], /已报送/);
      assert.deepEqual(await outboxEntries(b), [], 'nothing waits in the outbox any more');
    });

    let submissionId = '';
    await step(harness, b, 'sync-6-portal-returns-it', async () => {
      const editor = await portal.token('editor');
      const page = await portal.api('GET', '/submissions/changes?limit=100', { token: editor });
      const mine = page.changes.filter((c) => c.client_item_id === itemId);
      assert.ok(mine.length >= 1, `the portal has the item: ${JSON.stringify(page.changes)}`);
      submissionId = mine[0].submission_id;
      const submission = await portal.api('GET', `/submissions/${submissionId}`, { token: editor });
      assert.equal(submission.title ?? submission.item?.title, TITLE);
      await portal.api('POST', `/submissions/${submissionId}/decision`, {
        token: editor,
        body: { action: 'return', reason: REASON },
      });
    });

    await step(harness, b, 'sync-7-returned-banner', async () => {
      const banner = await b.$(sel('returned-banner'));
      // The event stream brings the change at once once it is connected again;
      // it reconnects with a backoff after the outage, so after a while press
      // 立即同步 rather than wait for the timer.
      try {
        await banner.waitForExist({ timeout: 30_000 });
      } catch {
        await (await b.$(sel('sync-now'))).click();
        await banner.waitForExist({ timeout: 60_000, timeoutMsg: 'no 退回 banner after the portal returned the item' });
      }
      const text = await textOf(b, sel('returned-banner'));
      assert.match(text, /退回/);
      assert.ok(text.includes(REASON), `the banner shows the reason; got: ${text}`);
      await badgeIs(b, '退回', 10_000, 'the state badge does not say 退回');
      // The in-app notice says the same, and stays until closed.
      await b.waitUntil(
        async () =>
          (
            await b.execute(
              (s) => [...document.querySelectorAll(s)].map((n) => `${n.getAttribute('data-kind')}:${n.textContent}`),
              sel('notice'),
            )
          ).some((n) => n.startsWith('warn:') && n.includes(REASON) && n.includes(TITLE)),
        { timeout: 10_000, timeoutMsg: 'no 退回 notice with the reason in the notice area' },
      );
      // The item can be revised again.
      assert.equal(await (await b.$(sel('title-input'))).getAttribute('readonly'), null);
    });

    await step(harness, b, 'sync-8-timeline', async () => {
      await (await b.$(sel('portal-tab'))).click();
      const timeline = await b.$(sel('status-timeline'));
      await timeline.waitForDisplayed({ timeout: 15_000 });
      await b.waitUntil(
        async () =>
          (await b.execute(
            (s) => [...document.querySelectorAll(s)].map((e) => e.getAttribute('data-status')),
            sel('timeline-entry'),
          )).includes('returned'),
        { timeout: 15_000, timeoutMsg: 'the status timeline has no 退回 entry' },
      );
      assert.ok((await textOf(b, sel('status-timeline'))).includes(REASON));
      assert.equal(await attrOf(b, sel('portal-submission-id'), 'title'), submissionId);
      await harness.capture(b, 'sync-returned', { quiet: true });
    });

    await step(harness, b, 'sync-9-desktop-notification', async () => {
      const deadline = Date.now() + 15_000;
      let calls = monitor.calls();
      while (!calls.some((c) => c.includes(TITLE)) && Date.now() < deadline) {
        await sleep(250);
        calls = monitor.calls();
      }
      const returned = calls.find((c) => c.includes(TITLE));
      assert.ok(returned, `a Notify call about the item on the session bus; dbus-monitor saw:\n${monitor.output}`);
      assert.match(returned, /退回/);
      assert.ok(returned.includes(REASON), `the notification carries the reason:\n${returned}`);
      // One notification for one return (not one per event or per reload).
      assert.equal(calls.filter((c) => c.includes(TITLE)).length, 1, calls.join('\n---\n'));
      assert.match(harness.log, new RegExp(`baosong: notification: item ${itemId} is now returned`));
    });
  } finally {
    await browser.deleteSession().catch((e) => console.error(`deleteSession: ${e.message}`));
    browser = null;
    await sleep(1000);
  }

  // The local item: returned, with the portal's reason, per the CLI too.
  const shown = JSON.parse(harness.cli('--json', 'show', itemId));
  const item = shown.item ?? shown;
  assert.equal(item.state, 'returned');
  assert.equal(item.returned_reason, REASON);

  // No secret in the data directory or the app's log: the password never
  // leaves the sign-in; the refresh token lives in the keyring only.
  assert.ok(!harness.log.includes(PASSWORD), 'the password is not in the log');
  for (const file of filesUnder(harness.dataDir)) {
    const bytes = readFileSync(file);
    assert.ok(!bytes.includes(Buffer.from(PASSWORD)), `the password is not in ${file}`);
  }
});
