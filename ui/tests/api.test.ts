import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, describe, expect, it } from 'vitest'

import {
  ApiError,
  appReady,
  applyAction,
  checkItem,
  checkText,
  createItem,
  decideFinding,
  diffRevisions,
  getItem,
  itemPortal,
  listColumns,
  listItems,
  listOutbox,
  listRevisions,
  login,
  logout,
  renderPreview,
  restoreRevision,
  retryOutboxEntry,
  saveItem,
  submitItem,
  syncNow,
  syncStatus,
  toUserError,
} from '../src/api'
import type { ItemView } from '../src/bindings/ItemView'
import { emptyContent } from '../src/model'

afterEach(() => {
  clearMocks()
})

function fakeView(revision: number): ItemView {
  return {
    item: {
      id: '0190a5e2-7c1e-7a3b-8c4d-1234567890ab',
      content: emptyContent(),
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

/** Records every command and its arguments; answers with `answer`. */
function record(answer: (cmd: string, args: Record<string, unknown>) => unknown = () => null) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = []
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>
    calls.push({ cmd, args: a })
    return answer(cmd, a)
  })
  return calls
}

describe('command names and argument names', () => {
  it('sends camelCase arguments as Tauri expects (base_revision → baseRevision)', async () => {
    const calls = record(() => fakeView(4))
    const content = emptyContent()
    content.title = '标题'
    const view = await saveItem('abc', content, 3)
    expect(view.item.revision).toBe(4)
    expect(calls).toEqual([{ cmd: 'save_item', args: { id: 'abc', content, baseRevision: 3 } }])
  })

  it('wraps the list query in `query`', async () => {
    const calls = record(() => [])
    await listItems({ state: 'draft', search: '营商环境', offset: 50, limit: 50 })
    expect(calls).toEqual([
      { cmd: 'list_items', args: { query: { state: 'draft', search: '营商环境', offset: 50, limit: 50 } } },
    ])
  })

  it('uses the Rust command names and arguments for every command', async () => {
    const calls = record((cmd) => (cmd === 'render_preview' ? '<p>x</p>' : cmd.startsWith('list') ? [] : fakeView(1)))
    await getItem('id1')
    await createItem(emptyContent())
    await applyAction('id1', { action: 'send_for_signoff' })
    await expect(renderPreview('# 标题')).resolves.toBe('<p>x</p>')
    await listRevisions('id1')
    await diffRevisions('id1', 1, 3)
    await restoreRevision('id1', 2)
    await listColumns()
    await appReady()
    await checkText('标题', '正文')
    await checkItem('id1')
    await decideFinding('id1', 'lexicon.misstatement:攻府', 'waived', '引用原文')
    expect(calls.map((c) => [c.cmd, c.args])).toEqual([
      ['get_item', { id: 'id1' }],
      ['create_item', { content: emptyContent() }],
      ['apply_action', { id: 'id1', action: { action: 'send_for_signoff' } }],
      ['render_preview', { markdown: '# 标题', id: null }],
      ['list_revisions', { id: 'id1' }],
      ['diff_revisions', { id: 'id1', from: 1, to: 3 }],
      ['restore_revision', { id: 'id1', revision: 2 }],
      ['list_columns', {}],
      ['app_ready', {}],
      ['check_text', { title: '标题', body: '正文' }],
      ['check_item', { id: 'id1' }],
      ['decide_finding', { id: 'id1', fingerprint: 'lexicon.misstatement:攻府', kind: 'waived', reason: '引用原文' }],
    ])
  })
})

describe('portal (sync) commands', () => {
  it('use the Rust command names and camelCase arguments', async () => {
    const calls = record((cmd) => (cmd === 'submit_item' ? fakeView(2) : cmd === 'list_outbox' ? [] : null))
    await syncStatus()
    await login({
      portalUrl: 'http://127.0.0.1:8787',
      username: 'jyj.xxy',
      password: 'pw',
      caCert: null,
      proxy: 'http://proxy.example:3128',
    })
    await logout()
    await submitItem('id1')
    await syncNow()
    await listOutbox(true)
    await retryOutboxEntry('e1')
    await itemPortal('id1')
    expect(calls.map((c) => [c.cmd, c.args])).toEqual([
      ['sync_status', {}],
      [
        'login',
        {
          portalUrl: 'http://127.0.0.1:8787',
          username: 'jyj.xxy',
          password: 'pw',
          caCert: null,
          proxy: 'http://proxy.example:3128',
        },
      ],
      ['logout', {}],
      ['submit_item', { id: 'id1' }],
      ['sync_now', {}],
      ['list_outbox', { includeDelivered: true }],
      ['retry_outbox_entry', { id: 'e1' }],
      ['item_portal', { id: 'id1' }],
    ])
  })
})

describe('errors', () => {
  it('passes a Rust UserError through as an ApiError with both languages', async () => {
    record(() => {
      throw { code: 'conflict', zh: '稿件已在别处被修改', en: 'the item was changed elsewhere' }
    })
    const error = await saveItem('abc', emptyContent(), 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const e = error as ApiError
    expect(e.code).toBe('conflict')
    expect(e.messageFor('zh-CN')).toBe('稿件已在别处被修改')
    expect(e.messageFor('en')).toBe('the item was changed elsewhere')
    expect(e.command).toBe('save_item')
  })

  it('turns Tauri’s own string errors into a UserError', async () => {
    record(() => {
      throw 'invalid args `id` for command `get_item`: invalid type'
    })
    const error = (await getItem('x').catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('ipc')
    expect(error.zh).toContain('invalid args `id`')
    expect(error.en).toContain('invalid args `id`')
  })

  it('fails cleanly without the Tauri shell', async () => {
    clearMocks()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
    const error = (await listColumns().catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('ipc')
  })

  it('toUserError keeps only the UserError fields', () => {
    expect(toUserError({ code: 'busy', zh: '忙', en: 'busy', extra: 1 })).toEqual({ code: 'busy', zh: '忙', en: 'busy' })
    expect(toUserError(new Error('boom')).en).toContain('boom')
  })
})
