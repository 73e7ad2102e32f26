// The 登记 tab (RecordPane.vue): the registration record as Rust assembles
// it — each step with who and when, "尚未进行" for steps not taken, a void
// sign-off marked as such — and 导出审批单, which asks Rust for the PDF and
// says where it went. Against a mocked shell.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, nextTick, ref } from 'vue'

import type { ItemView } from '../src/bindings/ItemView'
import type { RegistrationRecord } from '../src/bindings/RegistrationRecord'
import RecordPane from '../src/components/RecordPane.vue'
import { setLang } from '../src/i18n'
import { emptyContent } from '../src/model'
import { ItemSession } from '../src/session'
import type { SyncModel } from '../src/sync'

const ITEM = '0190a5e2-7c1e-7a3b-8c4d-1234567890ab'

function itemView(): ItemView {
  const content = emptyContent()
  content.title = '市教育局召开安全工作会议'
  return {
    item: {
      id: ITEM,
      content,
      state: 'signed_off',
      returned_reason: null,
      published_url: null,
      revision: 2,
      created_at: '2026-12-03T01:00:00Z',
      updated_at: '2026-12-03T01:00:00Z',
    },
    allowed_actions: ['queue'],
    editable: true,
  }
}

function record(patch: Partial<RegistrationRecord> = {}): RegistrationRecord {
  return {
    item_id: ITEM,
    revision: 2,
    state: 'signed_off',
    title: '市教育局召开安全工作会议',
    column: '工作动态',
    source_unit: '市教育局',
    author: '张敏',
    author_phone: '0571-87654321',
    secrecy_review: {
      by: 'jyj.xxy',
      at: '2026-12-03T01:10:00Z',
      content_hash: 'a'.repeat(64),
      engine_version: '1',
      summary: {
        blockers: 0,
        errors: 1,
        warnings: 2,
        infos: 0,
        decided: [
          {
            rule: 'lexicon.sensitive',
            severity: 'error',
            field: 'body',
            matched: '值班电话',
            message: '',
            decision: 'waived',
            reason: '公开的值班电话',
            decided_by: 'jyj.xxy',
            decided_at: '2026-12-03T01:09:00Z',
          },
        ],
      },
    },
    sent_for_review: {
      review_id: 'r1',
      by: 'jyj.xxy',
      by_name: '张敏',
      to_user: 'jyj.fzr',
      to_name: '李建国',
      at: '2026-12-03T01:11:00Z',
      note: '',
    },
    signoff: {
      signer_name: '李建国',
      signer: 'jyj.fzr',
      opinion: '同意报送',
      signed_at: '2026-12-03T01:20:00Z',
      key_id: '3f2a9c017b44e1d05a6b7c8d9e0f1a2b',
      key_fingerprint: '3F2A 9C01 7B44 E1D0 5A6B 7C8D 9E0F 1A2B',
      content_hash: 'b'.repeat(64),
      signature_excerpt: 'c'.repeat(16),
      invalidated_at: null,
      invalidated_reason: null,
    },
    submitted_at: null,
    portal: {
      received: null,
      in_review: null,
      adopted: null,
      published: null,
      returned: null,
      not_adopted: null,
      withdrawn: null,
    },
    ...patch,
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await nextTick()
  }
}

function mount(shown: RegistrationRecord, calls: Array<[string, unknown]>) {
  mockIPC((cmd, args) => {
    calls.push([cmd, args])
    if (cmd === 'registration_record') return shown
    if (cmd === 'export_sheet') return { path: '/home/zm/文档/报送审批单/信息报送审批单-0190a5e2-第2版.pdf', bytes: 4096 }
    throw `command ${cmd} not found`
  })
  const root = document.createElement('div')
  document.body.appendChild(root)
  const sync = { itemEvents: ref(0) } as unknown as SyncModel
  const app = createApp(RecordPane, { session: new ItemSession(itemView()), sync, active: true })
  app.mount(root)
  return { root, app }
}

function q(root: HTMLElement, id: string): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`)
}

describe('RecordPane', () => {
  beforeEach(() => setLang('zh-CN'))
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('shows each step with who and when, and the steps not taken as such', async () => {
    const calls: Array<[string, unknown]> = []
    const { root, app } = mount(record(), calls)
    await settle()
    expect(calls[0]).toEqual(['registration_record', { id: ITEM }])
    expect(q(root, 'record-author')!.textContent).toBe('张敏')
    expect(q(root, 'record-secrecy')!.textContent).toContain('jyj.xxy')
    expect(q(root, 'record-sent')!.textContent).toContain('李建国')
    const signed = q(root, 'record-signoff')!.textContent
    expect(signed).toContain('李建国')
    expect(signed).toContain('同意报送')
    expect(signed).not.toContain('已失效')
    expect(q(root, 'record-fingerprint')!.textContent).toBe('3F2A 9C01 7B44 E1D0 5A6B 7C8D 9E0F 1A2B')
    expect(q(root, 'record-submitted')!.textContent.trim()).toBe('尚未进行')
    expect(q(root, 'record-published')!.textContent.trim()).toBe('尚未进行')
    expect(root.textContent).toContain('公开的值班电话')
    app.unmount()
  })

  it('marks a sign-off that no longer holds, and shows the published address', async () => {
    const base = record()
    const { root, app } = mount(
      record({
        signoff: { ...base.signoff!, invalidated_at: '2026-12-03T02:00:00Z', invalidated_reason: '签发后修改了标题' },
        portal: {
          ...base.portal,
          published: { at: '2026-12-04T02:00:00Z', by: '周静', reason: null, url: 'https://www.example.gov.cn/a/1.html' },
        },
      }),
      [],
    )
    await settle()
    expect(q(root, 'record-signoff')!.textContent).toContain('已失效：签发后修改了标题')
    expect(q(root, 'record-published')!.textContent).toContain('https://www.example.gov.cn/a/1.html')
    app.unmount()
  })

  it('exports the approval sheet through Rust and says where it is', async () => {
    const calls: Array<[string, unknown]> = []
    const { root, app } = mount(record(), calls)
    await settle()
    ;(q(root, 'record-export') as HTMLButtonElement).click()
    await settle()
    expect(calls.filter(([c]) => c === 'export_sheet')).toEqual([['export_sheet', { id: ITEM }]])
    expect(q(root, 'record-exported')!.textContent).toContain('信息报送审批单-0190a5e2-第2版.pdf')
    app.unmount()
  })
})
