// The editor's visible text, as the check engine sees it, and the way back
// from offsets in that text to ProseMirror positions.
//
// `check_text` checks plain text and answers with UTF-16 offsets into exactly
// the string it was sent. JavaScript strings and ProseMirror text nodes both
// count UTF-16 code units, so inside one text node an offset in the plain
// text and a document position differ by a constant. The plain text is built
// block by block: every textblock (paragraph, heading, table cell paragraph,
// code block) contributes its text, blocks are separated by "\n", and a hard
// break inside a block is a "\n" too. Each text node becomes one segment
// (its offset in the plain text, its document position, its length), so an
// offset is mapped back by finding its segment.

import type { Node } from '@milkdown/kit/prose/model'

/** One text node: where it starts in the plain text and in the document. */
export interface Segment {
  /** Offset in the plain text (UTF-16 code units). */
  readonly text: number
  /** Document position of the node's first character. */
  readonly pos: number
  readonly length: number
}

export interface TextMap {
  readonly text: string
  /** In text order, which is also document order. */
  readonly segments: readonly Segment[]
}

const BREAKS = new Set(['hardbreak', 'hard_break'])

/** The document's visible text and where each piece of it is. */
export function docText(doc: Node): TextMap {
  const parts: string[] = []
  const segments: Segment[] = []
  let offset = 0
  let first = true
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    if (!first) {
      parts.push('\n')
      offset += 1
    }
    first = false
    node.forEach((child, childOffset) => {
      if (child.isText) {
        const text = child.text ?? ''
        segments.push({ text: offset, pos: pos + 1 + childOffset, length: text.length })
        parts.push(text)
        offset += text.length
      } else if (BREAKS.has(child.type.name)) {
        parts.push('\n')
        offset += 1
      }
    })
    return false
  })
  return { text: parts.join(''), segments }
}

/** Index of the last segment starting at or before `offset`, or -1. */
function segmentAt(segments: readonly Segment[], offset: number): number {
  let lo = 0
  let hi = segments.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (segments[mid]!.text <= offset) {
      found = mid
      lo = mid + 1
    } else {
      hi = mid - 1
    }
  }
  return found
}

/**
 * The document position of a plain-text offset. Offsets that fall between
 * blocks (on a separator) move to the next text for the start of a range
 * (`bias: 'start'`) and to the previous text for its end.
 */
export function textToPos(map: TextMap, offset: number, bias: 'start' | 'end'): number | null {
  const { segments } = map
  if (segments.length === 0) return null
  const i = segmentAt(segments, offset)
  if (i < 0) return bias === 'start' ? segments[0]!.pos : null
  const seg = segments[i]!
  const end = seg.text + seg.length
  if (offset < end || (offset === end && bias === 'end')) return seg.pos + (offset - seg.text)
  const next = segments[i + 1]
  if (offset === end && next && next.text === end) return next.pos
  if (bias === 'end') return seg.pos + seg.length
  return next ? next.pos : null
}

/** A plain-text range as document positions, or null when it covers no text. */
export function rangeToPos(map: TextMap, start: number, end: number): { from: number; to: number } | null {
  const from = textToPos(map, start, 'start')
  const to = textToPos(map, end, 'end')
  if (from === null || to === null || from >= to) return null
  return { from, to }
}
