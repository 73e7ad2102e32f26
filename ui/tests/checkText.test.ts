// The editor's plain text for the check engine, the way back from UTF-16
// offsets to ProseMirror positions, and the highlights built from them.

import { afterEach, describe, expect, it } from 'vitest'

import type { CheckMark } from '../src/editor/checkPlugin'
import { rangeToPos, type TextMap, textToPos } from '../src/editor/checkText'
import { type BodyEditor, createBodyEditor } from '../src/editor/milkdown'

const ID = '11010519491231002X'
const open: BodyEditor[] = []

async function editor(markdown: string): Promise<BodyEditor> {
  const root = document.createElement('div')
  document.body.appendChild(root)
  const e = await createBodyEditor(root, { markdown, editable: true, placeholder: '', label: '正文' })
  open.push(e)
  return e
}

afterEach(async () => {
  while (open.length > 0) await open.pop()!.destroy()
  document.body.innerHTML = ''
})

/** The document text a plain-text range maps to. */
async function mapped(markdown: string, needle: string): Promise<{ text: string; between: string }> {
  const e = await editor(markdown)
  const snap = e.checkSnapshot()
  const start = snap.text.indexOf(needle)
  expect(start, `"${needle}" in ${JSON.stringify(snap.text)}`).toBeGreaterThanOrEqual(0)
  const range = rangeToPos(snap, start, start + needle.length)
  expect(range).not.toBeNull()
  return { text: snap.text, between: snap.doc.textBetween(range!.from, range!.to, '\n') }
}

function mark(key: string, start: number, end: number, severity = 'blocker', rule = 'pii.resident_id'): CheckMark {
  return { key, start, end, severity, rule, title: '居民身份证号码', waived: false }
}

describe('plain text of the document', () => {
  it('joins blocks with one newline and keeps the visible text only', async () => {
    const e = await editor('# 标题\n\n第一段**加粗**文字。\n\n- 甲\n- 乙\n\n| 项目 | 数量 |\n| --- | --- |\n| 甲 | 1 |\n')
    expect(e.checkSnapshot().text).toBe('标题\n第一段加粗文字。\n甲\n乙\n项目\n数量\n甲\n1')
  })

  it('is the same object while the document is unchanged', async () => {
    const e = await editor('一段。\n')
    expect(e.checkSnapshot()).toBe(e.checkSnapshot())
  })

  it('gives an empty text for an empty document', async () => {
    const e = await editor('')
    const snap = e.checkSnapshot()
    expect(snap.text).toBe('')
    expect(rangeToPos(snap, 0, 1)).toBeNull()
  })
})

describe('offsets back to document positions', () => {
  it('maps a range in a later paragraph', async () => {
    const { between } = await mapped(`第一段。\n\n第二段，身份证号${ID}。\n\n第三段。\n`, ID)
    expect(between).toBe(ID)
  })

  it('maps a range that crosses bold and italic text', async () => {
    const { text, between } = await mapped(`张三身份证号**110105**1949*1231002X*已登记。\n`, ID)
    expect(text).toBe(`张三身份证号${ID}已登记。`)
    expect(between).toBe(ID)
  })

  it('counts emoji and other astral characters as two UTF-16 units, as the check engine does', async () => {
    const { text, between } = await mapped(`😀𠮷👍🏽 号码${ID}，🎉结束。\n`, ID)
    // JavaScript string offsets are the engine's utf16 offsets.
    expect(text.indexOf(ID)).toBe('😀𠮷👍🏽 号码'.length)
    expect(between).toBe(ID)
  })

  it('maps ranges in headings, list items and table cells', async () => {
    const md = `## 关于${ID}的说明\n\n- 列表里的13812345678\n\n| 姓名 | 电话 |\n| --- | --- |\n| 张三 | 13912345678 |\n`
    expect((await mapped(md, ID)).between).toBe(ID)
    expect((await mapped(md, '13812345678')).between).toBe('13812345678')
    expect((await mapped(md, '13912345678')).between).toBe('13912345678')
  })

  it('moves an offset on a block separator forward for a start and back for an end', () => {
    // "ab" at pos 1, "\n", "cd" at pos 5 (paragraph boundaries in between).
    const map: TextMap = {
      text: 'ab\ncd',
      segments: [
        { text: 0, pos: 1, length: 2 },
        { text: 3, pos: 5, length: 2 },
      ],
    }
    expect(textToPos(map, 2, 'start')).toBe(5)
    expect(textToPos(map, 2, 'end')).toBe(3)
    expect(textToPos(map, 3, 'start')).toBe(5)
    expect(textToPos(map, 3, 'end')).toBe(5)
    expect(textToPos(map, 5, 'end')).toBe(7)
    expect(textToPos(map, 5, 'start')).toBeNull()
    expect(rangeToPos(map, 1, 4)).toEqual({ from: 2, to: 6 })
    // Only the separator: no text to cover.
    expect(rangeToPos(map, 2, 3)).toBeNull()
  })

  it('joins adjacent text nodes seamlessly', () => {
    const map: TextMap = {
      text: 'abcd',
      segments: [
        { text: 0, pos: 1, length: 2 },
        { text: 2, pos: 3, length: 2 },
      ],
    }
    expect(textToPos(map, 2, 'start')).toBe(3)
    expect(textToPos(map, 2, 'end')).toBe(3)
    expect(rangeToPos(map, 0, 4)).toEqual({ from: 1, to: 5 })
  })
})

describe('highlights', () => {
  function highlights(): HTMLElement[] {
    return Array.from(document.querySelectorAll<HTMLElement>('[data-testid=check-highlight]'))
  }

  it('highlights the exact text with severity class and rule', async () => {
    const e = await editor(`第一段。\n\n😀号码${ID}。\n`)
    const snap = e.checkSnapshot()
    const at = snap.text.indexOf(ID)
    expect(e.showChecks(snap, [mark('k1', at, at + ID.length)])).toBe(true)
    const found = highlights()
    expect(found.map((h) => h.textContent).join('')).toBe(ID)
    expect(found[0]!.dataset.rule).toBe('pii.resident_id')
    expect(found[0]!.classList).toContain('check-mark')
    expect(found[0]!.classList).toContain('check-blocker')
    expect(found[0]!.getAttribute('title')).toBe('居民身份证号码')
  })

  it('maps an answer through the edits made since its snapshot', async () => {
    const e = await editor(`号码${ID}。\n`)
    const snap = e.checkSnapshot()
    const at = snap.text.indexOf(ID)
    e.pasteHtml('<p>新增的文字</p>')
    expect(e.showChecks(snap, [mark('k1', at, at + ID.length)])).toBe(true)
    expect(highlights().map((h) => h.textContent).join('')).toBe(ID)
    expect(e.checkSnapshot().text).toContain('新增的文字')
    expect(e.checkSnapshot().text.indexOf(ID)).not.toBe(at)
  })

  it('refuses an answer for a snapshot that a newer one replaced', async () => {
    const e = await editor(`号码${ID}。\n`)
    const old = e.checkSnapshot()
    e.pasteHtml('<p>新增</p>')
    e.checkSnapshot()
    expect(e.showChecks(old, [mark('k1', 2, 2 + ID.length)])).toBe(false)
    expect(highlights()).toEqual([])
  })

  it('replaces a finding with its suggestion, drops its highlight and keeps the rest', async () => {
    const e = await editor(`号码${ID}，手机13812345678。\n`)
    const snap = e.checkSnapshot()
    const id = snap.text.indexOf(ID)
    const mobile = snap.text.indexOf('13812345678')
    e.showChecks(snap, [mark('id', id, id + ID.length), mark('m', mobile, mobile + 11, 'blocker', 'pii.mobile')])
    expect(e.applyCheck('id', '11*************02X', ID)).toBe(true)
    expect(e.getMarkdown()).toMatch(/号码11(\\?\*){13}02X/)
    expect(e.checkSnapshot().text).toBe('号码11*************02X，手机13812345678。')
    expect(highlights().map((h) => h.dataset.rule)).toEqual(['pii.mobile'])
    expect(highlights()[0]!.textContent).toBe('13812345678')
  })

  it('does not replace text that no longer reads as the finding', async () => {
    const e = await editor(`号码${ID}。\n`)
    const snap = e.checkSnapshot()
    const id = snap.text.indexOf(ID)
    e.showChecks(snap, [mark('id', id, id + ID.length)])
    expect(e.applyCheck('id', 'xx', '13812345678')).toBe(false)
    expect(e.applyCheck('missing', 'xx', ID)).toBe(false)
    expect(e.checkSnapshot().text).toBe(`号码${ID}。`)
  })

  it('selects a finding', async () => {
    const e = await editor(`第一段。\n\n号码${ID}。\n`)
    const snap = e.checkSnapshot()
    const id = snap.text.indexOf(ID)
    e.showChecks(snap, [mark('id', id, id + ID.length)])
    expect(e.selectCheck('id')).toBe(true)
    expect(e.selectCheck('nope')).toBe(false)
  })
})
