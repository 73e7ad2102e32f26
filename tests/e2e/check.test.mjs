// End-to-end: the check while typing and the sign-off gate, in the real app.
//
// Story: a liaison officer types a paragraph with a resident ID number into a
// new item. The number is highlighted where it stands, the check panel says
// the item cannot go to sign-off and 送审 is disabled; one click on 打码 masks
// the number in the editor, the highlight goes, autosave stores the masked
// text, and the gate then lets it go to 送审 (which asks who is signed in). The baosong CLI
// confirms that the stored body holds only the masked number.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { Harness, sel, step, waitSaved } from './harness.mjs';

const TITLE = '区民政局走访慰问困难群众';
// GB 11643's own example number: valid check digit, birth date and region (110105, 北京市朝阳区).
const ID = '11010519491231002X';
const MASKED = '11*************02X';
const BODY = `近日，区民政局走访慰问困难群众张某某，身份证号${ID}，并送去慰问金。`;

const ID_HIGHLIGHT = `${sel('check-highlight')}[data-rule="pii.resident_id"]`;
const ID_FINDING = `${sel('finding')}[data-rule="pii.resident_id"]`;

const harness = new Harness();
let browser = null;

before(async () => {
  await harness.start();
});

after(async () => {
  if (browser) {
    await browser.deleteSession().catch(() => {});
    browser = null;
  }
  await harness.stop({ keepData: harness.failed });
});

/** The text of every element matching `selector`, joined (a highlight can be split over several spans). */
function joinedText(b, selector) {
  return b.execute((s) => [...document.querySelectorAll(s)].map((e) => e.textContent ?? '').join(''), selector);
}

test('an ID number typed into the editor is highlighted, masked with one click, and the gate then lets the item go to 送审', async () => {
  browser = await harness.session([]);
  const b = browser;
  try {
    await harness.focus(b);

    await step(harness, b, 'check-1-new-item', async () => {
      const newItem = await b.$(sel('new-item'));
      await newItem.waitForClickable({ timeout: 60_000 });
      await newItem.click();
      const title = await b.$(sel('title-input'));
      await title.waitForDisplayed();
      await title.click();
      await title.setValue(TITLE);
    });

    await step(harness, b, 'check-2-type-id', async () => {
      const body = await b.$(`${sel('body-editor')} .ProseMirror`);
      await body.waitForDisplayed({ timeout: 30_000 });
      await body.click();
      await body.addValue(BODY);
      await b.waitUntil(async () => (await body.getText()).includes(ID), {
        timeout: 10_000,
        timeoutMsg: 'the body editor does not show the typed ID number',
      });
    });

    await step(harness, b, 'check-3-highlighted', async () => {
      await b.$(ID_HIGHLIGHT).waitForExist({ timeout: 15_000, timeoutMsg: 'no pii.resident_id highlight appeared' });
      // Exactly the number, not a character more or less.
      await b.waitUntil(async () => (await joinedText(b, ID_HIGHLIGHT)) === ID, {
        timeout: 5_000,
        timeoutMsg: 'the highlight does not cover exactly the ID number',
      });
      const severity = await b.$(ID_HIGHLIGHT).getAttribute('class');
      assert.match(severity, /check-blocker/);
    });

    await step(harness, b, 'check-4-not-ready', async () => {
      await b.$(sel('check-tab')).click();
      const panel = await b.$(sel('check-panel'));
      await panel.waitForDisplayed();
      await b.$(ID_FINDING).waitForExist({ timeout: 10_000 });
      assert.equal(await b.$(ID_FINDING).getAttribute('data-severity'), 'blocker');
      // Blockers can only be fixed or masked, never waived.
      assert.equal(await b.$(ID_FINDING).$(sel('waive-finding')).isExisting(), false);
      const status = await b.$(sel('check-status'));
      await b.waitUntil(async () => (await status.getAttribute('data-ready')) === 'false', { timeout: 10_000 });
      const statusText = await b.execute((s) => document.querySelector(s)?.textContent ?? '', sel('check-status'));
      assert.match(statusText, /还不能送审：阻断 1，未处理错误 0/);
      const send = await b.$(sel('action-send_for_signoff'));
      await send.waitForExist();
      assert.equal(await send.isEnabled(), false, '送审 is disabled while the ID number is in the text');
    });

    await step(harness, b, 'check-5-mask', async () => {
      const apply = await b.$(ID_FINDING).$(sel('apply-suggestion'));
      await apply.waitForClickable();
      await apply.click();
      await b.$(ID_HIGHLIGHT).waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: 'the highlight is still there' });
      const body = await b.$(`${sel('body-editor')} .ProseMirror`);
      await b.waitUntil(async () => (await body.getText()).includes(MASKED), {
        timeout: 5_000,
        timeoutMsg: 'the body does not show the masked number',
      });
      assert.ok(!(await body.getText()).includes(ID), 'the full number is gone from the editor');
    });

    await step(harness, b, 'check-6-saved-and-ready', async () => {
      await waitSaved(b);
      const status = await b.$(sel('check-status'));
      await b.waitUntil(async () => (await status.getAttribute('data-ready')) === 'true', {
        timeout: 15_000,
        timeoutMsg: 'the check panel never said 可以送审 after masking',
      });
      const statusText = await b.execute((s) => document.querySelector(s)?.textContent ?? '', sel('check-status'));
      assert.match(statusText, /可以送审/);
    });

    await step(harness, b, 'check-7-send-for-signoff', async () => {
      const send = await b.$(sel('action-send_for_signoff'));
      await send.waitForEnabled({ timeout: 10_000 });
      await send.click();
      // The gate lets it through: 送审 asks to whom. Nobody is signed in here,
      // and 送审 must know who sends: it says so and nothing moves.
      const dialog = await b.$(sel('send-review-dialog'));
      await dialog.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no 送审 dialog' });
      await (await b.$(sel('review-send'))).click();
      const error = await b.$(sel('send-review-error'));
      await error.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no message about signing in' });
      assert.equal(await error.getAttribute('data-code'), 'no_profile');
      assert.match(await error.getText(), /登录门户/);
      await harness.capture(b, 'check-sent-for-signoff', { quiet: true });
      await (await b.$(sel('send-review-cancel'))).click();
      const badge = await b.$('.editor-bar .badge');
      assert.match(await badge.getText(), /草稿/);
    });
  } finally {
    await browser.deleteSession().catch((e) => console.error(`deleteSession: ${e.message}`));
    browser = null;
    await sleep(1000);
  }

  // The stored item: still a draft (nobody signed in to send it), with only
  // the masked number in its body, and its stored check clean.
  const [item] = JSON.parse(harness.cli('--json', 'list'));
  assert.equal(item.title, TITLE);
  assert.equal(item.state, 'draft');
  const shown = harness.cli('--json', 'show', item.id);
  assert.ok(!shown.includes(ID), 'the stored item does not contain the full ID number');
  assert.match(shown, /11(\\\\)?\*/, 'the stored body holds the masked number');
});
