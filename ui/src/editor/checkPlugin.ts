// Check findings as inline highlights in the body editor (a ProseMirror
// plugin with decorations), and the few edits the check panel asks for:
// select a finding, replace it with its suggestion.
//
// A check runs on a snapshot of the document (its plain text, see
// checkText.ts) while the person may go on typing. The plugin follows every
// change made after the latest snapshot, so when its findings come back they
// are placed on the snapshot's document and then mapped through those
// changes onto the document as it is now. A result for an older snapshot is
// not shown (the caller also discards it by sequence number).

import type { Node } from '@milkdown/kit/prose/model'
import { type EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@milkdown/kit/prose/state'
import { Mapping } from '@milkdown/kit/prose/transform'
import { Decoration, DecorationSet, type EditorView } from '@milkdown/kit/prose/view'

import { docText, rangeToPos, type TextMap } from './checkText'

/** A finding to highlight, by its UTF-16 offsets in a snapshot's text. */
export interface CheckMark {
  /** Identifies the finding for select/replace. */
  key: string
  start: number
  end: number
  severity: string
  rule: string
  /** Tooltip (set as an attribute, never parsed as HTML). */
  title: string
  /** An error someone confirmed (确认无误): shown quietly. */
  waived: boolean
}

/** The document's text at one moment, for one check. */
export interface CheckSnapshot extends TextMap {
  readonly doc: Node
}

interface MarkSpec {
  key: string
  inclusiveStart: false
  inclusiveEnd: false
}

type Meta = { kind: 'set'; set: DecorationSet } | { kind: 'remove'; key: string }

export const checkPluginKey = new PluginKey<DecorationSet>('BAOSONG_CHECK')

/** Builds the decorations for `marks` on `map`'s document. */
export function buildDecorations(doc: Node, map: TextMap, marks: readonly CheckMark[]): DecorationSet {
  const decorations: Decoration[] = []
  for (const mark of marks) {
    const range = rangeToPos(map, mark.start, mark.end)
    if (!range || range.to > doc.content.size) continue
    const classes = ['check-mark', `check-${mark.severity}`]
    if (mark.waived) classes.push('check-waived')
    decorations.push(
      Decoration.inline(
        range.from,
        range.to,
        {
          class: classes.join(' '),
          'data-testid': 'check-highlight',
          'data-rule': mark.rule,
          'data-severity': mark.severity,
          'data-key': mark.key,
          title: mark.title,
        },
        { key: mark.key, inclusiveStart: false, inclusiveEnd: false } satisfies MarkSpec,
      ),
    )
  }
  return DecorationSet.create(doc, decorations)
}

function findKey(set: DecorationSet, key: string): Decoration[] {
  return set.find(undefined, undefined, (spec) => (spec as Partial<MarkSpec>).key === key)
}

/** The document range a highlight covers now. */
export function markRange(state: EditorState, key: string): { from: number; to: number } | null {
  const set = checkPluginKey.getState(state)
  if (!set) return null
  const found = findKey(set, key)
  if (found.length === 0) return null
  let from = Infinity
  let to = -Infinity
  for (const d of found) {
    from = Math.min(from, d.from)
    to = Math.max(to, d.to)
  }
  return from < to ? { from, to } : null
}

export interface CheckHighlighter {
  plugin: Plugin
  /** The text to check now; starts following changes from here. */
  snapshot(view: EditorView): CheckSnapshot
  /** Shows findings computed on `snapshot`; false when a newer snapshot exists. */
  show(view: EditorView, snapshot: CheckSnapshot, marks: readonly CheckMark[]): boolean
  /** Selects a highlighted finding and scrolls to it. */
  select(view: EditorView, key: string): boolean
  /**
   * Replaces a highlighted finding with `text`, provided it still reads
   * `expected` (else nothing changes). Undoable like typing.
   */
  replace(view: EditorView, key: string, text: string, expected: string): boolean
}

export function createCheckHighlighter(onClick?: (key: string) => void): CheckHighlighter {
  // The latest snapshot and the changes made since it.
  let current: CheckSnapshot | null = null
  let since = new Mapping()
  let sinceDoc: Node | null = null
  // The text of the last document a snapshot was made of, reused while it is unchanged.
  let cached: CheckSnapshot | null = null

  const plugin = new Plugin<DecorationSet>({
    key: checkPluginKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr: Transaction, set: DecorationSet): DecorationSet {
        if (tr.docChanged && sinceDoc === tr.before) {
          since.appendMapping(tr.mapping)
          sinceDoc = tr.doc
        }
        const meta = tr.getMeta(checkPluginKey) as Meta | undefined
        if (meta?.kind === 'set') return meta.set
        let next = tr.docChanged ? set.map(tr.mapping, tr.doc) : set
        if (meta?.kind === 'remove') next = next.remove(findKey(next, meta.key))
        return next
      },
    },
    props: {
      decorations(state) {
        return checkPluginKey.getState(state)
      },
      handleClick(view, pos) {
        if (!onClick) return false
        const set = checkPluginKey.getState(view.state)
        const hit = set?.find(pos, pos, (spec) => typeof (spec as Partial<MarkSpec>).key === 'string')[0]
        if (hit) onClick((hit.spec as MarkSpec).key)
        // Let ProseMirror place the cursor as usual.
        return false
      },
    },
  })

  return {
    plugin,
    snapshot(view) {
      const doc = view.state.doc
      if (!cached || cached.doc !== doc) cached = { ...docText(doc), doc }
      current = cached
      since = new Mapping()
      sinceDoc = doc
      return current
    },
    show(view, snapshot, marks) {
      if (snapshot !== current || sinceDoc !== view.state.doc) return false
      let set = buildDecorations(snapshot.doc, snapshot, marks)
      if (since.maps.length > 0) set = set.map(since, view.state.doc)
      const meta: Meta = { kind: 'set', set }
      view.dispatch(view.state.tr.setMeta(checkPluginKey, meta).setMeta('addToHistory', false))
      return true
    },
    select(view, key) {
      const range = markRange(view.state, key)
      if (!range) return false
      const tr = view.state.tr.setSelection(TextSelection.create(view.state.doc, range.from, range.to)).scrollIntoView()
      view.dispatch(tr)
      view.focus()
      return true
    },
    replace(view, key, text, expected) {
      if (!view.editable) return false
      const range = markRange(view.state, key)
      if (!range) return false
      const now = view.state.doc.textBetween(range.from, range.to, '\n')
      if (now !== expected) return false
      const meta: Meta = { kind: 'remove', key }
      const tr = view.state.tr.insertText(text, range.from, range.to).setMeta(checkPluginKey, meta)
      tr.setSelection(TextSelection.create(tr.doc, range.from + text.length)).scrollIntoView()
      view.dispatch(tr)
      return true
    },
  }
}
