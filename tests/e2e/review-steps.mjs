// Steps of the review and sign-off flow in the real app, shared by the
// end-to-end tests that need an item signed off (review.test.mjs does the
// whole story; sync.test.mjs needs a signed item to submit).

import assert from 'node:assert/strict';

import { sel } from './harness.mjs';

export function textOf(b, selector) {
  return b.execute((s) => document.querySelector(s)?.textContent ?? '', selector);
}

export async function badgeIs(b, label, timeout, timeoutMsg) {
  await b.waitUntil(async () => (await textOf(b, '.editor-bar .badge')).includes(label), {
    timeout,
    interval: 250,
    timeoutMsg,
  });
}

export async function click(b, id, timeout = 20_000) {
  const el = await b.$(sel(id));
  // As a person scrolls to a button below the fold before clicking it.
  await el.waitForExist({ timeout, timeoutMsg: `no ${id}` });
  await el.scrollIntoView({ block: 'center' });
  await el.waitForClickable({ timeout, timeoutMsg: `${id} is not clickable` });
  await el.click();
}

/** Signs in through the header's sign-in dialog (the first sign-in on this computer). */
export async function firstSignIn(b, portal, password, username) {
  const status = await b.$(sel('sync-status'));
  await status.waitForExist({ timeout: 30_000 });
  await click(b, 'login-open');
  await (await b.$(sel('login-dialog'))).waitForDisplayed({ timeout: 10_000 });
  const address = await b.$(sel('login-portal'));
  await address.clearValue();
  await address.setValue(portal.url);
  await (await b.$(sel('login-username'))).setValue(username);
  await (await b.$(sel('login-password'))).setValue(password);
  await click(b, 'login-submit');
  await (await b.$(sel('login-dialog'))).waitForExist({ reverse: true, timeout: 30_000 });
  await b.waitUntil(async () => (await status.getAttribute('data-user')) === username, {
    timeout: 30_000,
    timeoutMsg: `the header does not show ${username} signed in`,
  });
}

/** 切换用户, then the next person signs in on the lock screen. */
export async function switchUserTo(b, username, password, hidden) {
  await click(b, 'switch-user');
  const lock = await b.$(sel('lock-screen'));
  await lock.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no lock screen after 切换用户' });
  // Nothing of the previous person's work is on show meanwhile.
  const page = await b.execute(() => document.body.textContent ?? '');
  assert.ok(!page.includes(hidden), 'the locked window shows no item');
  assert.equal((await b.$$(sel('item-row'))).length, 0, 'the locked window shows no item list');
  assert.equal(await (await b.$(sel('lock-username'))).getValue(), '', 'the previous username is not filled in');
  await (await b.$(sel('lock-username'))).setValue(username);
  await (await b.$(sel('lock-password'))).setValue(password);
  await click(b, 'lock-submit');
  await lock.waitForExist({ reverse: true, timeout: 30_000, timeoutMsg: `${username} could not sign in on the lock screen` });
  const status = await b.$(sel('sync-status'));
  await b.waitUntil(async () => (await status.getAttribute('data-user')) === username, {
    timeout: 30_000,
    timeoutMsg: `the header does not show ${username} signed in`,
  });
}

/** Opens the item from the list. */
export async function openItem(b, title) {
  let index = -1;
  await b.waitUntil(
    async () => {
      index = await b.execute(
        (s, title) => [...document.querySelectorAll(s)].findIndex((e) => (e.textContent ?? '').includes(title)),
        sel('item-row'),
        title,
      );
      return index >= 0;
    },
    { timeout: 20_000, timeoutMsg: 'the item is not in the list' },
  );
  const row = (await b.$$(sel('item-row')))[index];
  await row.waitForClickable({ timeout: 20_000 });
  await row.click();
  await (await b.$(sel('title-input'))).waitForDisplayed({ timeout: 20_000 });
}

/** Waits for a clean check, then 送审 to jyj.fzr on this computer. */
export async function sendToHead(b, note) {
  const chip = await b.$(sel('gate-chip'));
  await chip.waitForExist({ timeout: 20_000, timeoutMsg: 'no check gate shown' });
  await b.waitUntil(async () => (await chip.getAttribute('data-ready')) === 'true', {
    timeout: 30_000,
    timeoutMsg: 'the check never said the item may be sent',
  });
  await click(b, 'action-send_for_signoff');
  await (await b.$(sel('send-review-dialog'))).waitForDisplayed({ timeout: 10_000 });
  await (await b.$(sel('review-to'))).setValue('jyj.fzr');
  await (await b.$(sel('review-note'))).setValue(note);
  assert.equal(await (await b.$(sel('review-route-local'))).isSelected(), true, 'this computer is the default route');
  await click(b, 'review-send');
  await (await b.$(sel('send-review-dialog'))).waitForExist({ reverse: true, timeout: 20_000 });
  await badgeIs(b, '待签发', 15_000, 'the item did not move to 待签发');
  await b.waitUntil(async () => (await textOf(b, sel('review-pending-banner'))).includes('jyj.fzr'), {
    timeout: 10_000,
    timeoutMsg: 'the editor does not say whom the item waits for',
  });
}

/** The head opens the one item waiting in 待我签发. */
export async function openPendingReview(b, title, quote) {
  const open = await b.$(sel('pending-open'));
  await open.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no 待我签发 for the head' });
  await b.waitUntil(async () => (await open.getAttribute('data-count')) === '1', {
    timeout: 20_000,
    timeoutMsg: '待我签发 does not count one item',
  });
  await open.click();
  const row = await b.$(sel('pending-review'));
  await row.waitForClickable({ timeout: 20_000 });
  assert.ok((await row.getText()).includes(title));
  await row.click();
  await (await b.$(sel('review-screen'))).waitForDisplayed({ timeout: 20_000 });
  await b.waitUntil(async () => (await textOf(b, sel('review-body'))).includes(quote), {
    timeout: 20_000,
    timeoutMsg: 'the review screen does not show the rendered body',
  });
}
