// End-to-end (issue 7, "Done when"): a .docx with a tracked change, a
// comment, an author property and a photo with GPS — made by LibreOffice from
// fixtures/done-when.fodt, not by our code — is imported in the real app.
// Every one of those is flagged (the photo's GPS and camera serial are removed
// on the way in and the app says so); 一键清理 cleans the document; the item
// is signed on this computer and submitted (with a large photo scaled down
// for the web: 缩小用于网页); the portal stores the clean files
// and its editor page shows them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DemoPortal, Harness, REPO, sel, step, waitSaved } from './harness.mjs';
import { badgeIs, click, firstSignIn, openItem, openPendingReview, sendToHead, switchUserTo, textOf } from './review-steps.mjs';

const PASSWORD = 'e2e-附件-口令-5120';
const TITLE = '市教育局召开秋季学期安全工作会议';
const PHOTO = join(REPO, 'crates', 'baosong-files', 'tests', 'fixtures', 'images', 'gps-serial.jpg');
/** 2400×1800, 194 KB. */
const LARGE_PHOTO = join(REPO, 'tests', 'e2e', 'fixtures', 'large-photo.jpg');
const WIDE = '会场全景.jpg';

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

/** The document as LibreOffice writes it (one soffice run, private profile). */
function makeDocx() {
  const dir = join(harness.dataDir, 'docs');
  mkdirSync(dir, { recursive: true });
  const photo = readFileSync(PHOTO).toString('base64');
  const source = readFileSync(join(REPO, 'tests', 'e2e', 'fixtures', 'done-when.fodt'), 'utf8').replace(
    '<office:binary-data>@@PHOTO@@</office:binary-data>',
    `<office:binary-data>${photo}</office:binary-data>`,
  );
  const fodt = join(dir, '安全工作会议.fodt');
  writeFileSync(fodt, source);
  execFileSync(
    'soffice',
    [
      '--headless',
      `-env:UserInstallation=file://${join(harness.dataDir, 'lo-profile')}`,
      '--convert-to',
      'docx:MS Word 2007 XML',
      '--outdir',
      dir,
      fodt,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
  return join(dir, '安全工作会议.docx');
}

/** Rules of the findings shown for the attachment named `name`. */
function attachmentRules(b, name) {
  return b.execute(
    (s, name) => {
      const card = [...document.querySelectorAll(s)].find((e) => e.getAttribute('data-name') === name);
      return card
        ? [...card.querySelectorAll('[data-testid="attachment-finding"]')].map((f) => f.getAttribute('data-rule'))
        : null;
    },
    sel('attachment'),
    name,
  );
}

/** Width and height from a JPEG's frame header. */
function jpegSize(bytes) {
  let i = 2;
  while (i + 9 < bytes.length) {
    const marker = bytes[i + 1];
    const len = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return [bytes.readUInt16BE(i + 7), bytes.readUInt16BE(i + 5)];
    i += 2 + len;
  }
  return null;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

test('import a leaky Word document, see everything flagged, clean it, sign, submit, and find the clean files at the portal', async () => {
  const docx = makeDocx();
  browser = await harness.session([]);
  const b = browser;
  try {
    await harness.focus(b);
    await step(harness, b, 'att-1-sign-in', () => firstSignIn(b, portal, PASSWORD, 'jyj.xxy'));

    await step(harness, b, 'att-2-import', async () => {
      const input = await b.$(sel('import-input'));
      await input.waitForExist({ timeout: 20_000 });
      // A person clicks 导入 Word and picks the file in the system's chooser;
      // WebDriver cannot drive that dialog, so it types the path into the
      // (visually hidden) file input the button opens.
      await b.execute((s) => document.querySelector(s)?.classList.remove('visually-hidden'), sel('import-input'));
      await input.setValue(docx);
      await b.waitUntil(async () => (await (await b.$(sel('title-input'))).getValue()) === TITLE, {
        timeout: 30_000,
        timeoutMsg: 'the imported document did not open as a draft with its title',
      });
      // A notice with a document attached goes to 通知公告: the demo portal's
      // 部门动态 takes pictures only (the column's attachment policy).
      const column = await b.$(sel('column-input'));
      await column.clearValue();
      await column.setValue('通知公告');
      await waitSaved(b);
    });

    await step(harness, b, 'att-3-flagged', async () => {
      await click(b, 'attachments-tab');
      const cards = await b.$$(sel('attachment'));
      assert.equal(cards.length, 2, 'the photo and the original document are attached');
      await b.waitUntil(async () => ((await attachmentRules(b, '安全工作会议.docx')) ?? []).length >= 3, {
        timeout: 20_000,
        timeoutMsg: 'the document\'s hidden content is not flagged',
      });
      const rules = await attachmentRules(b, '安全工作会议.docx');
      for (const rule of ['attachment.comment', 'attachment.tracked_deletion', 'attachment.personal_property']) {
        assert.ok(rules.includes(rule), `${rule} not flagged: ${rules}`);
      }
      // The photo lost its GPS position and camera serial on the way in, and says so.
      const notes = await textOf(b, sel('attachment-note'));
      assert.match(notes, /GPS 位置/, 'the photo says its GPS position was removed');
      assert.match(notes, /相机序列号/, 'the photo says its camera serial was removed');
      await harness.capture(b, 'att-flagged', { quiet: true });
    });

    await step(harness, b, 'att-4-clean', async () => {
      const clean = await b.$$(sel('attachment-clean'));
      assert.equal(clean.length, 1, 'only the document has something to clean');
      await clean[0].click();
      await b.waitUntil(async () => {
        const rules = await attachmentRules(b, '安全工作会议.docx');
        return rules !== null && !rules.some((r) => r.startsWith('attachment.'));
      }, { timeout: 30_000, timeoutMsg: 'the document still has hidden content after 一键清理' });
    });

    await step(harness, b, 'att-4b-web-copy', async () => {
      const wide = join(harness.dataDir, 'docs', WIDE);
      writeFileSync(wide, readFileSync(LARGE_PHOTO));
      await b.execute((s) => document.querySelector(s)?.classList.remove('visually-hidden'), sel('attach-input'));
      await (await b.$(sel('attach-input'))).setValue(wide);
      const card = async () => {
        for (const c of await b.$$(sel('attachment'))) if ((await c.getAttribute('data-name')) === WIDE) return c;
        return null;
      };
      await b.waitUntil(async () => (await card()) !== null, { timeout: 20_000, timeoutMsg: `${WIDE} was not attached` });
      const inCard = async (id) => {
        const el = await (await card()).$(sel(id));
        await el.scrollIntoView({ block: 'center' });
        await el.waitForClickable({ timeout: 20_000, timeoutMsg: `${id} is not clickable` });
        return el;
      };
      await (await inCard('attachment-resize')).click();
      await (await inCard('resize-max-side')).selectByAttribute('value', '1280');
      await (await inCard('resize-apply')).click();
      await b.waitUntil(
        async () => {
          const c = await card();
          const note = c ? await c.$(sel('attachment-note')) : null;
          return note !== null && (await note.isExisting()) && (await note.getText()).includes('2400×1800 → 1280×960');
        },
        { timeout: 30_000, timeoutMsg: 'the photo was not scaled down to 1280×960' },
      );
      await harness.capture(b, 'att-web-copy', { quiet: true });
    });

    await step(harness, b, 'att-4c-preview-shows-the-picture', async () => {
      // The imported photo is placed in the body; the preview loads it from
      // the local store through picture:// (allowed by the CSP for images).
      // The editor shows it too (and keeps it: the first edit used to drop it).
      await b.waitUntil(
        () => b.execute(() => [...document.querySelectorAll('img.body-picture')].some((i) => i.complete && i.naturalWidth > 0)),
        { timeout: 20_000, timeoutMsg: 'the editor does not show the placed photo' },
      );
      await click(b, 'preview-tab');
      await b.waitUntil(
        () =>
          b.execute((s) => {
            const img = document.querySelector(`${s} img`);
            return img !== null && img.getAttribute('src').startsWith('picture://') && img.complete && img.naturalWidth > 0;
          }, sel('preview')),
        { timeout: 20_000, timeoutMsg: 'the preview does not show the photo from picture://' },
      );
      await click(b, 'attachments-tab');
    });

    await step(harness, b, 'att-5-sign', async () => {
      await click(b, 'check-tab');
      await sendToHead(b, '请签发（含附件）');
      await switchUserTo(b, 'jyj.fzr', PASSWORD, TITLE);
      await openPendingReview(b, TITLE, '安全工作');
      await click(b, 'review-sign');
      await click(b, 'sign-confirm');
      await (await b.$(sel('review-screen'))).waitForExist({ reverse: true, timeout: 60_000, timeoutMsg: '签发 did not finish' });
      await switchUserTo(b, 'jyj.xxy', PASSWORD, TITLE);
    });

    await step(harness, b, 'att-6-submit', async () => {
      await openItem(b, TITLE);
      await badgeIs(b, '已签发', 15_000, 'the item is not 已签发');
      await click(b, 'action-queue');
      await badgeIs(b, '已报送', 120_000, 'the item and its files were not delivered');
    });

    await step(harness, b, 'att-7-portal-has-clean-files', async () => {
      const editor = await portal.token('editor');
      const page = await portal.api('GET', '/submissions/changes?limit=100', { token: editor });
      const id = page.changes.at(-1).submission_id;
      const submission = await portal.api('GET', `/submissions/${id}`, { token: editor });
      assert.equal(submission.attachments.length, 3, JSON.stringify(submission.attachments));
      for (const a of submission.attachments) {
        const res = await fetch(`${portal.url}/api/v1/attachments/${a.sha256}`, {
          headers: { authorization: `Bearer ${editor}` },
        });
        assert.equal(res.status, 200, `download ${a.name}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(sha256(bytes), a.sha256, `${a.name} arrived whole`);
        const text = bytes.toString('latin1');
        for (const leak of ['SN-8848-TEST', 'HUAWEI', 'word/comments.xml', '原定于三月召开']) {
          assert.ok(!text.includes(leak), `${a.name} still holds ${leak}`);
        }
        // The web copy went to the portal, not the full-size original.
        if (a.name === WIDE) assert.deepEqual(jpegSize(bytes), [1280, 960], `${WIDE} arrived scaled down`);
      }
      // The editor's page lists both files and shows the photo.
      const html = await portal.editorPage(id);
      for (const a of submission.attachments) assert.ok(html.includes(a.name), `the page lists ${a.name}`);
      assert.match(html, /<img[^>]+attachments?\//, 'the page shows the photo');
    });
  } catch (error) {
    harness.failed = true;
    throw error;
  }
});
