// 导入 Word by dropping documents on the item list (ItemList.vue): .docx files
// are handed on for import, anything else is refused with a hint to use the
// 附件 tab, so a photo dropped in the wrong place never becomes a draft.

import { afterEach, describe, expect, it } from 'vitest'
import { createApp, nextTick } from 'vue'

import ItemList from '../src/components/ItemList.vue'
import { setLang } from '../src/i18n'
import { notices } from '../src/notices'

function mountList(imported: File[][]) {
  const root = document.createElement('div')
  document.body.appendChild(root)
  const app = createApp(ItemList, {
    items: [],
    selectedId: null,
    loading: false,
    loadedOnce: true,
    hasMore: false,
    filtering: false,
    stateFilter: null,
    search: '',
    onImport: (files: File[]) => imported.push(files),
  })
  app.mount(root)
  return { root, app }
}

function drop(target: Element, files: File[]): void {
  const event = new Event('drop', { bubbles: true, cancelable: true })
  Object.defineProperty(event, 'dataTransfer', { value: { files } })
  target.dispatchEvent(event)
}

describe('dropping files on the item list', () => {
  afterEach(() => {
    notices.splice(0)
    document.body.innerHTML = ''
  })

  it('imports the Word documents and refuses the rest with a hint', async () => {
    setLang('zh-CN')
    const imported: File[][] = []
    const { root, app } = mountList(imported)
    const pane = root.querySelector('[data-testid="item-list-pane"]')!
    pane.dispatchEvent(new Event('dragover', { bubbles: true, cancelable: true }))
    await nextTick()
    expect(root.querySelector('[data-testid="import-drop-hint"]')).not.toBeNull()

    const doc = new File([new Uint8Array([0x50, 0x4b])], '安全工作会议.DOCX')
    const photo = new File([new Uint8Array([0xff, 0xd8])], '现场.jpg')
    drop(pane, [doc, photo])
    await nextTick()
    expect(imported).toEqual([[doc]])
    expect(notices.map((n) => (n.kind === 'error' ? n.error.code : n.key))).toEqual(['import.dropOnlyDocx'])
    expect(root.querySelector('[data-testid="import-drop-hint"]')).toBeNull()

    // Only a photo: nothing is imported.
    drop(pane, [photo])
    await nextTick()
    expect(imported).toHaveLength(1)
    app.unmount()
  })
})
