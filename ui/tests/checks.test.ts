// The check of an open item: gate rules, merging live and stored findings,
// grouping, the ItemChecks wiring against a mocked Rust side, and the check
// panel as rendered.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick } from 'vue'

import type { CheckReport } from '../src/bindings/CheckReport'
import type { Decision } from '../src/bindings/Decision'
import type { Finding } from '../src/bindings/Finding'
import type { ItemCheck } from '../src/bindings/ItemCheck'
import type { ItemView } from '../src/bindings/ItemView'
import {
  canApply,
  canWaive,
  type CheckEditor,
  computeGate,
  findingKey,
  groupBySeverity,
  ItemChecks,
  mergeFindings,
  splitExcerpt,
} from '../src/checks'
import CheckPanel from '../src/components/CheckPanel.vue'
import type { CheckMark, CheckSnapshot } from '../src/editor/checkPlugin'
import { setLang } from '../src/i18n'
import { emptyContent } from '../src/model'
import { ItemSession } from '../src/session'

const ID = '11010519491231002X'

function finding(over: Partial<Finding> & Pick<Finding, 'rule' | 'severity' | 'matched'>): Finding {
  const start = over.span?.utf16_start ?? 0
  return {
    detector: over.rule.split('.')[0] as Finding['detector'],
    field: 'body',
    span: { start, end: start + over.matched.length, utf16_start: start, utf16_end: start + over.matched.length, line: 1, column: start + 1 },
    excerpt: `前文${over.matched}后文`,
    message: { zh: `中文说明 ${over.rule}`, en: `English message ${over.rule}` },
    suggestion: null,
    fingerprint: `${over.rule}:${over.matched.toLowerCase()}`,
    ...over,
  }
}

const idFinding = (at = 4): Finding =>
  finding({ rule: 'pii.resident_id', severity: 'blocker', matched: ID, suggestion: '11*************02X', span: span(at, ID.length) })
const misstatement = (at = 30): Finding =>
  finding({ rule: 'lexicon.misstatement', severity: 'error', matched: '中华人民共合国', suggestion: '中华人民共和国', span: span(at, 7) })
const halfwidth = (at = 40): Finding =>
  finding({ rule: 'norms.halfwidth_punct', severity: 'warning', matched: ',', suggestion: '，', span: span(at, 1) })
const link = (at = 50): Finding =>
  finding({ rule: 'links.external', severity: 'info', matched: 'https://www.gov.cn', span: span(at, 18) })

function span(at: number, length: number): Finding['span'] {
  return { start: at, end: at + length, utf16_start: at, utf16_end: at + length, line: 1, column: at + 1 }
}

function report(findings: Finding[]): CheckReport {
  return { content_hash: 'h', engine_version: 't', lexicons: [], findings }
}

function waiver(f: Finding, reason = '引用原文，经核对无误'): Decision {
  return { fingerprint: f.fingerprint, kind: 'waived', reason, by: '联络员', at: '2026-11-23T10:00:00Z' }
}

function itemCheck(findings: Finding[], decisions: Decision[] = []): ItemCheck {
  return { report: report(findings), decisions, gate: computeGate(findings, decisions) }
}

describe('gate', () => {
  it('is ready with only warnings and notes', () => {
    expect(computeGate([halfwidth(), link()], [])).toEqual({
      ready: true,
      blockers: 0,
      undecided_errors: 0,
      waived_errors: 0,
      warnings: 1,
      infos: 1,
    })
  })

  it('is not ready while a blocker remains, whatever was decided', () => {
    const f = idFinding()
    const gate = computeGate([f], [{ ...waiver(f), kind: 'fixed' }, waiver(f)])
    expect(gate.ready).toBe(false)
    expect(gate.blockers).toBe(1)
  })

  it('counts an error as undecided until it is waived by fingerprint', () => {
    const f = misstatement()
    expect(computeGate([f], [])).toMatchObject({ ready: false, undecided_errors: 1, waived_errors: 0 })
    expect(computeGate([f], [{ ...waiver(f), kind: 'fixed' }])).toMatchObject({ ready: false, undecided_errors: 1 })
    expect(computeGate([f], [waiver(f)])).toMatchObject({ ready: true, undecided_errors: 0, waived_errors: 1 })
    expect(computeGate([f], [{ ...waiver(f), fingerprint: 'other' }]).ready).toBe(false)
  })
})

describe('merging live and stored findings', () => {
  it('takes title and body from the live check, summary and keywords from the stored one', () => {
    const liveId = idFinding()
    const storedId = idFinding(9)
    const summary = { ...misstatement(2), field: 'summary' as const }
    const merged = mergeFindings(report([liveId]), itemCheck([storedId, summary]), false)
    expect(merged.map((p) => [p.source, p.finding.field, p.finding.span.utf16_start])).toEqual([
      ['live', 'body', 4],
      ['stored', 'summary', 2],
    ])
  })

  it('adds stored body findings the live check does not see once the saved item is what the editor shows', () => {
    const markdownOnly = link(3)
    expect(mergeFindings(report([]), itemCheck([markdownOnly]), false)).toEqual([])
    const merged = mergeFindings(report([]), itemCheck([markdownOnly]), true)
    expect(merged.map((p) => p.source)).toEqual(['stored'])
    // Seen live: not twice.
    expect(mergeFindings(report([link(8)]), itemCheck([markdownOnly]), true).map((p) => p.source)).toEqual(['live'])
  })

  it('uses the stored check alone before the editor has been checked', () => {
    const merged = mergeFindings(null, itemCheck([idFinding(), misstatement()]), false)
    expect(merged.map((p) => p.source)).toEqual(['stored', 'stored'])
  })

  it('attaches waivers to errors', () => {
    const f = misstatement()
    const [p] = mergeFindings(report([f]), itemCheck([f], [waiver(f)]), true)
    expect(p!.waiver?.reason).toBe('引用原文，经核对无误')
    expect(canWaive(p!)).toBe(false)
  })
})

describe('grouping and actions', () => {
  it('groups worst first and drops empty groups, in text order inside a group', () => {
    const merged = mergeFindings(
      report([link(), idFinding(20), halfwidth(), idFinding(2), { ...misstatement(9), field: 'title' }]),
      null,
      false,
    )
    const groups = groupBySeverity(merged)
    expect(groups.map((g) => g.severity)).toEqual(['blocker', 'error', 'warning', 'info'])
    expect(groups[0]!.findings.map((p) => p.finding.span.utf16_start)).toEqual([2, 20])
    expect(groupBySeverity(mergeFindings(report([link()]), null, false)).map((g) => g.severity)).toEqual(['info'])
  })

  it('offers apply for suggestions, waive for undecided errors only (never for blockers)', () => {
    const [blocker, error, warning, info] = mergeFindings(report([idFinding(), misstatement(), halfwidth(), link()]), null, false)
    expect([blocker, error, warning, info].map((p) => canApply(p!))).toEqual([true, true, true, false])
    expect([blocker, error, warning, info].map((p) => canWaive(p!))).toEqual([false, true, false, false])
  })

  it('splits the excerpt around the matched text', () => {
    expect(splitExcerpt({ excerpt: '号码110，手机', matched: '110' })).toEqual({ before: '号码', match: '110', after: '，手机' })
    expect(splitExcerpt({ excerpt: '别处', matched: '110' })).toEqual({ before: '别处', match: '', after: '' })
  })
})

// ---------------------------------------------------------------- ItemChecks

function itemView(revision = 2): ItemView {
  const content = emptyContent()
  content.title = '关于走访慰问的报告'
  content.body = `号码${ID}。\n`
  return {
    item: {
      id: 'item-1',
      content,
      state: 'draft',
      returned_reason: null,
      published_url: null,
      revision,
      created_at: '2026-11-23T01:00:00Z',
      updated_at: '2026-11-23T01:00:00Z',
    },
    allowed_actions: ['edit', 'send_for_signoff'],
    editable: true,
  }
}

/** A stand-in for the body editor: a text and a record of what was shown. */
function fakeEditor(initial: string) {
  let text = initial
  const shown: CheckMark[][] = []
  const applied: [string, string, string][] = []
  const selected: string[] = []
  const bridge: CheckEditor = {
    checkSnapshot: () => ({ text, segments: [], doc: null }) as unknown as CheckSnapshot,
    showChecks: (_snap, marks) => {
      shown.push([...marks])
      return true
    },
    selectCheck: (key) => {
      selected.push(key)
      return true
    },
    applyCheck: (key, replacement, expected) => {
      if (!text.includes(expected)) return false
      applied.push([key, replacement, expected])
      text = text.replace(expected, replacement)
      return true
    },
  }
  return {
    bridge,
    shown,
    applied,
    selected,
    set text(next: string) {
      text = next
    },
  }
}

/** Checks with the real rules' shapes: an ID in the text is a blocker, 共合国 an error. */
function detect(text: string, field: Finding['field'] = 'body'): Finding[] {
  const out: Finding[] = []
  const at = text.indexOf(ID)
  if (at >= 0) out.push({ ...idFinding(at), field })
  const m = text.indexOf('中华人民共合国')
  if (m >= 0) out.push({ ...misstatement(m), field })
  return out
}

function backend(initial: ItemView) {
  let stored = JSON.parse(JSON.stringify(initial)) as ItemView
  const decisions: Decision[] = []
  const calls: { cmd: string; args: Record<string, unknown> }[] = []
  const storedCheck = (): ItemCheck => {
    const findings = [...detect(stored.item.content.title, 'title'), ...detect(stored.item.content.body)]
    return itemCheck(findings, decisions)
  }
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>
    calls.push({ cmd, args: a })
    switch (cmd) {
      case 'check_text':
        return report([...detect(String(a.title), 'title'), ...detect(String(a.body))])
      case 'check_item':
        return storedCheck()
      case 'save_item':
        stored = { ...stored, item: { ...stored.item, content: a.content as ItemView['item']['content'], revision: stored.item.revision + 1 } }
        return stored
      case 'decide_finding': {
        const f = storedCheck().report.findings.find((x) => x.fingerprint === a.fingerprint)
        if (!f) throw { code: 'no_such_finding', zh: '没有这一问题', en: 'no such finding' }
        if (f.severity === 'blocker') throw { code: 'decision', zh: '阻断级问题不能确认放行，必须修改或打码', en: 'a blocker cannot be waived' }
        decisions.push({ fingerprint: f.fingerprint, kind: a.kind as Decision['kind'], reason: a.reason as string, by: '联络员', at: 'now' })
        return storedCheck()
      }
      default:
        throw `unexpected command ${cmd}`
    }
  })
  return {
    calls,
    get stored() {
      return stored
    },
  }
}

describe('ItemChecks', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })

  afterEach(() => {
    vi.useRealTimers()
    clearMocks()
    setLang('zh-CN')
  })

  it('is unknown until the stored check arrives, then shows its gate', async () => {
    backend(itemView())
    const session = new ItemSession(itemView())
    const checks = new ItemChecks(session)
    expect(checks.known.value).toBe(false)
    await checks.refresh()
    expect(checks.known.value).toBe(true)
    expect(checks.gate.value).toMatchObject({ ready: false, blockers: 1 })
    checks.dispose()
  })

  it('checks the editor text when the editor appears and again 250 ms after typing, highlighting body findings', async () => {
    const server = backend(itemView())
    const session = new ItemSession(itemView())
    const checks = new ItemChecks(session)
    const editor = fakeEditor(`号码${ID}。`)
    checks.attachEditor(editor.bridge)
    await vi.advanceTimersByTimeAsync(0)
    expect(server.calls.filter((c) => c.cmd === 'check_text').map((c) => c.args)).toEqual([
      { title: '关于走访慰问的报告', body: `号码${ID}。` },
    ])
    expect(editor.shown.at(-1)!.map((m) => [m.rule, m.start, m.end, m.severity])).toEqual([
      ['pii.resident_id', 2, 20, 'blocker'],
    ])
    expect(editor.shown.at(-1)![0]!.title).toBe('中文说明 pii.resident_id')

    editor.text = '号码已删除。中华人民共合国'
    checks.changed()
    expect(checks.checking.value).toBe(true)
    await vi.advanceTimersByTimeAsync(200)
    expect(server.calls.filter((c) => c.cmd === 'check_text')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(50)
    expect(server.calls.filter((c) => c.cmd === 'check_text')).toHaveLength(2)
    expect(checks.checking.value).toBe(false)
    expect(checks.findings.value.map((p) => p.finding.rule)).toEqual(['lexicon.misstatement'])
    checks.dispose()
  })

  it('applies a mask through the editor and drops the finding at once', async () => {
    backend(itemView())
    const session = new ItemSession(itemView())
    const checks = new ItemChecks(session)
    const editor = fakeEditor(`号码${ID}。`)
    checks.attachEditor(editor.bridge)
    await checks.refresh()
    await vi.advanceTimersByTimeAsync(0)
    const [row] = checks.findings.value
    expect(row!.source).toBe('live')
    expect(checks.apply(row!)).toBe(true)
    expect(editor.applied).toEqual([[row!.key, '11*************02X', ID]])
    expect(checks.findings.value.filter((p) => p.source === 'live')).toEqual([])
    checks.select(row!)
    expect(editor.selected).toEqual([row!.key])
    checks.dispose()
  })

  it('fixes a title finding in the working copy and marks the item changed', async () => {
    backend(itemView())
    const view = itemView()
    view.item.content.title = `关于${ID}`
    const session = new ItemSession(view)
    const checks = new ItemChecks(session)
    checks.attachEditor(fakeEditor('正文').bridge)
    await vi.advanceTimersByTimeAsync(0)
    const row = checks.findings.value.find((p) => p.finding.field === 'title')!
    expect(checks.apply(row)).toBe(true)
    expect(session.content.title).toBe('关于11*************02X')
    expect(session.dirty.value).toBe(true)
    checks.dispose()
  })

  it('waives an error after saving pending edits; the gate opens', async () => {
    const server = backend(itemView())
    const view = itemView()
    view.item.content.body = '中华人民共合国\n'
    const session = new ItemSession(view)
    let body = '中华人民共合国\n'
    session.attachBody(() => body)
    const checks = new ItemChecks(session)
    checks.attachEditor(fakeEditor('中华人民共合国').bridge)
    await checks.refresh()
    await vi.advanceTimersByTimeAsync(0)
    // An unsaved edit: the waiver must be about what is stored.
    body = '中华人民共合国。\n'
    session.bodyEdited()
    const row = checks.findings.value.find((p) => p.finding.severity === 'error')!
    expect(checks.gate.value.ready).toBe(false)
    await checks.waive(row, '  引用原文标题  ')
    const cmds = server.calls.map((c) => c.cmd)
    expect(cmds.indexOf('save_item')).toBeLessThan(cmds.indexOf('decide_finding'))
    expect(server.calls.find((c) => c.cmd === 'decide_finding')!.args).toEqual({
      id: 'item-1',
      fingerprint: 'lexicon.misstatement:中华人民共合国',
      kind: 'waived',
      reason: '引用原文标题',
    })
    expect(checks.gate.value).toMatchObject({ ready: true, waived_errors: 1 })
    expect(checks.findings.value.find((p) => p.finding.severity === 'error')!.waiver?.reason).toBe('引用原文标题')
    checks.dispose()
  })

  it('passes the refusal of a waiver on to the caller', async () => {
    backend(itemView())
    const session = new ItemSession(itemView())
    const checks = new ItemChecks(session)
    await checks.refresh()
    const blocker = checks.findings.value[0]!
    await expect(checks.waive(blocker, '理由充分')).rejects.toMatchObject({ code: 'decision' })
    checks.dispose()
  })

  it('drops a stored check that a later refresh overtook', async () => {
    let answer = 0
    const pending: ((v: ItemCheck) => void)[] = []
    mockIPC((cmd) => {
      if (cmd !== 'check_item') throw `unexpected ${cmd}`
      answer++
      return new Promise<ItemCheck>((resolve) => pending.push(resolve))
    })
    const session = new ItemSession(itemView())
    const checks = new ItemChecks(session)
    const first = checks.refresh()
    const second = checks.refresh()
    await vi.advanceTimersByTimeAsync(0)
    expect(answer).toBe(2)
    pending[1]!(itemCheck([]))
    await second
    pending[0]!(itemCheck([idFinding()]))
    await first
    expect(checks.gate.value.ready).toBe(true)
    checks.dispose()
  })
})

// ---------------------------------------------------------------- the panel

describe('CheckPanel', () => {
  afterEach(() => {
    clearMocks()
    setLang('zh-CN')
    document.body.innerHTML = ''
  })

  /** The panel over `findings`; `live`: also found in the editor (so they can be fixed there). */
  async function mount(findings: Finding[], decisions: Decision[] = [], { live = false } = {}) {
    mockIPC((cmd) => {
      if (cmd === 'check_item') return itemCheck(findings, decisions)
      if (cmd === 'check_text') return report(findings)
      throw `unexpected ${cmd}`
    })
    const session = new ItemSession(itemView())
    const checks = new ItemChecks(session)
    await checks.refresh()
    if (live) {
      checks.attachEditor(fakeEditor('').bridge)
      await checks.recheck()
    }
    const root = document.createElement('div')
    document.body.appendChild(root)
    const app = createApp(CheckPanel, { session, checks })
    app.mount(root)
    await nextTick()
    return { root, checks, app }
  }

  const q = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid=${id}]`)
  const rows = (root: HTMLElement) => Array.from(root.querySelectorAll<HTMLElement>('[data-testid=finding]'))

  it('says what keeps the item from sign-off, with counts, grouped by severity', async () => {
    const { root, app } = await mount([link(), misstatement(), idFinding(), halfwidth(), idFinding(60)], [], { live: true })
    const status = q(root, 'check-status')!
    expect(status.dataset.ready).toBe('false')
    expect(status.textContent).toContain('还不能送审：阻断 2，未处理错误 1')
    expect(Array.from(root.querySelectorAll('.check-group-title')).map((h) => h.textContent?.replace(/\s+/g, ''))).toEqual([
      '阻断2',
      '错误1',
      '警告1',
      '提示1',
    ])
    expect(rows(root).map((r) => [r.dataset.severity, r.dataset.rule])).toEqual([
      ['blocker', 'pii.resident_id'],
      ['blocker', 'pii.resident_id'],
      ['error', 'lexicon.misstatement'],
      ['warning', 'norms.halfwidth_punct'],
      ['info', 'links.external'],
    ])
    const [blocker, , error] = rows(root)
    expect(blocker!.textContent).toContain('中文说明 pii.resident_id')
    expect(blocker!.querySelector('mark')!.textContent).toBe(ID)
    expect(blocker!.textContent).toContain('11*************02X')
    expect(q(blocker!, 'apply-suggestion')!.textContent?.trim()).toBe('打码')
    // Blockers cannot be waived; errors can.
    expect(q(blocker!, 'waive-finding')).toBeNull()
    expect(q(error!, 'waive-finding')).not.toBeNull()
    expect(q(error!, 'apply-suggestion')!.textContent?.trim()).toBe('采用建议')
    expect(rows(root).every((r) => r.querySelector('.finding-note') === null)).toBe(true)
    app.unmount()
  })

  it('before the editor is checked, shows the stored findings without one-click fixes', async () => {
    const { root, app } = await mount([idFinding()])
    const [row] = rows(root)
    expect(row!.dataset.rule).toBe('pii.resident_id')
    expect(q(row!, 'apply-suggestion')).toBeNull()
    expect(q(root, 'check-status')!.dataset.ready).toBe('false')
    expect(row!.querySelector('.finding-note')).toBeNull()
    app.unmount()
  })

  it('says 可以送审 when only warnings are left, and shows waived errors with their reason', async () => {
    const f = misstatement()
    const { root, app } = await mount([f, halfwidth()], [waiver(f, '引用文件原标题')])
    const status = q(root, 'check-status')!
    expect(status.dataset.ready).toBe('true')
    expect(status.textContent).toContain('可以送审')
    const error = rows(root).find((r) => r.dataset.severity === 'error')!
    expect(error.textContent).toContain('已确认无误：引用文件原标题')
    expect(q(error, 'waive-finding')).toBeNull()
    app.unmount()
  })

  it('follows the interface language', async () => {
    const { root, app } = await mount([idFinding()])
    setLang('en')
    await nextTick()
    expect(q(root, 'check-status')!.textContent).toContain('Not ready for sign-off: blocking 1, unresolved errors 0')
    expect(rows(root)[0]!.textContent).toContain('English message pii.resident_id')
    app.unmount()
  })

  it('shows finding text as text, never as HTML', async () => {
    const evil = finding({ rule: 'lexicon.sensitive', severity: 'warning', matched: '<img src=x onerror=alert(1)>' })
    evil.message = { zh: '<b>粗</b>', en: '<b>bold</b>' }
    const { root, app } = await mount([evil])
    expect(root.querySelector('img')).toBeNull()
    expect(root.querySelector('.finding b')).toBeNull()
    expect(rows(root)[0]!.textContent).toContain('<img src=x onerror=alert(1)>')
    app.unmount()
  })

  it('asks for a reason before confirming an error', async () => {
    const f = misstatement()
    const { root, app } = await mount([f], [], { live: true })
    q(rows(root)[0]!, 'waive-finding')!.click()
    await nextTick()
    const confirm = q(root, 'waive-confirm') as HTMLButtonElement
    expect(confirm.disabled).toBe(true)
    const reason = q(root, 'waive-reason') as HTMLTextAreaElement
    reason.value = '引'
    reason.dispatchEvent(new Event('input'))
    await nextTick()
    expect(confirm.disabled).toBe(true)
    reason.value = '引用原文'
    reason.dispatchEvent(new Event('input'))
    await nextTick()
    expect(confirm.disabled).toBe(false)
    q(root, 'waive-cancel')!.click()
    await nextTick()
    expect(q(root, 'waive-dialog')).toBeNull()
    app.unmount()
  })

  it('has a stable key per finding', () => {
    expect(findingKey('live', idFinding(4))).toBe('live:body:4-22:pii.resident_id')
  })
})
