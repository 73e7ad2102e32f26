// The check of one open item: findings while typing (`check_text` on the
// editor's visible text), the stored item's check with decisions
// (`check_item`), and the gate before sign-off (送审). Vue-reactive, but free
// of components; the editor is reached through a small bridge so this module
// never loads the editor chunk.
//
// Two sources, merged for the panel:
// - live: the title and the body as they are in the editor now. Exact
//   positions, so findings are highlighted and can be jumped to and fixed.
// - stored: the saved item, checked as Markdown with 内容概述 and 主题词 too,
//   and the decisions people made (keyed by fingerprint). Its summary and
//   keyword findings are always shown; its title/body findings only when the
//   saved item is what the editor shows and the live check did not see them
//   (text only present in the Markdown, such as a link address).
//
// The gate is worked out over the merged list with the rules of
// baosong_check::decision::gate; Rust applies the same gate again when the
// item is sent for sign-off.

import { computed, type ComputedRef, effectScope, type Ref, ref, type ShallowRef, shallowRef, watch } from 'vue'

import { type ApiError, asApiError, checkItem, checkText, decideFinding } from './api'
import type { CheckReport } from './bindings/CheckReport'
import type { Decision } from './bindings/Decision'
import type { Finding } from './bindings/Finding'
import type { GateStatus } from './bindings/GateStatus'
import type { ItemCheck } from './bindings/ItemCheck'
import type { Severity } from './bindings/Severity'
import type { CheckMark, CheckSnapshot } from './editor/checkPlugin'
import type { BodyEditor } from './editor/milkdown'
import { lang } from './i18n'
import { LiveCheck, type LiveCheckOptions } from './liveCheck'
import type { ItemSession } from './session'

/** Worst first, as the panel groups them. */
export const SEVERITIES: readonly Severity[] = ['blocker', 'error', 'warning', 'info']

/** Shortest reason for 确认无误, in characters (decision::MIN_REASON_CHARS). */
export const MIN_REASON_CHARS = 2

export type FindingSource = 'live' | 'stored'

/** One row of the check panel. */
export interface PanelFinding {
  /** Unique within the panel; also names the highlight in the editor. */
  key: string
  finding: Finding
  source: FindingSource
  /** The 确认无误 decision in force for it (errors only). */
  waiver: Decision | null
}

/** What the check panel needs of the body editor. */
export type CheckEditor = Pick<BodyEditor, 'checkSnapshot' | 'showChecks' | 'selectCheck' | 'applyCheck'>

export function findingKey(source: FindingSource, f: Finding): string {
  return `${source}:${f.field}:${f.span.utf16_start}-${f.span.utf16_end}:${f.rule}`
}

export function waiverFor(f: Finding, decisions: readonly Decision[]): Decision | null {
  if (f.severity !== 'error') return null
  return decisions.find((d) => d.kind === 'waived' && d.fingerprint === f.fingerprint) ?? null
}

/** Mirrors `baosong_check::decision::gate`. */
export function computeGate(findings: readonly Finding[], decisions: readonly Decision[]): GateStatus {
  const gate: GateStatus = { ready: false, blockers: 0, undecided_errors: 0, waived_errors: 0, warnings: 0, infos: 0 }
  for (const f of findings) {
    switch (f.severity) {
      case 'blocker':
        gate.blockers++
        break
      case 'error':
        if (waiverFor(f, decisions)) gate.waived_errors++
        else gate.undecided_errors++
        break
      case 'warning':
        gate.warnings++
        break
      case 'info':
        gate.infos++
        break
    }
  }
  gate.ready = gate.blockers === 0 && gate.undecided_errors === 0
  return gate
}

/**
 * The panel's findings: live ones for the title and body, the stored check's
 * for everything else, and stored title/body findings the live check does
 * not have when the stored item is what the editor shows (`storedInSync`).
 * Without a live report, the stored check alone.
 */
export function mergeFindings(
  live: CheckReport | null,
  stored: ItemCheck | null,
  storedInSync: boolean,
): PanelFinding[] {
  const decisions = stored?.decisions ?? []
  const out: PanelFinding[] = []
  const add = (source: FindingSource, finding: Finding): void => {
    out.push({ key: findingKey(source, finding), finding, source, waiver: waiverFor(finding, decisions) })
  }
  if (!live) {
    for (const f of stored?.report.findings ?? []) add('stored', f)
    return out
  }
  for (const f of live.findings) if (f.field === 'title' || f.field === 'body') add('live', f)
  const seen = new Set(live.findings.map((f) => f.fingerprint))
  for (const f of stored?.report.findings ?? []) {
    const liveField = f.field === 'title' || f.field === 'body'
    if (!liveField || (storedInSync && !seen.has(f.fingerprint))) add('stored', f)
  }
  return out
}

export interface SeverityGroup {
  severity: Severity
  findings: PanelFinding[]
}

/** Non-empty groups, worst first; within a group, title before body, then by position. */
export function groupBySeverity(findings: readonly PanelFinding[]): SeverityGroup[] {
  const fieldOrder = { title: 0, summary: 1, keywords: 2, body: 3, attachment: 4 } as const
  return SEVERITIES.map((severity) => ({
    severity,
    findings: findings
      .filter((p) => p.finding.severity === severity)
      .sort(
        (a, b) =>
          fieldOrder[a.finding.field] - fieldOrder[b.finding.field] ||
          a.finding.span.utf16_start - b.finding.span.utf16_start,
      ),
  })).filter((g) => g.findings.length > 0)
}

/** The excerpt split around the matched text, for emphasis without HTML. */
export function splitExcerpt(f: Pick<Finding, 'excerpt' | 'matched'>): { before: string; match: string; after: string } {
  const at = f.matched === '' ? -1 : f.excerpt.indexOf(f.matched)
  if (at < 0) return { before: f.excerpt, match: '', after: '' }
  return { before: f.excerpt.slice(0, at), match: f.matched, after: f.excerpt.slice(at + f.matched.length) }
}

/** Whether a finding can be jumped to. */
export function canLocate(p: PanelFinding): boolean {
  return p.source === 'live' && (p.finding.field === 'body' || p.finding.field === 'title')
}

/** Whether the panel offers one-click replacement. */
export function canApply(p: PanelFinding): boolean {
  if (p.finding.suggestion === null || p.finding.suggestion === p.finding.matched) return false
  if (p.source === 'live') return p.finding.field === 'body' || p.finding.field === 'title'
  return p.finding.field === 'summary'
}

/** Whether the panel offers 确认无误: undecided errors only. */
export function canWaive(p: PanelFinding): boolean {
  return p.finding.severity === 'error' && p.waiver === null
}

interface LiveSnapshot {
  title: string
  body: CheckSnapshot
}

export interface ItemChecksOptions {
  live?: Pick<LiveCheckOptions<unknown, unknown>, 'delayMs' | 'maxWaitMs'>
}

/** Replaces `[start, end)` of `text` when it still reads `expected`. */
function replaceIn(text: string, start: number, end: number, expected: string, replacement: string): string | null {
  if (text.slice(start, end) !== expected) return null
  return text.slice(0, start) + replacement + text.slice(end)
}

export class ItemChecks {
  /** The latest check of the editor's text. */
  readonly live: ShallowRef<CheckReport | null> = shallowRef(null)
  /** The latest check of the stored item, with decisions and gate. */
  readonly stored: ShallowRef<ItemCheck | null> = shallowRef(null)
  /** A check of the editor's text is waiting or under way. */
  readonly checking: Ref<boolean> = ref(false)
  readonly error: ShallowRef<ApiError | null> = shallowRef(null)
  /** The finding last selected (in the panel or by clicking its highlight). */
  readonly activeKey: Ref<string | null> = ref(null)
  /** Bumped when something wants the check panel on show. */
  readonly panelRequests: Ref<number> = ref(0)
  readonly findings: ComputedRef<PanelFinding[]>
  readonly groups: ComputedRef<SeverityGroup[]>
  readonly gate: ComputedRef<GateStatus>
  /** Whether the stored item's check has come in (until then the gate is unknown). */
  readonly known: ComputedRef<boolean>

  private readonly session: ItemSession
  private readonly storedRevision = ref(-1)
  private readonly liveCheck: LiveCheck<LiveSnapshot, CheckReport>
  private readonly scope = effectScope(true)
  private editor: CheckEditor | null = null
  private titleFocus: ((start: number, end: number) => void) | null = null
  private storedSeq = 0
  private disposed = false

  constructor(session: ItemSession, options: ItemChecksOptions = {}) {
    this.session = session
    this.liveCheck = new LiveCheck<LiveSnapshot, CheckReport>({
      ...options.live,
      snapshot: () => (this.editor ? { title: session.content.title, body: this.editor.checkSnapshot() } : null),
      run: (snap) => checkText(snap.title, snap.body.text),
      apply: (snap, report) => {
        this.live.value = report
        this.error.value = null
        this.checking.value = this.liveCheck.pending
        this.showMarks(snap, report)
      },
      onError: (error) => {
        this.error.value = asApiError(error, 'check_text')
        this.checking.value = this.liveCheck.pending
      },
    })
    const { findings, groups, gate, known } = this.scope.run(() => {
      const known = computed(() => this.stored.value !== null)
      const inSync = computed(
        () => this.storedRevision.value === session.view.value.item.revision && !session.dirty.value,
      )
      const findings = computed(() => mergeFindings(this.live.value, this.stored.value, inSync.value))
      const groups = computed(() => groupBySeverity(findings.value))
      const gate = computed(() =>
        computeGate(
          findings.value.map((p) => p.finding),
          this.stored.value?.decisions ?? [],
        ),
      )
      // Tooltips are in the interface language; a waiver changes how a highlight looks.
      const waived = computed(() =>
        (this.stored.value?.decisions ?? [])
          .filter((d) => d.kind === 'waived')
          .map((d) => d.fingerprint)
          .join('\n'),
      )
      watch([lang, waived], () => void this.liveCheck.now())
      return { findings, groups, gate, known }
    })!
    this.known = known
    this.findings = findings
    this.groups = groups
    this.gate = gate
  }

  /** The body editor is ready: check its text now and keep it highlighted. */
  attachEditor(editor: CheckEditor): void {
    this.editor = editor
    void this.liveCheck.now()
  }

  detachEditor(): void {
    this.editor = null
  }

  /** How to select a range of the title input. */
  attachTitle(focus: (start: number, end: number) => void): void {
    this.titleFocus = focus
  }

  /** Title or body changed: check again once typing pauses. */
  changed(): void {
    if (this.disposed || !this.editor) return
    this.checking.value = true
    this.liveCheck.change()
  }

  /** Checks the editor's text now. */
  recheck(): Promise<void> {
    return this.liveCheck.now()
  }

  /** Loads the stored item's check (after every save, and when opened). */
  async refresh(): Promise<void> {
    const mine = ++this.storedSeq
    const revision = this.session.view.value.item.revision
    try {
      const result = await checkItem(this.session.id)
      if (this.disposed || mine !== this.storedSeq) return
      this.stored.value = result
      this.storedRevision.value = revision
    } catch (error) {
      if (!this.disposed && mine === this.storedSeq) this.error.value = asApiError(error, 'check_item')
    }
  }

  openPanel(): void {
    this.panelRequests.value++
  }

  /** Selects the finding in the editor (or the title field) and scrolls to it. */
  select(p: PanelFinding): boolean {
    this.activeKey.value = p.key
    if (!canLocate(p)) return false
    if (p.finding.field === 'title') {
      this.titleFocus?.(p.finding.span.utf16_start, p.finding.span.utf16_end)
      return this.titleFocus !== null
    }
    return this.editor?.selectCheck(p.key) ?? false
  }

  /**
   * Puts the suggestion (correction or mask) in place of the finding. False
   * when the text there has changed since the check; a new check then runs.
   */
  apply(p: PanelFinding): boolean {
    const f = p.finding
    if (!canApply(p) || !this.session.editable || f.suggestion === null) return false
    let done = false
    if (p.source === 'live' && f.field === 'body') {
      // Goes through a ProseMirror transaction: the editor reports the change
      // and autosave stores it.
      done = this.editor?.applyCheck(p.key, f.suggestion, f.matched) ?? false
    } else if (f.field === 'title' || f.field === 'summary') {
      const c = this.session.content
      const next = replaceIn(c[f.field], f.span.utf16_start, f.span.utf16_end, f.matched, f.suggestion)
      if (next !== null) {
        c[f.field] = next
        this.session.change()
        this.changed()
        done = true
      }
    }
    if (done) {
      this.drop(p)
    } else {
      void this.liveCheck.now()
    }
    return done
  }

  /**
   * 确认无误: stores pending edits (the decision is about the stored item),
   * then records the waiver. Rejects with the Rust error when refused.
   */
  async waive(p: PanelFinding, reason: string): Promise<void> {
    if (!(await this.session.flush())) {
      throw this.session.saveError.value ?? asApiError('save failed', 'save_item')
    }
    const revision = this.session.view.value.item.revision
    const result = await decideFinding(this.session.id, p.finding.fingerprint, 'waived', reason.trim())
    if (this.disposed) return
    this.storedSeq++
    this.stored.value = result
    this.storedRevision.value = revision
  }

  dispose(): void {
    this.disposed = true
    this.storedSeq++
    this.liveCheck.dispose()
    this.scope.stop()
    this.editor = null
    this.titleFocus = null
  }

  /** Removes a fixed finding at once (the next check confirms it). */
  private drop(p: PanelFinding): void {
    if (p.source === 'live' && this.live.value) {
      const report = this.live.value
      this.live.value = { ...report, findings: report.findings.filter((f) => findingKey('live', f) !== p.key) }
    } else if (p.source === 'stored' && this.stored.value) {
      const check = this.stored.value
      const findings = check.report.findings.filter((f) => findingKey('stored', f) !== p.key)
      this.stored.value = { ...check, report: { ...check.report, findings } }
    }
  }

  private showMarks(snap: LiveSnapshot, report: CheckReport): void {
    if (!this.editor) return
    const decisions = this.stored.value?.decisions ?? []
    const en = lang.value === 'en'
    const marks: CheckMark[] = report.findings
      .filter((f) => f.field === 'body')
      .map((f) => ({
        key: findingKey('live', f),
        start: f.span.utf16_start,
        end: f.span.utf16_end,
        severity: f.severity,
        rule: f.rule,
        title: en ? f.message.en : f.message.zh,
        waived: waiverFor(f, decisions) !== null,
      }))
    this.editor.showChecks(snap.body, marks)
  }
}
