// Pictures placed in the body (from a Word import or the 附件 tab) survive the
// WYSIWYG editor: Milkdown used to drop an image without a title on load,
// so the first autosave removed it from the draft. They also show, from the
// app's local picture:// address.

import { afterEach, describe, expect, it } from 'vitest'

import { type BodyEditor, createBodyEditor, pictureSrc } from '../src/editor/milkdown'

const open: BodyEditor[] = []
afterEach(async () => {
  while (open.length > 0) await open.pop()!.destroy()
  document.body.innerHTML = ''
})

const SHA = 'b2'.repeat(32)

describe('pictures in the body', () => {
  it('round-trip with and without a title, and show from picture://', async () => {
    const root = document.createElement('div')
    document.body.appendChild(root)
    const md = `会议现场如下。\n\n![会议现场](attachment:${SHA})\n\n![合影](attachment:${SHA} "全体合影")\n`
    const e = await createBodyEditor(root, { markdown: md, editable: true, placeholder: '', label: '正文' })
    open.push(e)
    expect(e.getMarkdown()).toBe(md)
    const imgs = Array.from(root.querySelectorAll<HTMLImageElement>('img.body-picture'))
    expect(imgs.map((i) => [i.getAttribute('src'), i.alt])).toEqual([
      [`picture://localhost/${SHA}`, '会议现场'],
      [`picture://localhost/${SHA}`, '合影'],
    ])
  })

  it('loads nothing for addresses that are not local attachments', () => {
    expect(pictureSrc('https://example.com/x.jpg')).toBeNull()
    expect(pictureSrc(`attachment:${SHA}x`)).toBeNull()
    expect(pictureSrc('javascript:alert(1)')).toBeNull()
  })
})
