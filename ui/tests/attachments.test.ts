// The 附件 tab (AttachmentsPane.vue): each file with the findings the check
// made in it, 一键清理 only where it helps, the image description, and
// files dropped on the pane sent as raw bytes. Against a mocked shell.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, nextTick, shallowRef } from 'vue'

import type { AttachmentEntry } from '../src/bindings/AttachmentEntry'
import type { Finding } from '../src/bindings/Finding'
import type { ItemCheck } from '../src/bindings/ItemCheck'
import type { ItemView } from '../src/bindings/ItemView'
import type { ItemChecks } from '../src/checks'
import AttachmentsPane from '../src/components/AttachmentsPane.vue'
import { setLang } from '../src/i18n'
import { emptyContent } from '../src/model'
import { ItemSession } from '../src/session'

const ITEM = '0190a5e2-7c1e-7a3b-8c4d-1234567890ab'
const DOCX: AttachmentEntry = {
  sha256: 'a'.repeat(64),
  name: '会议通知.docx',
  size: 20480,
  media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  alt: '',
  note: '',
}
const PHOTO: AttachmentEntry = {
  sha256: 'b'.repeat(64),
  name: '会议现场.jpg',
  size: 2 << 20,
  media_type: 'image/jpeg',
  alt: '',
  original_sha256: 'c'.repeat(64),
  note: '已清除：GPS 位置',
}

function view(attachments: AttachmentEntry[], revision = 3): ItemView {
  const content = emptyContent()
  content.title = '市教育局召开安全工作会议'
  content.attachments = attachments
  return {
    item: {
      id: ITEM,
      content,
      state: 'draft',
      returned_reason: null,
      published_url: null,
      revision,
      created_at: '2026-12-03T01:00:00Z',
      updated_at: '2026-12-03T01:00:00Z',
    },
    allowed_actions: [],
    editable: true,
  }
}

function finding(index: number, rule: string, severity: Finding['severity'], location: string): Finding {
  const a = index === 0 ? DOCX : PHOTO
  return {
    detector: 'attachment',
    rule,
    severity,
    field: 'attachment',
    span: { start: 0, end: 0, utf16_start: 0, utf16_end: 0, line: 0, column: 0 },
    matched: '',
    excerpt: '',
    message: { zh: `${rule} 的说明`, en: rule },
    suggestion: null,
    fingerprint: `${rule}:${a.sha256}`,
    attachment: { index, name: a.name, sha256: a.sha256, part: null, location },
  }
}

function checks(findings: Finding[]): ItemChecks {
  const stored: ItemCheck = {
    report: { content_hash: '', engine_version: '1', lexicons: [], findings },
    decisions: [],
    gate: { ready: false, blockers: 1, undecided_errors: 0, waived_errors: 0, warnings: 1, infos: 0 },
  }
  return { stored: shallowRef(stored) } as unknown as ItemChecks
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await nextTick()
  }
}

function q(root: HTMLElement, id: string): HTMLElement[] {
  return Array.from(root.querySelectorAll(`[data-testid="${id}"]`))
}

function mount(calls: Array<[string, unknown]>, changed: ItemView[]) {
  mockIPC((cmd, args) => {
    calls.push([cmd, args])
    if (cmd === 'clean_attachment') {
      return { view: view([{ ...DOCX, sha256: 'd'.repeat(64) }, PHOTO], 4), entry: DOCX, removed: ['批注 1 条'], changed: true }
    }
    if (cmd === 'attach_file') return { view: view([DOCX, PHOTO], 4), entry: PHOTO, removed: [], changed: true }
    if (cmd === 'set_attachment_alt') return view([DOCX, { ...PHOTO, alt: '会议现场' }], 4)
    if (cmd === 'downscale_attachment') {
      const small = { ...PHOTO, sha256: 'e'.repeat(64), size: 300 << 10 }
      return { change: { view: view([DOCX, small], 4), entry: small, removed: [], changed: true }, from: [4000, 3000], to: [1280, 960] }
    }
    throw `command ${cmd} not found`
  })
  const root = document.createElement('div')
  document.body.appendChild(root)
  const session = new ItemSession(view([DOCX, PHOTO]))
  const app = createApp(AttachmentsPane, {
    session,
    checks: checks([
      finding(0, 'attachment.comment', 'blocker', '批注 1 条，批注人：王科长'),
      finding(1, 'attachment.alt_missing', 'warning', ''),
    ]),
    onChanged: (v: ItemView) => changed.push(v),
  })
  app.mount(root)
  return { root, app }
}

describe('AttachmentsPane', () => {
  beforeEach(() => setLang('zh-CN'))
  afterEach(() => {
    clearMocks()
    document.body.innerHTML = ''
  })

  it('lists each file with its findings, and offers a clean only where it helps', async () => {
    const calls: Array<[string, unknown]> = []
    const { root, app } = mount(calls, [])
    await settle()
    const items = q(root, 'attachment')
    expect(items.map((e) => e.dataset.name)).toEqual(['会议通知.docx', '会议现场.jpg'])
    const docFindings = items[0]!.querySelectorAll('[data-testid="attachment-finding"]')
    expect(docFindings[0]!.getAttribute('data-rule')).toBe('attachment.comment')
    expect(docFindings[0]!.textContent).toContain('王科长')
    expect(items[0]!.querySelector('[data-testid="attachment-clean"]')).not.toBeNull()
    // A missing description is not something cleaning fixes.
    expect(items[1]!.querySelector('[data-testid="attachment-clean"]')).toBeNull()
    expect(items[1]!.querySelector('[data-testid="attachment-note"]')!.textContent).toContain('GPS')
    expect(items[1]!.querySelector('[data-testid="attachment-alt"]')).not.toBeNull()
    expect(items[0]!.querySelector('[data-testid="attachment-alt"]')).toBeNull()
    app.unmount()
  })

  it('cleans, describes and adds through the shell, and hands on the new revision', async () => {
    const calls: Array<[string, unknown]> = []
    const changed: ItemView[] = []
    const { root, app } = mount(calls, changed)
    await settle()
    q(root, 'attachment-clean')[0]!.click()
    await settle()
    expect(calls).toContainEqual(['clean_attachment', { id: ITEM, sha256: DOCX.sha256 }])
    expect(changed.at(-1)!.item.content.attachments[0]!.sha256).toBe('d'.repeat(64))

    const alt = q(root, 'attachment-alt')[0]! as HTMLInputElement
    alt.value = ' 会议现场 '
    alt.dispatchEvent(new Event('change'))
    await settle()
    expect(calls).toContainEqual(['set_attachment_alt', { id: ITEM, sha256: PHOTO.sha256, alt: '会议现场' }])

    // A dropped file goes to Rust as its bytes, not as JSON.
    const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], '新照片.jpg', { type: 'image/jpeg' })
    const drop = new Event('drop', { bubbles: true, cancelable: true })
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file] } })
    q(root, 'attachments-pane')[0]!.dispatchEvent(drop)
    await settle()
    const sent = calls.find(([cmd]) => cmd === 'attach_file')
    expect(sent).toBeDefined()
    expect(Array.from(sent![1] as Uint8Array)).toEqual([0xff, 0xd8, 0xff, 0xe0])
    expect(changed).toHaveLength(3)
    app.unmount()
  })

  it('makes a web copy of a picture with the size and quality chosen', async () => {
    const calls: Array<[string, unknown]> = []
    const changed: ItemView[] = []
    const { root, app } = mount(calls, changed)
    await settle()
    const items = q(root, 'attachment')
    // Only pictures can be scaled down.
    expect(items[0]!.querySelector('[data-testid="attachment-resize"]')).toBeNull()
    ;(items[1]!.querySelector('[data-testid="attachment-resize"]') as HTMLElement).click()
    await settle()
    const side = q(root, 'resize-max-side')[0] as HTMLSelectElement
    expect(side.value).toBe('1920')
    side.value = '1280'
    side.dispatchEvent(new Event('change'))
    const quality = q(root, 'resize-quality')[0] as HTMLInputElement
    quality.value = '70'
    quality.dispatchEvent(new Event('input'))
    q(root, 'resize-apply')[0]!.click()
    await settle()
    expect(calls).toContainEqual([
      'downscale_attachment',
      { id: ITEM, sha256: PHOTO.sha256, size: { max_side: 1280, quality: 70 } },
    ])
    expect(changed.at(-1)!.item.content.attachments[1]!.sha256).toBe('e'.repeat(64))
    expect(q(root, 'resize-form')).toHaveLength(0)
    app.unmount()
  })
})
