// A rough stand-in for the Rust check engine (crates/baosong-check), for the
// fake backend only (`vite --mode fake`): a handful of regular expressions so
// the check panel, highlights, masking, 确认无误 and the sign-off gate can be
// looked at in a plain browser. It imitates the shapes of the real reports,
// not the real detection (no region table, no lexicon files, no context).

import type { CheckReport } from '../bindings/CheckReport'
import type { Decision } from '../bindings/Decision'
import type { Detector } from '../bindings/Detector'
import type { Field } from '../bindings/Field'
import type { Finding } from '../bindings/Finding'
import type { Severity } from '../bindings/Severity'

interface Rule {
  detector: Detector
  rule: string
  severity: Severity
  re: RegExp
  /** Extra validation of a match. */
  valid?: (m: string) => boolean
  suggest: (m: string) => string | null
  zh: string
  en: string
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** GB 11643 check character. */
function residentIdValid(id: string): boolean {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase()
}

const MISSTATEMENTS: [string, string][] = [
  ['中华人民共合国', '中华人民共和国'],
  ['扫黑险恶', '扫黑除恶'],
  ['攻府', '政府'],
  ['新型冠状病毒感染的肺炎', '新型冠状病毒感染'],
]

const RULES: Rule[] = [
  {
    detector: 'marking',
    rule: 'marking.level',
    severity: 'blocker',
    re: /(?:绝密|机密|秘密)\s*★/gu,
    suggest: () => null,
    zh: '密级标志：涉密内容严禁在互联网发布',
    en: 'Classification marking: classified content must never be published',
  },
  {
    detector: 'marking',
    rule: 'marking.internal',
    severity: 'blocker',
    re: /内部(?:文件|资料)|注意保密|不得外传/gu,
    suggest: () => null,
    zh: '内部标志：内部文件不得公开发布',
    en: 'Internal marking: internal documents must not be published',
  },
  {
    detector: 'pii',
    rule: 'pii.resident_id',
    severity: 'blocker',
    re: /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/gu,
    valid: residentIdValid,
    suggest: (m) => `${m.slice(0, 2)}${'*'.repeat(13)}${m.slice(15)}`,
    zh: '居民身份证号码，发布前必须打码',
    en: 'Resident ID number: mask it before publishing',
  },
  {
    detector: 'pii',
    rule: 'pii.mobile',
    severity: 'blocker',
    re: /(?<!\d)1[3-9]\d{9}(?!\d)/gu,
    suggest: (m) => `${m.slice(0, 3)}****${m.slice(7)}`,
    zh: '手机号码，发布前必须打码（如 138****1234）',
    en: 'Mobile number: mask it before publishing (e.g. 138****1234)',
  },
  ...MISSTATEMENTS.map(
    ([wrong, right]): Rule => ({
      detector: 'lexicon',
      rule: 'lexicon.misstatement',
      severity: 'error',
      re: new RegExp(wrong, 'gu'),
      suggest: () => right,
      zh: `严重表述错误：“${wrong}”应为“${right}”`,
      en: `Serious misstatement: '${wrong}' should be '${right}'`,
    }),
  ),
  {
    detector: 'norms',
    rule: 'norms.halfwidth_punct',
    severity: 'warning',
    re: /(?<=[\u4e00-\u9fff])[,;:?!](?=[\u4e00-\u9fff])/gu,
    suggest: (m) => ({ ',': '，', ';': '；', ':': '：', '?': '？', '!': '！' })[m] ?? null,
    zh: '中文句子中使用了半角标点',
    en: 'Half-width punctuation in a Chinese sentence',
  },
  {
    detector: 'links',
    rule: 'links.external',
    severity: 'info',
    re: /https?:\/\/[^\s<>()（）"“”，。]+/gu,
    suggest: () => null,
    zh: '外部链接：发布前请确认可以访问、内容合适',
    en: 'External link: check that it works and is appropriate',
  },
]

const encoder = new TextEncoder()

function bytes(text: string): number {
  return encoder.encode(text).length
}

function scan(field: Field, text: string, out: Finding[]): void {
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.re)) {
      const matched = m[0]
      if (rule.valid && !rule.valid(matched)) continue
      const start = m.index
      const end = start + matched.length
      const before = text.slice(0, start)
      const lines = before.split('\n')
      out.push({
        detector: rule.detector,
        rule: rule.rule,
        severity: rule.severity,
        field,
        span: {
          start: bytes(before),
          end: bytes(before) + bytes(matched),
          utf16_start: start,
          utf16_end: end,
          line: lines.length,
          column: Array.from(lines[lines.length - 1]!).length + 1,
        },
        matched,
        excerpt: text.slice(Math.max(0, start - 12), end + 12).replace(/\s+/gu, ' '),
        message: { zh: rule.zh, en: rule.en },
        suggestion: rule.suggest(matched),
        fingerprint: `${rule.rule}:${matched.toLowerCase()}`,
      })
    }
  }
}

/** Strips the Markdown the editor writes, roughly (character references, markers). */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/&#x([0-9a-f]+);/giu, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/gu, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/[*_~`]+/gu, '')
}

export function fakeCheck(fields: Partial<Record<Field, string>>): CheckReport {
  const findings: Finding[] = []
  for (const field of ['title', 'summary', 'keywords', 'body'] as const) {
    const text = fields[field]
    if (text) scan(field, text, findings)
  }
  findings.sort(
    (a, b) =>
      ['title', 'summary', 'keywords', 'body'].indexOf(a.field) - ['title', 'summary', 'keywords', 'body'].indexOf(b.field) ||
      a.span.utf16_start - b.span.utf16_start,
  )
  const hash = Array.from(encoder.encode(JSON.stringify(fields)).slice(0, 32), (b) => b.toString(16).padStart(2, '0')).join('')
  return {
    content_hash: hash,
    engine_version: '0.0.0-fake',
    lexicons: [{ name: 'fake', version: '0', entries: MISSTATEMENTS.length }],
    findings,
  }
}

/** Same rules as baosong_check::decision::validate; null when allowed. */
export function refuseDecision(finding: Finding, kind: Decision['kind'], reason: string | null): { zh: string; en: string } | null {
  if (kind === 'fixed') return null
  if (finding.severity === 'blocker') {
    return { zh: '阻断级问题不能确认放行，必须修改或打码', en: 'a blocker cannot be waived; fix or mask it' }
  }
  if (finding.severity !== 'error') {
    return { zh: '只有“错误”级问题需要确认；警告和提示无需决定', en: 'only errors can be confirmed' }
  }
  if (Array.from((reason ?? '').trim()).length < 2) {
    return { zh: '确认无误需要填写理由', en: 'confirming a finding needs a written reason' }
  }
  return null
}
