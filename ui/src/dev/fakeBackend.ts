// An in-memory stand-in for the Rust commands, for `npm run dev:fake` and
// `npm run build:fake`: the UI can then be looked at (and screenshotted) in a
// plain browser. Only main.ts imports it, behind a build-time constant, so
// the real build never contains it. It imitates the real commands' shapes and
// errors; the rules themselves (workflow, search, rendering) are rough.

/* eslint-disable @typescript-eslint/only-throw-error -- Tauri rejects with plain values (a UserError object, or a string); this imitates it. */

import { emit } from '@tauri-apps/api/event'
import { mockIPC } from '@tauri-apps/api/mocks'

import type { Action } from '../bindings/Action'
import type { ActionKind } from '../bindings/ActionKind'
import type { Decision } from '../bindings/Decision'
import type { DecisionKind } from '../bindings/DecisionKind'
import type { DiffLine } from '../bindings/DiffLine'
import type { FieldChange } from '../bindings/FieldChange'
import type { Item } from '../bindings/Item'
import type { ItemCheck } from '../bindings/ItemCheck'
import type { ItemContent } from '../bindings/ItemContent'
import type { ItemState } from '../bindings/ItemState'
import type { ItemView } from '../bindings/ItemView'
import type { ListQuery } from '../bindings/ListQuery'
import type { OutboxEntry } from '../bindings/OutboxEntry'
import type { PortalLink } from '../bindings/PortalLink'
import type { StatusEvent } from '../bindings/StatusEvent'
import type { SyncEvent } from '../bindings/SyncEvent'
import type { SyncOverview } from '../bindings/SyncOverview'
import type { RevisionSummary } from '../bindings/RevisionSummary'
import type { UserError } from '../bindings/UserError'
import { computeGate } from '../checks'
import { emptyContent } from '../model'
import { fakeCheck, markdownToText, refuseDecision } from './fakeCheck'

interface Stored {
  item: Item
  revisions: { summary: RevisionSummary; content: ItemContent }[]
  decisions: Decision[]
  link?: PortalLink
  timeline: StatusEvent[]
}

const COLUMNS = [
  { id: 'bmdt', name: '部门动态' },
  { id: 'gzdt', name: '工作动态' },
  { id: 'tzgg', name: '通知公告' },
  { id: 'zcwj', name: '政策文件' },
  { id: 'zcjd', name: '政策解读' },
]

const EDITABLE: ItemState[] = ['draft', 'awaiting_signoff', 'signed_off', 'returned', 'not_adopted', 'withdrawn', 'published']

const MOVES: Partial<Record<ActionKind, [ItemState[], ItemState]>> = {
  send_for_signoff: [['draft'], 'awaiting_signoff'],
  sign_off: [['awaiting_signoff'], 'signed_off'],
  return_for_revision: [['awaiting_signoff'], 'draft'],
  queue: [['signed_off'], 'queued'],
  withdraw: [['queued', 'submitted', 'in_review'], 'withdrawn'],
}

function userError(code: string, zh: string, en: string): UserError {
  return { code, zh, en }
}

function view(item: Item): ItemView {
  const allowed = (Object.keys(MOVES) as ActionKind[]).filter((k) => MOVES[k]![0].includes(item.state))
  const editable = EDITABLE.includes(item.state)
  return {
    item: JSON.parse(JSON.stringify(item)) as Item,
    allowed_actions: editable ? ['edit', ...allowed] : allowed,
    editable,
  }
}

function uuid(): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const store = new Map<string, Stored>()

// ---- the portal side: sign-in, outbox, status changes ----------------------
// Signed in, a queued item is "delivered" after a moment, and — so the 退回
// banner, the notice and the timeline can be looked at — returned by the
// fake portal editor a few seconds later.

const sync: {
  signedIn: boolean
  profile: { portal_url: string; username: string; ca_cert: string | null; proxy: string | null } | null
  outbox: OutboxEntry[]
  cursor: number
  lastSuccess: string | null
} = { signedIn: false, profile: null, outbox: [], cursor: 0, lastSuccess: null }

function portalEvent(stored: Stored, status: string, reason: string | null): StatusEvent {
  const link: PortalLink = stored.link ?? {
    submission_id: uuid(),
    portal_revision: 1,
    portal_status: 'received',
    public_url: null,
    updated_at: new Date().toISOString(),
  }
  const event: StatusEvent = {
    cursor: String(++sync.cursor).padStart(8, '0'),
    submission_id: link.submission_id,
    portal_revision: link.portal_revision,
    from_status: stored.link ? stored.link.portal_status : null,
    status,
    by: status === 'received' ? '门户网站' : '周静',
    at: new Date().toISOString(),
    comment: '',
    reason,
    public_url: null,
  }
  stored.link = { ...link, portal_status: status, updated_at: event.at }
  stored.timeline.push(event)
  return event
}

function overview(): SyncOverview {
  const pending = sync.outbox.filter((e) => e.status === 'pending').length
  const failed = sync.outbox.filter((e) => e.status === 'failed').length
  return {
    status: {
      signed_in: sync.signedIn,
      username: sync.signedIn ? (sync.profile?.username ?? null) : null,
      portal_url: sync.signedIn ? (sync.profile?.portal_url ?? null) : null,
      online: sync.signedIn,
      syncing: false,
      pending,
      failed,
      last_error: null,
      last_success_at: sync.lastSuccess,
      retry_in_secs: null,
    },
    keyring: { state: 'ok' },
    profile: sync.profile,
    display_name: sync.signedIn ? '张敏' : null,
    unit_name: sync.signedIn ? '市教育局' : null,
    role: sync.signedIn ? 'liaison_officer' : null,
    locked: false,
  }
}

function send(event: SyncEvent): void {
  void emit('sync-event', event)
}

/** One pass of the fake worker: deliver what waits, later return it. */
function drain(): void {
  if (!sync.signedIn) return
  for (const entry of sync.outbox.filter((e) => e.status === 'pending')) {
    const stored = store.get(entry.item_id)
    if (!stored) continue
    entry.status = 'delivered'
    entry.delivered_at = new Date().toISOString()
    stored.item.state = 'submitted'
    stored.item.returned_reason = null
    stored.item.updated_at = entry.delivered_at
    const received = portalEvent(stored, 'received', null)
    entry.submission_id = received.submission_id
    send({ kind: 'delivered', entry: { ...entry } })
    setTimeout(() => {
      if (stored.item.state !== 'submitted') return
      const returned = portalEvent(stored, 'returned', '请补充具体数据来源，并核对会议时间。')
      stored.item.state = 'returned'
      stored.item.returned_reason = returned.reason
      stored.item.updated_at = returned.at
      send({
        kind: 'changed',
        change: { item_id: stored.item.id, title: stored.item.content.title, event: returned, state: 'returned', moved: true },
      })
    }, 4000)
  }
  sync.lastSuccess = new Date().toISOString()
  send({ kind: 'status', status: overview().status })
}

function scheduleDrain(): void {
  setTimeout(drain, 1500)
}

function addRevision(stored: Stored, note: string | null): void {
  const { item } = stored
  stored.revisions.push({
    summary: {
      revision: item.revision,
      state: item.state,
      title: item.content.title,
      saved_at: item.updated_at,
      saved_by: '联络员',
      note,
      body_chars: Array.from(item.content.body).length,
    },
    content: JSON.parse(JSON.stringify(item.content)) as ItemContent,
  })
}

function seed(title: string, column: number, state: ItemState, body: string, hoursAgo: number): void {
  const at = new Date(Date.now() - hoursAgo * 3600_000).toISOString()
  const content = emptyContent()
  content.title = title
  content.column = { ...COLUMNS[column]! }
  content.body = body
  content.author = '王某某'
  content.source_unit = '某某区政务服务和数据管理局'
  content.summary = title
  const item: Item = {
    id: uuid(),
    content,
    state,
    returned_reason: state === 'returned' ? '请补充具体数据来源。' : null,
    published_url: state === 'published' ? 'http://www.example.gov.cn/art/2024/3/1/art_1.html' : null,
    revision: 1,
    created_at: at,
    updated_at: at,
  }
  const stored: Stored = { item, revisions: [], decisions: [], timeline: [] }
  addRevision(stored, null)
  store.set(item.id, stored)
  if (state === 'submitted' || state === 'returned') {
    portalEvent(stored, 'received', null)
    if (state === 'returned') portalEvent(stored, 'returned', '请补充具体数据来源。')
  }
}

seed(
  '区政务服务中心推行“一窗通办”改革',
  0,
  'draft',
  '## 主要做法\n\n今年以来，区政务服务中心全面推行“**一窗通办**”改革。\n\n- 整合综合窗口 12 个\n- 办理时限平均压缩 40%\n\n| 事项 | 改革前 | 改革后 |\n| --- | --- | --- |\n| 企业开办 | 3 天 | 1 天 |\n',
  2,
)
seed(
  '关于走访慰问困难群众的情况报告',
  0,
  'draft',
  '近日，区民政局走访慰问困难群众张某某（身份证号11010519491231002X，联系电话13812345678）。\n\n会议强调,要认真落实中华人民共合国有关规定。详见 https://www.example.gov.cn/zcwj 。\n',
  1,
)
seed('关于2024年政府信息公开工作年度报告的说明', 2, 'awaiting_signoff', '根据《中华人民共和国政府信息公开条例》要求，现将有关情况说明如下。\n', 26)
seed('我区召开安全生产工作会议', 1, 'submitted', '会议强调，要压紧压实安全生产责任。\n', 50)
seed('', 0, 'draft', '', 0.2)
seed('《某某区优化营商环境若干措施》政策解读', 4, 'returned', '### 一、制定背景\n\n为进一步优化营商环境……\n', 120)

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>')
    .replace(/~~(.+?)~~/g, '<del>$1</del>')
}

/** A rough Markdown renderer, enough to see the preview pane work. */
function renderMarkdown(markdown: string): string {
  const out: string[] = []
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      const level = heading[1]!.length
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`)
      i++
    } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const ordered = /^\s*\d/.test(line)
      const items: string[] = []
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]!)) {
        items.push(`<li>${inline(lines[i]!.replace(/^\s*([-*+]|\d+[.)])\s+/, ''))}</li>`)
        i++
      }
      out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`)
    } else if (line.startsWith('|')) {
      const rows: string[][] = []
      while (i < lines.length && lines[i]!.startsWith('|')) {
        const cells = lines[i]!.replace(/^\||\|$/g, '').split('|').map((c) => c.trim())
        if (!cells.every((c) => /^:?-+:?$/.test(c))) rows.push(cells)
        i++
      }
      const [head, ...body] = rows
      out.push(
        `<table><thead><tr>${(head ?? []).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      )
    } else if (line.trim() === '') {
      i++
    } else {
      const para: string[] = []
      while (i < lines.length && lines[i]!.trim() !== '' && !/^(#|\||\s*([-*+]|\d+[.)])\s)/.test(lines[i]!)) {
        para.push(lines[i]!)
        i++
      }
      out.push(`<p>${inline(para.join('\n'))}</p>`)
    }
  }
  return out.join('\n')
}

function lineDiff(a: string[], b: string[]): DiffLine[] {
  const n = a.length
  const m = b.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ tag: 'equal', text: a[i]! })
      i++
      j++
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ tag: 'delete', text: a[i++]! })
    } else {
      out.push({ tag: 'insert', text: b[j++]! })
    }
  }
  while (i < n) out.push({ tag: 'delete', text: a[i++]! })
  while (j < m) out.push({ tag: 'insert', text: b[j++]! })
  return out
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    out.set(prefix, value.join('、'))
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.set(prefix, String(value))
  } else {
    out.set(prefix, '')
  }
}

/** The stored item's check, as check_item answers it. */
function itemCheck(stored: Stored): ItemCheck {
  const c = stored.item.content
  const report = fakeCheck({
    title: c.title,
    summary: c.summary,
    keywords: c.keywords.join('；'),
    body: markdownToText(c.body),
  })
  return { report, decisions: [...stored.decisions], gate: computeGate(report.findings, stored.decisions) }
}

function get(id: unknown): Stored {
  const stored = store.get(String(id))
  if (!stored) throw userError('not_found', `找不到编号为“${String(id)}”的稿件。`, `no item matches '${String(id)}'`)
  return stored
}

function touch(stored: Stored, content: ItemContent, note: string | null): void {
  const { item } = stored
  item.content = JSON.parse(JSON.stringify(content)) as ItemContent
  if (item.state !== 'draft') item.state = 'draft'
  item.revision++
  item.updated_at = new Date().toISOString()
  addRevision(stored, note)
}

function handle(cmd: string, args: Record<string, unknown>): unknown {
  switch (cmd) {
    case 'app_info':
      return { version: '0.1.0-fake', data_dir: '(memory)', lang: 'zh-CN' }
    case 'app_ready':
      return null
    case 'list_columns':
      return COLUMNS
    case 'list_items': {
      const q = args.query as ListQuery
      const needle = q.search?.trim() ?? ''
      return [...store.values()]
        .map((s) => s.item)
        .filter((item) => (q.state === null || item.state === q.state))
        .filter(
          (item) =>
            needle === '' ||
            item.content.title.includes(needle) ||
            item.content.body.includes(needle) ||
            item.content.summary.includes(needle),
        )
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
        .slice(q.offset, q.offset + q.limit)
        .map((item) => ({
          id: item.id,
          title: item.content.title,
          column_name: item.content.column.name,
          state: item.state,
          urgency: item.content.urgency,
          revision: item.revision,
          updated_at: item.updated_at,
        }))
    }
    case 'get_item':
      return view(get(args.id).item)
    case 'create_item': {
      const now = new Date().toISOString()
      const item: Item = {
        id: uuid(),
        content: args.content as ItemContent,
        state: 'draft',
        returned_reason: null,
        published_url: null,
        revision: 1,
        created_at: now,
        updated_at: now,
      }
      const stored: Stored = { item, revisions: [], decisions: [], timeline: [] }
      addRevision(stored, null)
      store.set(item.id, stored)
      return view(item)
    }
    case 'save_item': {
      const stored = get(args.id)
      const base = Number(args.baseRevision)
      if (!Number.isInteger(base)) throw 'invalid args `baseRevision` for command `save_item`'
      if (!EDITABLE.includes(stored.item.state)) {
        throw userError('workflow', '稿件已交门户网站处理，如需修改请先撤回。', 'The item is with the portal; withdraw it first to change it.')
      }
      if (base !== stored.item.revision) {
        throw userError(
          'conflict',
          `稿件已在别处被修改（您的版本为第 ${base} 版，已保存的是第 ${stored.item.revision} 版），请重新打开后再编辑。`,
          `the item was changed elsewhere (your copy is revision ${base}, stored is ${stored.item.revision})`,
        )
      }
      if (JSON.stringify(args.content) !== JSON.stringify(stored.item.content)) touch(stored, args.content as ItemContent, null)
      return view(stored.item)
    }
    case 'apply_action': {
      const stored = get(args.id)
      const action = args.action as Action
      if (action.action === 'queue') {
        throw userError('needs_outbox', '报送须通过发件箱（submit_item）。', 'Queue through the outbox (submit_item).')
      }
      const move = MOVES[action.action]
      if (!move || !move[0].includes(stored.item.state)) {
        throw userError('workflow', '当前状态的稿件不能执行此操作。', 'That action is not possible in this state.')
      }
      if (action.action === 'send_for_signoff') {
        const { gate } = itemCheck(stored)
        if (!gate.ready) {
          throw userError(
            'not_ready_for_signoff',
            `还不能送审：阻断 ${gate.blockers} 项，未处理的错误 ${gate.undecided_errors} 项。请先修改、打码或确认无误。`,
            `not ready for sign-off: ${gate.blockers} blocking, ${gate.undecided_errors} undecided errors`,
          )
        }
      }
      stored.item.state = move[1]
      stored.item.updated_at = new Date().toISOString()
      return view(stored.item)
    }
    case 'check_text':
      return fakeCheck({ title: String(args.title), body: String(args.body) })
    case 'check_item':
      return itemCheck(get(args.id))
    case 'decide_finding': {
      const stored = get(args.id)
      const kind = args.kind as DecisionKind
      const reason = typeof args.reason === 'string' && args.reason.trim() !== '' ? args.reason.trim() : null
      const finding = itemCheck(stored).report.findings.find((f) => f.fingerprint === args.fingerprint)
      if (!finding) {
        throw userError('no_such_finding', '稿件中已没有这一问题，请重新检查。', `no current finding ${String(args.fingerprint)}`)
      }
      const refused = refuseDecision(finding, kind, reason)
      if (refused) throw userError('decision', refused.zh, refused.en)
      stored.decisions = stored.decisions.filter((d) => d.fingerprint !== finding.fingerprint)
      stored.decisions.push({ fingerprint: finding.fingerprint, kind, reason, by: '联络员', at: new Date().toISOString() })
      return itemCheck(stored)
    }
    case 'render_preview':
      return renderMarkdown(String(args.markdown))
    case 'list_revisions':
      return get(args.id).revisions.map((r) => r.summary)
    case 'diff_revisions': {
      const stored = get(args.id)
      const from = stored.revisions.find((r) => r.summary.revision === args.from)
      const to = stored.revisions.find((r) => r.summary.revision === args.to)
      if (!from || !to) throw userError('no_such_revision', '该稿件没有这一版。', 'item has no such revision')
      const a = new Map<string, string>()
      const b = new Map<string, string>()
      flatten({ ...from.content, body: undefined }, '', a)
      flatten({ ...to.content, body: undefined }, '', b)
      const fields: FieldChange[] = []
      for (const [field, value] of b) {
        if (field !== 'body' && a.get(field) !== value) fields.push({ field, old: a.get(field) ?? '', new: value })
      }
      return {
        from: from.summary.revision,
        to: to.summary.revision,
        fields,
        body: lineDiff(from.content.body.split('\n'), to.content.body.split('\n')),
        body_unified: '',
      }
    }
    case 'restore_revision': {
      const stored = get(args.id)
      const old = stored.revisions.find((r) => r.summary.revision === args.revision)
      if (!old) throw userError('no_such_revision', '该稿件没有这一版。', 'item has no such revision')
      touch(stored, old.content, `从第 ${String(args.revision)} 版恢复`)
      return view(stored.item)
    }
    case 'sync_status':
      return overview()
    case 'login': {
      const text = (value: unknown): string => (typeof value === 'string' ? value : '')
      const url = text(args.portalUrl).trim()
      const username = text(args.username).trim()
      const password = text(args.password)
      if (!/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(url)) {
        throw userError(
          'config',
          '门户地址必须以 https:// 开头：明文 http 会让密码和稿件在网络上可被窃听（仅本机测试门户可用 http）。',
          'The portal address must start with https:// (http only for a portal on this computer).',
        )
      }
      if (username === '') throw userError('config', '请填写用户名。', 'The username is empty.')
      if (password === '') throw userError('config', '请输入密码。', 'The password is empty.')
      if (password === 'wrong') throw userError('invalid_credentials', '用户名或密码不正确。', 'wrong username or password')
      sync.signedIn = true
      sync.profile = { portal_url: url, username, ca_cert: null, proxy: null }
      scheduleDrain()
      return overview()
    }
    case 'logout':
      sync.signedIn = false
      return overview()
    case 'submit_item': {
      const stored = get(args.id)
      if (stored.item.state !== 'signed_off') {
        throw userError('workflow', '当前状态的稿件不能执行此操作。', 'That action is not possible in this state.')
      }
      stored.item.state = 'queued'
      stored.item.updated_at = new Date().toISOString()
      sync.outbox.unshift({
        id: uuid(),
        item_id: stored.item.id,
        item_title: stored.item.content.title,
        revision: stored.item.revision,
        kind: stored.link ? 'resubmit' : 'submit',
        submission_id: stored.link?.submission_id ?? null,
        base_portal_revision: stored.link?.portal_revision ?? null,
        status: 'pending',
        attempts: 0,
        last_error: null,
        created_at: stored.item.updated_at,
        last_attempt_at: null,
        delivered_at: null,
      })
      scheduleDrain()
      return view(stored.item)
    }
    case 'sync_now':
      if (!sync.signedIn) {
        throw userError('not_signed_in', '尚未登录门户网站，请先登录。', 'Not signed in to the portal: sign in first.')
      }
      scheduleDrain()
      return overview()
    case 'list_outbox':
      return sync.outbox.filter((e) => args.includeDelivered === true || e.status !== 'delivered').map((e) => ({ ...e }))
    case 'retry_outbox_entry': {
      const entry = sync.outbox.find((e) => e.id === args.id)
      if (!entry) throw userError('not_found', '发件箱中没有这一条。', 'no such outbox entry')
      if (entry.status === 'failed') entry.status = 'pending'
      scheduleDrain()
      return { ...entry }
    }
    case 'item_portal': {
      const stored = get(args.id)
      return {
        link: stored.link ?? null,
        timeline: [...stored.timeline],
        outbox: sync.outbox.filter((e) => e.item_id === stored.item.id).map((e) => ({ ...e })),
      }
    }
    // Review and sign-off are not faked (they need signing keys): an item
    // has no reviews, and nobody is a head.
    case 'item_reviews':
      return { reviews: [], signoff: null }
    // The registration record of an item nobody has checked, sent or signed.
    case 'registration_record': {
      const { item } = get(args.id)
      return {
        item_id: item.id,
        revision: item.revision,
        state: item.state,
        title: item.content.title,
        column: item.content.column.name,
        source_unit: item.content.source_unit,
        author: item.content.author,
        author_phone: item.content.author_phone,
        secrecy_review: null,
        sent_for_review: null,
        signoff: null,
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
      }
    }
    default:
      throw `command ${cmd} not found`
  }
}

export function installFakeBackend(): void {
  mockIPC(
    async (cmd, args) => {
      // A little latency, as over real IPC with SQLite behind it.
      await new Promise((resolve) => setTimeout(resolve, 30))
      return handle(cmd, (args ?? {}) as Record<string, unknown>)
    },
    // `listen` / `emit` work in the page: the fake worker's events reach the UI.
    { shouldMockEvents: true },
  )
  console.info('Baosong: fake in-memory backend (vite --mode fake)')
}
