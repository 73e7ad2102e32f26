// End-to-end: review and sign-off on one computer (issue 6, the same-PC
// route), in the real app against the real reference portal.
//
// Story: the liaison officer (jyj.xxy) signs in, writes an item, lets the
// check pass and sends it (送审) to the unit head jyj.fzr. 切换用户 locks the
// window (nothing of the officer's work on show); the head signs in with
// their own password, finds the item in 待我签发, selects words in the
// rendered body, comments on them (批注) and returns it (退回修改). The
// officer signs in again, sees the comment with the words it is about, edits
// and sends again. The head sees what changed and signs (签发, opinion 同意报送,
// with a signing key made in the OS keyring and registered with the portal).
// The officer clicks 报送 and the portal, which checks the signature, accepts
// it: the item reaches 已报送.
//
// run.sh runs this inside `dbus-run-session` with an unlocked throwaway
// gnome-keyring, so the sign-ins and the signing key never touch the
// developer's keyring.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { DemoPortal, Harness, sel, step, waitSaved } from './harness.mjs';
import {
  badgeIs,
  click,
  firstSignIn,
  openItem,
  openPendingReview,
  sendToHead,
  switchUserTo,
  textOf,
} from './review-steps.mjs';

const PASSWORD = 'e2e-Review-口令-5820';
const TITLE = '市教育局部署秋季学期校园值班工作';
const BODY = '近日，市教育局召开会议，部署秋季学期校园安全工作，要求各校落实值班制度。';
const QUOTE = '值班制度';
const COMMENT = '请写明值班的具体时间安排。';
const ADDED = '值班时间为每日八时至十八时。';

const harness = new Harness();
const portal = new DemoPortal(PASSWORD);
let browser = null;

before(async () => {
  await harness.start();
  await portal.start();
});

after(async () => {
  if (browser) {
    await browser.deleteSession().catch(() => {});
    browser = null;
  }
  await portal.stop();
  if (harness.failed) console.error(`portal log:\n${portal.log}`);
  else portal.remove();
  await harness.stop({ keepData: harness.failed });
});

test('送审, 批注 and 退回修改, 送审 again, 签发, 报送: on one computer, accepted by the real portal', async () => {
  browser = await harness.session([]);
  const b = browser;
  try {
    await harness.focus(b);

    await step(harness, b, 'review-1-author-signs-in', async () => {
      await firstSignIn(b, portal, PASSWORD, 'jyj.xxy');
      assert.equal(await (await b.$(sel('pending-open'))).isExisting(), false, 'a liaison officer has no 待我签发');
    });

    await step(harness, b, 'review-2-write', async () => {
      await click(b, 'new-item', 60_000);
      const title = await b.$(sel('title-input'));
      await title.waitForDisplayed();
      await title.click();
      await title.setValue(TITLE);
      const column = await b.$(sel('column-input'));
      await column.setValue('工作动态');
      const body = await b.$(`${sel('body-editor')} .ProseMirror`);
      await body.waitForDisplayed();
      await body.click();
      await body.addValue(BODY);
      await waitSaved(b);
    });

    await step(harness, b, 'review-3-send', () => sendToHead(b, '请审核'));

    await step(harness, b, 'review-4-head-comments-and-returns', async () => {
      await switchUserTo(b, 'jyj.fzr', PASSWORD, TITLE);
      await openPendingReview(b, TITLE, QUOTE);
      // First time: nothing earlier to compare with.
      assert.match(await textOf(b, sel('review-diff')), /第一次送审/);
      // Select the words in the rendered body, as a mouse would.
      await b.execute(
        (s, quote) => {
          const body = document.querySelector(s);
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent.indexOf(quote);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + quote.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
            return;
          }
        },
        sel('review-body'),
        QUOTE,
      );
      const box = await b.$(sel('comment-box'));
      await box.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'selecting words offers no 批注' });
      assert.ok((await box.getText()).includes(QUOTE));
      await (await b.$(sel('comment-text'))).setValue(COMMENT);
      await click(b, 'comment-add');
      await (await b.$(sel('draft-comment'))).waitForDisplayed({ timeout: 10_000 });
      await click(b, 'review-return');
      await (await b.$(sel('return-opinion'))).setValue('请补充值班安排。');
      await click(b, 'return-confirm');
      await (await b.$(sel('review-screen'))).waitForExist({ reverse: true, timeout: 20_000 });
      await b.waitUntil(async () => (await (await b.$(sel('pending-open'))).getAttribute('data-count')) === '0', {
        timeout: 20_000,
        timeoutMsg: '待我签发 still counts the returned item',
      });
    });

    await step(harness, b, 'review-5-author-sees-the-comment', async () => {
      await switchUserTo(b, 'jyj.xxy', PASSWORD, TITLE);
      await openItem(b, TITLE);
      const banner = await b.$(sel('review-returned-banner'));
      await banner.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no 退回修改 banner for the author' });
      const text = await banner.getText();
      assert.ok(text.includes('李建国'), `the banner names the head: ${text}`);
      assert.ok(text.includes(COMMENT), `the banner shows the comment: ${text}`);
      assert.ok(text.includes(QUOTE), `the banner shows the words it is about: ${text}`);
      await badgeIs(b, '草稿', 10_000, 'the returned item is not a draft again');
    });

    await step(harness, b, 'review-6-edit-and-send-again', async () => {
      const body = await b.$(`${sel('body-editor')} .ProseMirror`);
      await body.click();
      await b.keys(['Control', 'End']);
      await b.keys(['Control']);
      await body.addValue(ADDED);
      await b.waitUntil(async () => (await body.getText()).includes(ADDED), { timeout: 10_000 });
      await waitSaved(b);
      await sendToHead(b, '已按批注修改');
    });

    await step(harness, b, 'review-7-head-signs', async () => {
      await switchUserTo(b, 'jyj.fzr', PASSWORD, TITLE);
      await openPendingReview(b, TITLE, QUOTE);
      // The head sees what changed since the return.
      await b.waitUntil(
        async () =>
          (
            await b.execute(
              (s) => [...document.querySelectorAll(s)].filter((l) => l.dataset.tag === 'insert').map((l) => l.textContent),
              sel('review-diff-line'),
            )
          ).some((t) => t.includes(ADDED)),
        { timeout: 10_000, timeoutMsg: 'the diff does not show the added sentence' },
      );
      assert.ok((await textOf(b, sel('review-diff'))).includes(COMMENT), 'the last comments are shown with the diff');
      await click(b, 'review-sign');
      assert.equal(await (await b.$(sel('sign-opinion'))).getValue(), '同意报送');
      await click(b, 'sign-confirm');
      const screen = await b.$(sel('review-screen'));
      try {
        await screen.waitForExist({ reverse: true, timeout: 60_000 });
      } catch (e) {
        throw new Error(`签发 did not finish: ${await textOf(b, sel('decide-error'))} (${e.message})`);
      }
      // The signing key is in the keyring, registered with the portal.
      await click(b, 'pending-open');
      await b.waitUntil(async () => /密钥指纹/.test(await textOf(b, sel('signing-key'))), {
        timeout: 10_000,
        timeoutMsg: 'no signing key fingerprint after 签发',
      });
      assert.match(await textOf(b, sel('signing-key')), /已在门户网站登记/);
      await click(b, 'pending-close');
    });

    await step(harness, b, 'review-8-author-submits', async () => {
      await switchUserTo(b, 'jyj.xxy', PASSWORD, TITLE);
      await openItem(b, TITLE);
      await badgeIs(b, '已签发', 15_000, 'the item is not 已签发 for the author');
      assert.ok((await textOf(b, sel('review-signed-banner'))).includes('李建国'));
      await click(b, 'action-queue');
      try {
        await badgeIs(b, '已报送', 30_000, 'not delivered yet');
      } catch {
        await click(b, 'sync-now');
        await badgeIs(b, '已报送', 60_000, 'the portal did not accept the signed item (已报送)');
      }
    });
  } finally {
    await browser.deleteSession().catch((e) => console.error(`deleteSession: ${e.message}`));
    browser = null;
    await sleep(1000);
  }

  // The portal has the item, signed off by the head.
  const editor = await portal.token('editor');
  const page = await portal.api('GET', '/submissions/changes?limit=100', { token: editor });
  // This portal is the test's own: the one submission is the item.
  assert.equal(page.changes.length, 1, `the portal has the item once: ${JSON.stringify(page.changes)}`);
  const submission = await portal.api('GET', `/submissions/${page.changes[0].submission_id}`, { token: editor });
  assert.equal(submission.item.title, TITLE, JSON.stringify(submission));
  assert.equal(submission.signed_by?.username, 'jyj.fzr', `signed by the head: ${JSON.stringify(submission)}`);
  assert.equal(submission.signoff?.opinion, '同意报送', JSON.stringify(submission.signoff));
  assert.ok(!harness.log.includes(PASSWORD), 'the password is not in the log');
});
