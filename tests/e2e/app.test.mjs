// End-to-end: drives the real baosong-desktop binary (release UI embedded,
// real SQLite store) through tauri-driver + WebKitWebDriver under Xvfb.
//
//   make e2e            # builds what is needed, then runs tests/e2e/run.sh
//
// Story: a liaison officer writes a new item in Chinese, it autosaves; the app
// is closed and opened again on the same data directory; searching for a
// two-character word from the body finds it, a word not in it finds nothing,
// and the `baosong` CLI sees the same item in the same SQLite file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Harness, sel, step, waitSaved } from './harness.mjs';

const TITLE = '市教育局召开2026年秋季学期安全工作会议';
const BODY = '会议要求各校做好秋季学期开学前的校园安全检查，落实值班制度。';
// Only in the body, not the title: proves the body was saved and indexed.
const WORD_IN_BODY = '值班';
const WORD_NOT_IN_ITEM = '气象';

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

/** Opens a session (starts the app), runs `fn` with it, and always ends it (the app quits). */
async function withApp(args, fn) {
  browser = await harness.session(args);
  try {
    await harness.focus(browser);
    await fn(browser);
  } finally {
    await browser.deleteSession().catch((e) => console.error(`deleteSession: ${e.message}`));
    browser = null;
    // Give the app a moment to exit and release the database.
    await sleep(1000);
  }
}

/** The text of every item row. textContent, not getText(): WebKitWebDriver's
 * visible-text rule drops text inside `display: -webkit-box` (line-clamped titles). */
async function rowTexts(b) {
  return b.execute(
    (selector) => [...document.querySelectorAll(selector)].map((e) => e.textContent ?? ''),
    sel('item-row'),
  );
}

async function searchFor(b, word) {
  const input = await b.$(sel('search-input'));
  await input.waitForDisplayed({ timeout: 20_000 });
  await input.clearValue();
  await input.setValue(word);
}

test('an item written in Chinese survives a restart and is found by a two-character search', async (t) => {
  await t.test('first run: create an item and let it autosave', () =>
    withApp([], async (b) => {
      await step(harness, b, '1-new-item', async () => {
        const newItem = await b.$(sel('new-item'));
        await newItem.waitForClickable({ timeout: 60_000 });
        await newItem.click();
      });
      await step(harness, b, '1-title', async () => {
        const title = await b.$(sel('title-input'));
        await title.waitForDisplayed();
        await title.click();
        await title.setValue(TITLE);
        assert.equal(await title.getValue(), TITLE);
      });
      await step(harness, b, '1-body', async () => {
        const body = await b.$(`${sel('body-editor')} .ProseMirror`);
        await body.waitForDisplayed();
        await body.click();
        await body.addValue(BODY);
        await b.waitUntil(async () => (await body.getText()).includes(BODY), {
          timeout: 10_000,
          timeoutMsg: 'the body editor does not show the typed text',
        });
      });
      await step(harness, b, '1-saved', () => waitSaved(b));
      // A picture of the editor for people to look at, pass or fail.
      await harness.capture(b, 'first-run-saved', { quiet: true });
    }),
  );

  await t.test('the item is in the data directory (SQLite file, via the baosong CLI)', () => {
    assert.ok(existsSync(join(harness.dataDir, 'baosong.sqlite3')), 'baosong.sqlite3 exists');
    const listed = harness.cli('--json', 'list');
    assert.ok(listed.includes(TITLE), `baosong --json list shows the title; got: ${listed}`);
  });

  await t.test('second run: search finds the item by a word of its body, and not by another word', () =>
    // This run also names the data directory on the command line (`--data-dir`,
    // through tauri:options.args); BAOSONG_DATA_DIR, inherited from
    // tauri-driver, names the same one. The argument parsing itself is unit-tested.
    withApp(['--data-dir', harness.dataDir], async (b) => {
      await step(harness, b, '2-list', async () => {
        await b.$(sel('item-list')).waitForExist({ timeout: 60_000 });
        await b.waitUntil(async () => (await rowTexts(b)).some((t) => t.includes(TITLE)), {
          timeout: 20_000,
          timeoutMsg: 'the item is not listed after the restart',
        });
      });
      // The negative search first, so that the positive one is not passing just
      // because the unfiltered list already showed the item.
      await step(harness, b, '2-search-absent', async () => {
        await searchFor(b, WORD_NOT_IN_ITEM);
        await b.waitUntil(async () => (await rowTexts(b)).length === 0, {
          timeout: 10_000,
          timeoutMsg: `searching for ${WORD_NOT_IN_ITEM} still shows rows`,
        });
        await sleep(1000);
        assert.deepEqual(await rowTexts(b), [], `no rows for ${WORD_NOT_IN_ITEM}`);
      });
      await step(harness, b, '2-search-present', async () => {
        await searchFor(b, WORD_IN_BODY);
        await b.waitUntil(async () => (await rowTexts(b)).some((t) => t.includes(TITLE)), {
          timeout: 10_000,
          timeoutMsg: `searching for ${WORD_IN_BODY} does not show the item`,
        });
        assert.equal((await rowTexts(b)).length, 1);
      });
      // A script (or a link, or a file dropped outside a drop zone) cannot
      // take the window away from the app: the navigation guard refuses it.
      await step(harness, b, '2-navigation-blocked', async () => {
        const home = await b.execute(() => location.href);
        for (const target of ['https://www.gov.cn/', 'file:///etc/hostname']) {
          await b.execute((t) => {
            location.href = t;
          }, target);
          await sleep(1500);
          assert.equal(await b.execute(() => location.href), home, `the window went to ${target}`);
          assert.ok(await (await b.$(sel('item-list'))).isExisting(), 'the app is still there');
        }
        // WebKit itself refuses file:// from the app's scheme; a web address
        // reaches the guard, which says so.
        assert.match(harness.log, /blocked navigation to https:\/\/www\.gov\.cn/);
      });
    }),
  );

  await t.test('the app reported when it was ready (cold-start benchmark hook)', () => {
    const ready = harness.log.match(/baosong: ready after (\d+) ms/g) ?? [];
    console.log(ready.join('\n') || '(no ready line)');
    assert.ok(ready.length >= 1, 'the UI calls app_ready once its first screen is up');
  });
});
