// ItemSession: the autosave wiring against a mocked Rust side.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import type { ItemContent } from '../src/bindings/ItemContent'
import type { ItemView } from '../src/bindings/ItemView'
import { emptyContent } from '../src/model'
import { ItemSession } from '../src/session'

interface SaveCall {
  id: string
  content: ItemContent
  baseRevision: number
}

/** A tiny stand-in for the Rust store: revision checks like the real one. */
function backend(initial: ItemView) {
  let stored = JSON.parse(JSON.stringify(initial)) as ItemView
  const saves: SaveCall[] = []
  const other: { cmd: string; args: Record<string, unknown> }[] = []
  let failNext: unknown = null
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>
    if (cmd === 'save_item') {
      const call = a as unknown as SaveCall
      saves.push(JSON.parse(JSON.stringify(call)) as SaveCall)
      if (failNext !== null) {
        const reason = failNext
        failNext = null
        throw reason
      }
      if (call.baseRevision !== stored.item.revision) {
        throw { code: 'conflict', zh: '稿件已在别处被修改', en: 'changed elsewhere' }
      }
      if (JSON.stringify(call.content) !== JSON.stringify(stored.item.content)) {
        stored = { ...stored, item: { ...stored.item, content: call.content, revision: stored.item.revision + 1, state: 'draft' } }
      }
      return stored
    }
    other.push({ cmd, args: a })
    if (cmd === 'apply_action') {
      stored = { ...stored, item: { ...stored.item, state: 'awaiting_signoff' }, allowed_actions: ['edit'] }
      return stored
    }
    if (cmd === 'submit_item') {
      stored = { ...stored, item: { ...stored.item, state: 'queued' }, allowed_actions: ['withdraw'], editable: false }
      return stored
    }
    throw `unexpected command ${cmd}`
  })
  return {
    saves,
    other,
    get stored() {
      return stored
    },
    /** Someone else saved meanwhile. */
    bump() {
      stored = { ...stored, item: { ...stored.item, revision: stored.item.revision + 1 } }
    },
    failOnce(reason: unknown) {
      failNext = reason
    },
  }
}

function view(revision = 3): ItemView {
  const content = emptyContent()
  content.title = '原标题'
  content.body = '原正文\n'
  content.keywords = ['政务公开']
  return {
    item: {
      id: 'item-1',
      content,
      state: 'draft',
      returned_reason: null,
      published_url: null,
      revision,
      created_at: '2024-03-01T01:00:00Z',
      updated_at: '2024-03-01T01:00:00Z',
    },
    allowed_actions: ['edit', 'send_for_signoff'],
    editable: true,
  }
}

/** Types `text` into the title one character at a time, `gap` ms apart. */
async function typeTitle(session: ItemSession, text: string, gap = 120): Promise<void> {
  for (const ch of text) {
    session.content.title += ch
    session.change()
    await vi.advanceTimersByTimeAsync(gap)
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
  clearMocks()
})

describe('ItemSession autosave', () => {
  it('saves the full content once, under a second after typing stops, on the stored revision', async () => {
    const server = backend(view(3))
    const session = new ItemSession(view(3))
    let body = '原正文\n'
    session.attachBody(() => body)

    await typeTitle(session, '关于', 120)
    body = '新的正文\n'
    session.bodyEdited()
    expect(server.saves).toHaveLength(0)

    await vi.advanceTimersByTimeAsync(1000)
    expect(server.saves).toHaveLength(1)
    const [save] = server.saves
    expect(save!.id).toBe('item-1')
    expect(save!.baseRevision).toBe(3)
    expect(save!.content.title).toBe('原标题关于')
    expect(save!.content.body).toBe('新的正文\n')
    expect(save!.content.keywords).toEqual(['政务公开'])
    expect(session.saveState.value).toBe('saved')
    expect(session.view.value.item.revision).toBe(4)

    // The next save builds on the revision the first one produced.
    await typeTitle(session, '通知')
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.saves.map((s) => s.baseRevision)).toEqual([3, 4])
    expect(session.saveState.value).toBe('saved')
  })

  it('does not save during continuous typing', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    await typeTitle(session, '一二三四五六七八九十一二三四五六七八九十', 200)
    expect(server.saves).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.saves).toHaveLength(1)
  })

  it('flushes the pending save at once when leaving the item', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    session.content.title = '切换前输入'
    session.change()
    await vi.advanceTimersByTimeAsync(50)
    await expect(session.flush()).resolves.toBe(true)
    expect(server.saves).toHaveLength(1)
    expect(server.saves[0]!.content.title).toBe('切换前输入')
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.saves).toHaveLength(1)
  })

  it('keeps the editor text it last had when the editor goes away before the save', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    session.attachBody(() => '编辑器里的最后一句\n')
    session.bodyEdited()
    session.detachBody()
    await session.flush()
    expect(server.saves[0]!.content.body).toBe('编辑器里的最后一句\n')
  })

  it('parses keywords typed with 、 and commas', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    session.setKeywordsText('营商环境、政务服务, 一网通办，政务服务')
    await session.flush()
    expect(server.saves[0]!.content.keywords).toEqual(['营商环境', '政务服务', '一网通办'])
  })

  it('clears the withheld reason unless the item is withheld', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    session.content.disclosure.withheld_reason = '涉及个人隐私'
    session.content.title = '标题也改了'
    session.change()
    await session.flush()
    expect(server.saves[0]!.content.disclosure.withheld_reason).toBe('')
    session.content.disclosure.kind = 'withheld'
    session.change()
    await session.flush()
    expect(server.saves[1]!.content.disclosure.withheld_reason).toBe('涉及个人隐私')
  })

  it('on a failed save keeps the text, shows the error and retries on the next change', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    server.failOnce({ code: 'busy', zh: '数据库正忙', en: 'the database is busy' })
    await typeTitle(session, '甲')
    await vi.advanceTimersByTimeAsync(1000)
    expect(session.saveState.value).toBe('error')
    expect(session.saveError.value?.zh).toBe('数据库正忙')
    expect(session.dirty.value).toBe(true)
    expect(session.content.title).toBe('原标题甲')

    await typeTitle(session, '乙')
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.saves).toHaveLength(2)
    expect(server.saves[1]!.content.title).toBe('原标题甲乙')
    expect(session.saveState.value).toBe('saved')
    expect(session.dirty.value).toBe(false)
  })

  it('stops saving on a conflict and says so', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    server.bump()
    await typeTitle(session, '甲')
    await vi.advanceTimersByTimeAsync(1000)
    expect(session.conflict.value).toBe(true)
    expect(session.saveError.value?.code).toBe('conflict')
    await typeTitle(session, '乙')
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.saves).toHaveLength(1)
    await expect(session.flush()).resolves.toBe(false)
    expect(session.content.title).toBe('原标题甲乙')
  })

  it('does not call Rust when nothing really changed', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    session.content.title = '原标题'
    session.change()
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.saves).toHaveLength(0)
    expect(session.saveState.value).toBe('saved')
  })

  it('never saves a read-only item', async () => {
    const readonly = { ...view(), editable: false }
    const server = backend(readonly)
    const session = new ItemSession(readonly)
    session.content.title = '改不了'
    session.change()
    await vi.advanceTimersByTimeAsync(2000)
    await session.flush()
    expect(server.saves).toHaveLength(0)
  })

  it('stores pending edits before a workflow action', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    session.content.title = '送审前最后修改'
    session.change()
    const result = await session.apply({ action: 'send_for_signoff' })
    expect(server.saves).toHaveLength(1)
    expect(server.other).toEqual([{ cmd: 'apply_action', args: { id: 'item-1', action: { action: 'send_for_signoff' } } }])
    expect(result.item.state).toBe('awaiting_signoff')
    expect(session.view.value.item.state).toBe('awaiting_signoff')
  })

  it('报送 goes through submit_item (the outbox), never apply_action', async () => {
    const server = backend(view())
    const session = new ItemSession(view())
    const result = await session.submit()
    expect(server.other).toEqual([{ cmd: 'submit_item', args: { id: 'item-1' } }])
    expect(result.item.state).toBe('queued')
    expect(session.view.value.item.state).toBe('queued')
    expect(session.editable).toBe(false)
  })
})
