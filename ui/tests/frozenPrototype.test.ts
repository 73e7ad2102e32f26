// Runs Milkdown's serialiser with Object.prototype frozen, as the Tauri window
// does (freezePrototype). In a separate file: vitest isolates test files, so
// the freeze does not leak into other tests. (The modules are imported before
// freezing: unbundled, lodash-es's full build would trip over the freeze at
// import time, which the tree-shaken app bundle never does.)

import { describe, expect, it } from 'vitest'

import { createBodyEditor } from '../src/editor/milkdown'

describe('with Object.prototype frozen (Tauri freezePrototype)', () => {
  it('the editor still loads and serialises Markdown', async () => {
    Object.freeze(Object.prototype)
    const root = document.createElement('div')
    document.body.appendChild(root)
    const editor = await createBodyEditor(root, {
      markdown: '# 标题\n\n正文 **加粗**\n',
      editable: true,
      placeholder: '',
      label: '',
    })
    expect(editor.getMarkdown()).toBe('# 标题\n\n正文 **加粗**\n')
    await editor.destroy()
  })
})
