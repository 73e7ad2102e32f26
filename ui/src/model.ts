// Small helpers over the generated item types. The types themselves come from
// Rust (src/bindings, ts-rs); nothing here redefines them.

import type { ActionKind } from './bindings/ActionKind'
import type { DisclosureKind } from './bindings/DisclosureKind'
import type { ItemContent } from './bindings/ItemContent'
import type { ItemState } from './bindings/ItemState'
import type { Urgency } from './bindings/Urgency'
import type { Validity } from './bindings/Validity'

/** Every state, in workflow order (mirrors `ItemState::ALL`). */
export const ITEM_STATES: readonly ItemState[] = [
  'draft',
  'awaiting_signoff',
  'signed_off',
  'queued',
  'submitted',
  'in_review',
  'adopted',
  'published',
  'returned',
  'not_adopted',
  'withdrawn',
]

export const URGENCIES: readonly Urgency[] = ['normal', 'urgent']
export const DISCLOSURE_KINDS: readonly DisclosureKind[] = ['proactive', 'on_request', 'withheld']
export const VALIDITIES: readonly Validity[] = ['valid', 'amended', 'repealed']

/**
 * The workflow actions offered in the editor: 送审 (the 送审 dialog:
 * `send_for_review`), 报送 (the outbox: `submit_item`, never `apply_action`)
 * and 撤回. 签发 and 退回修改 are the head's, on the review screen (待我签发).
 */
export const AUTHOR_ACTIONS: readonly ActionKind[] = ['send_for_signoff', 'queue', 'withdraw']

/** Actions that need an explicit "are you sure". */
export const CONFIRMED_ACTIONS: readonly ActionKind[] = ['withdraw']

/** Recommended upper length of 内容概述; localities differ (100–300), so this only warns. */
export const SUMMARY_SOFT_LIMIT = 300

export function emptyContent(): ItemContent {
  return {
    title: '',
    column: { id: '', name: '' },
    body: '',
    summary: '',
    author: '',
    author_phone: '',
    source_unit: '',
    keywords: [],
    urgency: 'normal',
    attachments: [],
    disclosure: {
      kind: 'proactive',
      withheld_reason: '',
      doc_number: '',
      written_date: null,
      topic_category: '',
      genre_category: '',
      validity: 'valid',
    },
  }
}

/** A deep copy (the content is plain JSON). */
export function cloneContent(content: ItemContent): ItemContent {
  return JSON.parse(JSON.stringify(content)) as ItemContent
}

/**
 * 主题词 as typed: separated by commas (half or full width), 、, semicolons
 * or whitespace. Empty entries and duplicates are dropped, order is kept.
 */
export function parseKeywords(text: string): string[] {
  const out: string[] = []
  for (const part of text.split(/[,，、;；\s]+/u)) {
    const word = part.trim()
    if (word !== '' && !out.includes(word)) out.push(word)
  }
  return out
}

export function formatKeywords(keywords: readonly string[]): string {
  return keywords.join('、')
}

/** Characters as a person counts them (a CJK character or an emoji is one). */
export function charCount(text: string): number {
  return Array.from(text).length
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/**
 * A timestamp for the item list and history, in local time: `HH:mm` today,
 * `MM-DD HH:mm` this year, `YYYY-MM-DD` before.
 */
export function formatTime(iso: string, now: Date = new Date()): string {
  const t = new Date(iso)
  if (Number.isNaN(t.getTime())) return iso
  const hm = `${pad(t.getHours())}:${pad(t.getMinutes())}`
  const sameYear = t.getFullYear() === now.getFullYear()
  if (sameYear && t.getMonth() === now.getMonth() && t.getDate() === now.getDate()) return hm
  if (sameYear) return `${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${hm}`
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`
}

/** Full local date and time, for tooltips and the history list. */
export function formatDateTime(iso: string): string {
  const t = new Date(iso)
  if (Number.isNaN(t.getTime())) return iso
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}`
}
