// The body editor: Milkdown (ProseMirror underneath) with the CommonMark and
// GFM presets.
//
// Why Milkdown and not TipTap: the stored format is GFM Markdown, and
// Milkdown's document model *is* the Markdown syntax tree — it parses and
// serialises through remark + remark-gfm, the reference GFM implementation,
// so tables, strikethrough, task lists, footnotes, autolinks, nested lists
// and headings round-trip by construction. TipTap's Markdown support is an
// add-on that maps an HTML-shaped schema onto Markdown after the fact;
// tables, task lists and footnotes go through extra extensions whose
// Markdown output has to be kept in step by hand. (The project's Rust side
// renders with comrak, also a GFM implementation, so both ends agree.)
//
// Change notification does not use the listener plugin's `markdownUpdated`:
// it is debounced by 200 ms inside Milkdown and cancelled when the editor is
// destroyed, so the last keystrokes before switching items would be lost. A
// tiny ProseMirror plugin reports every document change at once instead, and
// the Markdown is serialised only when it is actually needed (saving,
// preview), which also keeps typing cheap on a slow PC. The listener plugin
// still supplies blur, on which the pending save is flushed.

import {
  defaultValueCtx,
  Editor,
  editorViewCtx,
  editorViewOptionsCtx,
  remarkStringifyOptionsCtx,
  rootCtx,
  serializerCtx,
} from '@milkdown/kit/core'
import { history, redoCommand, undoCommand } from '@milkdown/kit/plugin/history'
import { listener, listenerCtx } from '@milkdown/kit/plugin/listener'
import {
  commonmark,
  remarkPreserveEmptyLinePlugin,
  toggleEmphasisCommand,
  toggleStrongCommand,
  wrapInBulletListCommand,
  wrapInHeadingCommand,
  wrapInOrderedListCommand,
} from '@milkdown/kit/preset/commonmark'
import { gfm, insertTableCommand } from '@milkdown/kit/preset/gfm'
import { redoDepth, undoDepth } from '@milkdown/kit/prose/history'
import type { EditorState } from '@milkdown/kit/prose/state'
import { Plugin, PluginKey } from '@milkdown/kit/prose/state'
import type { EditorView } from '@milkdown/kit/prose/view'
import { $prose, $remark, callCommand } from '@milkdown/kit/utils'

import './frozenPrototype'

import { type CheckMark, type CheckSnapshot, createCheckHighlighter } from './checkPlugin'
import { cleanPastedHtml } from './wordPaste'

/** What the toolbar shows as active at the cursor. */
export interface FormatState {
  /** 0 for a paragraph, 1–6 for a heading, -1 for anything else. */
  block: number
  bold: boolean
  italic: boolean
  bulletList: boolean
  orderedList: boolean
  canUndo: boolean
  canRedo: boolean
}

export type EditorCommand =
  | { kind: 'heading'; level: number }
  | { kind: 'bold' }
  | { kind: 'italic' }
  | { kind: 'bulletList' }
  | { kind: 'orderedList' }
  | { kind: 'table' }
  | { kind: 'undo' }
  | { kind: 'redo' }

export interface BodyEditorOptions {
  markdown: string
  editable: boolean
  placeholder: string
  label: string
  /** Called synchronously on every document change. */
  onChange?: () => void
  /** Called when the cursor or formatting at the cursor changes. */
  onFormat?: (state: FormatState) => void
  onBlur?: () => void
  /** A check highlight was clicked (its finding's key). */
  onCheckClick?: (key: string) => void
}

export interface BodyEditor {
  /** The document as GFM Markdown. */
  getMarkdown(): string
  run(command: EditorCommand): void
  setEditable(editable: boolean): void
  setLabels(placeholder: string, label: string): void
  focus(): void
  /** Runs HTML through the paste path, as if pasted at the cursor. */
  pasteHtml(html: string): void
  /** The visible text to check now (see editor/checkText.ts). */
  checkSnapshot(): CheckSnapshot
  /** Highlights findings computed on `snapshot`; false when it is outdated. */
  showChecks(snapshot: CheckSnapshot, marks: readonly CheckMark[]): boolean
  /** Selects and scrolls to a highlighted finding. */
  selectCheck(key: string): boolean
  /** Replaces a highlighted finding that still reads `expected` with `text`. */
  applyCheck(key: string, text: string, expected: string): boolean
  destroy(): Promise<void>
}

const watchKey = new PluginKey('BAOSONG_WATCH')

// Milkdown keeps empty paragraphs by writing `<br />` lines into the Markdown.
// The portal wants no blank paragraphs, and empty table cells should stay
// empty, so that plugin is left out: blank lines fold as in any Markdown.
const preserveEmptyLine: unknown[] = [remarkPreserveEmptyLinePlugin, ...remarkPreserveEmptyLinePlugin]
const commonmarkPreset = commonmark.filter((plugin) => !preserveEmptyLine.includes(plugin))

// Pictures placed in the body (`![说明](attachment:<sha256>)`, from a Word
// import or the 附件 tab) must survive the editor. Milkdown 7.22's image node
// requires a string title, but remark gives `null` when the Markdown has none,
// so ProseMirror refuses the node and the picture silently vanished from the
// draft on the first save. Giving every image an empty title keeps it; the
// serialiser writes no title for an empty one.
interface MdastNode {
  type: string
  title?: string | null
  children?: MdastNode[]
}

function fillImageTitles(node: MdastNode): void {
  if ((node.type === 'image' || node.type === 'imageReference') && node.title == null) node.title = ''
  node.children?.forEach(fillImageTitles)
}

const imageTitles = $remark('baosongImageTitles', () => () => (tree: unknown) => {
  fillImageTitles(tree as MdastNode)
})

/**
 * Shows a placed picture from the local store: `attachment:<sha256>` is
 * served by the app as `picture://localhost/<sha256>` (see
 * src-tauri/src/pictures.rs). Any other address is shown as its alt text:
 * the CSP loads no remote images.
 */
export function pictureSrc(src: string): string | null {
  const m = /^attachment:([0-9a-f]{64})$/.exec(src)
  if (!m) return null
  const windows = typeof navigator !== 'undefined' && /Windows/.test(navigator.userAgent)
  return windows ? `http://picture.localhost/${m[1]}` : `picture://localhost/${m[1]}`
}

const pictureView = $prose(
  () =>
    new Plugin({
      key: new PluginKey('BAOSONG_PICTURES'),
      props: {
        nodeViews: {
          image: (node) => {
            const img = document.createElement('img')
            const src = pictureSrc(String(node.attrs.src ?? ''))
            if (src) img.src = src
            img.alt = String(node.attrs.alt ?? '')
            img.className = 'body-picture'
            img.dataset.ref = String(node.attrs.src ?? '')
            return { dom: img }
          },
        },
      },
    }),
)

function isEmptyDoc(state: EditorState): boolean {
  const { doc } = state
  return doc.childCount === 1 && doc.firstChild!.isTextblock && doc.firstChild!.content.size === 0
}

function formatState(state: EditorState): FormatState {
  const { $from, empty, from, to } = state.selection
  const parent = $from.parent
  let block = -1
  if (parent.type.name === 'paragraph') block = 0
  else if (parent.type.name === 'heading') block = Number(parent.attrs.level) || 1
  const markActive = (name: string): boolean => {
    const type = state.schema.marks[name]
    if (!type) return false
    if (empty) return type.isInSet(state.storedMarks ?? $from.marks()) !== undefined
    return state.doc.rangeHasMark(from, to, type)
  }
  let bulletList = false
  let orderedList = false
  for (let d = $from.depth; d > 0; d--) {
    const name = $from.node(d).type.name
    if (name === 'bullet_list') {
      bulletList = true
      break
    }
    if (name === 'ordered_list') {
      orderedList = true
      break
    }
  }
  return {
    block,
    bold: markActive('strong'),
    italic: markActive('emphasis'),
    bulletList,
    orderedList,
    canUndo: Number(undoDepth(state)) > 0,
    canRedo: Number(redoDepth(state)) > 0,
  }
}

export async function createBodyEditor(root: HTMLElement, options: BodyEditorOptions): Promise<BodyEditor> {
  let editable = options.editable
  let placeholder = options.placeholder
  let label = options.label

  const attributes = (): Record<string, string> => ({
    'aria-label': label,
    'aria-multiline': 'true',
    role: 'textbox',
    'data-placeholder': placeholder,
    spellcheck: 'false',
    class: 'body-prose',
  })

  const watch = $prose(
    () =>
      new Plugin({
        key: watchKey,
        view: (view) => {
          view.dom.classList.toggle('is-empty', isEmptyDoc(view.state))
          options.onFormat?.(formatState(view.state))
          return {
            update: (v: EditorView, prev: EditorState) => {
              if (!v.state.doc.eq(prev.doc)) {
                v.dom.classList.toggle('is-empty', isEmptyDoc(v.state))
                options.onChange?.()
              }
              if (!v.state.doc.eq(prev.doc) || !v.state.selection.eq(prev.selection) || v.state.storedMarks !== prev.storedMarks) {
                options.onFormat?.(formatState(v.state))
              }
            },
          }
        },
      }),
  )

  const highlighter = createCheckHighlighter(options.onCheckClick)
  const checks = $prose(() => highlighter.plugin)

  const editor = await Editor.make()
    .config((ctx) => {
      ctx.set(rootCtx, root)
      ctx.set(defaultValueCtx, options.markdown)
      ctx.update(remarkStringifyOptionsCtx, (prev) => {
        // Milkdown replaces remark's strong/emphasis writers to keep the
        // original marker (`__` or `**`). Remark's own ones are needed for
        // Chinese: `学习**《条例》**精神` is not bold in CommonMark (a run of
        // ** between a letter and punctuation does not open), and remark's
        // writers fix that by writing a neighbouring character as a
        // character reference (`学&#x4E60;**《条例》**…`), which every
        // CommonMark renderer, comrak included, reads as intended.
        const { strong: _strong, emphasis: _emphasis, ...handlers } = prev.handlers ?? {}
        // "-" bullets, as most GFM is written.
        return { ...prev, handlers, bullet: '-' as const, strong: '*' as const, emphasis: '*' as const }
      })
      ctx.update(editorViewOptionsCtx, (prev) => ({
        ...prev,
        editable: () => editable,
        attributes,
        // Word and WPS paste: see wordPaste.ts.
        transformPastedHTML: (html: string) => cleanPastedHtml(html),
      }))
      ctx.get(listenerCtx).blur(() => options.onBlur?.())
    })
    .use(imageTitles)
    .use(commonmarkPreset)
    .use(gfm)
    .use(history)
    .use(listener)
    .use(watch)
    .use(checks)
    .use(pictureView)
    .create()

  const view = (): EditorView => editor.ctx.get(editorViewCtx)

  return {
    getMarkdown() {
      return editor.ctx.get(serializerCtx)(view().state.doc)
    },
    run(command) {
      if (!editable) return
      switch (command.kind) {
        case 'heading':
          editor.action(callCommand(wrapInHeadingCommand.key, command.level))
          break
        case 'bold':
          editor.action(callCommand(toggleStrongCommand.key))
          break
        case 'italic':
          editor.action(callCommand(toggleEmphasisCommand.key))
          break
        case 'bulletList':
          editor.action(callCommand(wrapInBulletListCommand.key))
          break
        case 'orderedList':
          editor.action(callCommand(wrapInOrderedListCommand.key))
          break
        case 'table':
          editor.action(callCommand(insertTableCommand.key, { row: 3, col: 3 }))
          break
        case 'undo':
          editor.action(callCommand(undoCommand.key))
          break
        case 'redo':
          editor.action(callCommand(redoCommand.key))
          break
      }
      view().focus()
    },
    setEditable(next) {
      editable = next
      view().setProps({ editable: () => editable })
    },
    setLabels(nextPlaceholder, nextLabel) {
      placeholder = nextPlaceholder
      label = nextLabel
      view().setProps({ attributes })
    },
    focus() {
      view().focus()
    },
    pasteHtml(html) {
      view().pasteHTML(html)
    },
    checkSnapshot() {
      return highlighter.snapshot(view())
    },
    showChecks(snapshot, marks) {
      return highlighter.show(view(), snapshot, marks)
    },
    selectCheck(key) {
      return highlighter.select(view(), key)
    },
    applyCheck(key, text, expected) {
      return editable && highlighter.replace(view(), key, text, expected)
    },
    async destroy() {
      await editor.destroy()
    },
  }
}
