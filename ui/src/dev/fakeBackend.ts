// An in-memory stand-in for the Rust commands, for `npm run dev:fake` and
// `npm run build:fake`: the UI can then be looked at (and screenshotted) in a
// plain browser. Only main.ts imports it, behind a build-time constant, so
// the real build never contains it. It imitates the real commands' shapes and
// errors; the rules themselves (workflow, search, rendering) are rough.

/* eslint-disable @typescript-eslint/only-throw-error -- Tauri rejects with plain values (a UserError object, or a string); this imitates it. */

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
import type { RevisionSummary } from '../bindings/RevisionSummary'
import type { UserError } from '../bindings/UserError'
import { computeGate } from '../checks'
import { emptyContent } from '../model'
import { fakeCheck, markdownToText, refuseDecision } from './fakeCheck'

interface Stored {
  item: Item
  revisions: { summary: RevisionSummary; content: ItemContent }[]
  decisions: Decision[]
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
  const stored: Stored = { item, revisions: [], decisions: [] }
  addRevision(stored, null)
  store.set(item.id, stored)
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
      const stored: Stored = { item, revisions: [], decisions: [] }
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
    default:
      throw `command ${cmd} not found`
  }
}

export function installFakeBackend(): void {
  mockIPC(async (cmd, args) => {
    // A little latency, as over real IPC with SQLite behind it.
    await new Promise((resolve) => setTimeout(resolve, 30))
    return handle(cmd, (args ?? {}) as Record<string, unknown>)
  })
  console.info('Baosong: fake in-memory backend (vite --mode fake)')
}
