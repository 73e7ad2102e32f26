// Turns clipboard HTML — above all from Microsoft Word and WPS Office — into
// plain, structural HTML that the editor's schema (and so GFM Markdown) can
// hold: headings, paragraphs, real nested lists, tables, bold, italic,
// strikethrough, links, line breaks. Everything else goes: styles, classes,
// fonts, colours, Office namespaces (<o:p>, <v:shape>, <w:…>), comments and
// conditional comments, hidden text, Word review comments and tracked
// deletions.
//
// Word (and WPS, which copies Word's format) does not emit <ul>/<ol>. A list
// item is a paragraph whose style says `mso-list:l0 level2 lfo1` (list l0,
// nesting level 2, list instance lfo1), starting with the visible marker
// wrapped in `<![if !supportLists]> … <![endif]>` (or the comment form
// `<!--[if !supportLists]--> … <!--[endif]-->` in saved .htm files) and a
// `<span style="mso-list:Ignore">`. Whether a level is bulleted or numbered is
// declared in the <style> block (`@list l0:level1 {mso-level-number-format:
// bullet}`); when the clipboard lacks it, the marker text decides.
//
// Chinese official documents number their structure 一、（一）1.（1）. When a
// Word list uses a Chinese or circled numbering format, the marker is kept as
// text in an ordinary paragraph: a Markdown ordered list could only show it
// as 1. 2. 3., which would change what the document says.
//
// The function is pure (string in, string out) and needs only a DOMParser, so
// it is tested without an editor; the editor calls it from ProseMirror's
// `transformPastedHTML`.

type ListKind = 'bullet' | 'ordered' | 'literal'

interface ListParagraph {
  element: HTMLElement
  listId: string
  level: number
  instance: string
  kind: ListKind
  marker: string
}

const BLOCK_TAGS = new Set([
  'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI', 'TABLE', 'THEAD', 'TBODY', 'TFOOT',
  'TR', 'TD', 'TH', 'BLOCKQUOTE', 'PRE', 'HR', 'DIV', 'SECTION', 'ARTICLE', 'HEADER', 'FOOTER',
  'ASIDE', 'NAV', 'MAIN', 'CENTER', 'FIGURE', 'FIGCAPTION', 'ADDRESS', 'DL', 'DT', 'DD', 'CAPTION',
])

/** Tags kept (after renaming); anything else is unwrapped or dropped. */
const KEPT_TAGS = new Set([
  'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI', 'TABLE', 'TR', 'TD', 'TH',
  'BLOCKQUOTE', 'PRE', 'CODE', 'HR', 'BR', 'STRONG', 'EM', 'DEL', 'A', 'IMG',
])

/** Dropped with everything inside. */
const DROPPED_TAGS = new Set([
  'HEAD', 'STYLE', 'SCRIPT', 'NOSCRIPT', 'TEMPLATE', 'META', 'LINK', 'TITLE', 'BASE', 'XML',
  'OBJECT', 'EMBED', 'IFRAME', 'FRAME', 'FRAMESET', 'APPLET', 'SVG', 'MATH', 'CANVAS', 'VIDEO',
  'AUDIO', 'MAP', 'FORM', 'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA', 'COLGROUP', 'COL', 'CAPTION',
])

/** Renamed to their Markdown-expressible equivalent. */
const RENAMED_TAGS: Record<string, string> = {
  B: 'STRONG',
  I: 'EM',
  S: 'DEL',
  STRIKE: 'DEL',
  CITE: 'EM',
  DFN: 'EM',
  VAR: 'EM',
  KBD: 'CODE',
  SAMP: 'CODE',
  TT: 'CODE',
}

const BULLET_FORMAT = 'bullet'
/** Numbering formats that Markdown cannot show: keep the marker as text. */
const LITERAL_FORMAT = /chinese|ideograph|japanese|korean|taiwanese|hebrew|arabic|enclosed|circle|full-width|ganada|chosung|thai|hindi|vietnamese|russian|aiueo|iroha/i

const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/

/** `mso-list:l0 level2 lfo1` in a style attribute. */
const MSO_LIST = /mso-list\s*:\s*(l\d+)\s+level(\d+)\s+(lfo\d+)/i

/** Cleans pasted HTML; see the module comment. */
export function cleanPastedHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const body = doc.body
  const listFormats = readListFormats(doc)

  removeJunk(body)
  convertWordLists(body, listFormats)
  removeComments(body)
  styleToTags(body)
  normaliseTables(body)
  simplifyElements(body)
  tidyHeadings(body)
  tidyWhitespace(body)
  removeEmpty(body)
  mergeAdjacentMarks(body)
  return body.innerHTML.trim()
}

/** Whether the HTML came from Word or WPS (for callers that care). */
export function isOfficeHtml(html: string): boolean {
  return /urn:schemas-microsoft-com:office|mso-|class=["']?Mso|ProgId content=["']?Word|<o:p|Kingsoft|WPS/i.test(
    html,
  )
}

// ---------------------------------------------------------------------------
// List definitions from the <style> block

/** `l0:1` → number format of that level (`bullet`, `decimal`, …). */
function readListFormats(doc: Document): Map<string, string> {
  const formats = new Map<string, string>()
  const css = Array.from(doc.querySelectorAll('style'))
    .map((s) => s.textContent ?? '')
    .join('\n')
  const rule = /@list\s+(l\d+):level(\d+)\s*\{([^}]*)\}/gi
  for (let m = rule.exec(css); m !== null; m = rule.exec(css)) {
    const body = m[3] ?? ''
    const format = /mso-level-number-format\s*:\s*([\w-]+)/i.exec(body)
    // Word leaves the format out for plain decimal numbering.
    formats.set(`${m[1]}:${m[2]}`, (format?.[1] ?? 'decimal').toLowerCase())
  }
  return formats
}

// ---------------------------------------------------------------------------
// Junk

function styleOf(el: Element): string {
  return (el.getAttribute('style') ?? '').replace(/\s+/g, ' ')
}

/**
 * The value of one CSS property in an inline style, matched by its exact
 * name: Word's `mso-bidi-font-weight:bold` (bold only for right-to-left
 * scripts) must not read as `font-weight:bold`.
 */
function cssProp(el: Element, name: string): string | undefined {
  for (const decl of styleOf(el).split(';')) {
    const colon = decl.indexOf(':')
    if (colon < 0) continue
    if (decl.slice(0, colon).trim().toLowerCase() === name) {
      return decl.slice(colon + 1).trim().toLowerCase().replace(/^['"]|['"]$/g, '')
    }
  }
  return undefined
}

function isHidden(el: Element): boolean {
  return cssProp(el, 'display') === 'none' || cssProp(el, 'mso-hide') === 'all' || cssProp(el, 'visibility') === 'hidden'
}

function isWordComment(el: Element): boolean {
  const cls = (el.getAttribute('class') ?? '').toLowerCase()
  const style = styleOf(el).toLowerCase()
  // Review comments (批注): the reference marks and the comment list.
  if (/msocommentreference|msocommenttext|msocomment\b|msodel/.test(cls)) return true
  if (/mso-element\s*:\s*comment/.test(style)) return true
  if (/mso-comment-reference|mso-special-character\s*:\s*comment/.test(style)) return true
  return false
}

function isSafeUrl(url: string, allowMail: boolean): boolean {
  const u = url.trim().toLowerCase()
  return u.startsWith('http://') || u.startsWith('https://') || (allowMail && u.startsWith('mailto:'))
}

function removeJunk(root: HTMLElement): void {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (!el.isConnected) continue
    const tag = el.tagName.toUpperCase()
    if (/^(O|V|W|M|W10|WX):/.test(tag)) {
      // Office namespaces: <o:p> holds only the paragraph mark, <v:…> shapes,
      // <w:…> settings, <m:…> equations. None carries text worth keeping.
      // (Other prefixes, like Word 2003's <st1:chsdate> around dates, do hold
      // text: they are unwrapped later.)
      el.remove()
      continue
    }
    if (tag === 'BR' && /page-break|column-break/i.test(styleOf(el))) {
      el.remove()
      continue
    }
    if (DROPPED_TAGS.has(tag) || isHidden(el) || isWordComment(el)) {
      el.remove()
      continue
    }
    if (tag === 'IMG') {
      // Word puts local temporary files (file:///…/msohtmlclip/…) here, which
      // can never load; pictures go in as attachments instead.
      const src = el.getAttribute('src') ?? ''
      if (!isSafeUrl(src, false)) el.remove()
      continue
    }
    if (tag === 'DEL' && /msodel/i.test(el.getAttribute('class') ?? '')) el.remove()
  }
}

function removeComments(root: Node): void {
  const walker = root.ownerDocument!.createTreeWalker(root, 128 /* NodeFilter.SHOW_COMMENT */)
  const comments: Node[] = []
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) comments.push(n)
  for (const c of comments) c.parentNode?.removeChild(c)
}

// ---------------------------------------------------------------------------
// Word lists

function classifyMarker(marker: string): ListKind {
  const m = marker.replace(/[\s\u00a0]+/g, '')
  if (m === '') return 'bullet'
  if (/^[（(]?[一二三四五六七八九十百千零〇壹贰叁肆伍陆柒捌玖拾]+[)）]?[、.．]?$/.test(m)) return 'literal'
  if (/^第.+[章节条款项部分篇]/.test(m)) return 'literal'
  if (/[\u2460-\u24FF\u3251-\u325F\u32B1-\u32BF\u2776-\u2793]/.test(m)) return 'literal'
  if (/^[（(]\d+[)）]$/.test(m)) return 'literal'
  if (/^\d+([.．)）、]\d*)*[.．)）、]?$/.test(m)) return 'ordered'
  if (/^[(（]?([a-z]|[ivxlcdm]+)[.)）]$/i.test(m)) return 'ordered'
  if (CJK.test(m)) return 'literal'
  return 'bullet'
}

function kindFromFormat(format: string | undefined, marker: string): ListKind {
  if (format === undefined) return classifyMarker(marker)
  if (format === BULLET_FORMAT || format === 'none' || format === 'image') return 'bullet'
  if (LITERAL_FORMAT.test(format)) return 'literal'
  return 'ordered'
}

/**
 * Takes the visible list marker out of a Word list paragraph and returns its
 * text: the `[if !supportLists]` … `[endif]` range and any
 * `mso-list:Ignore` span.
 */
function extractMarker(p: HTMLElement): string {
  let marker = ''
  const doc = p.ownerDocument
  const walker = doc.createTreeWalker(p, 128 /* SHOW_COMMENT */)
  const starts: Comment[] = []
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    if (/^\s*\[if !supportLists\]/i.test((n as Comment).data)) starts.push(n as Comment)
  }
  for (const start of starts) {
    let node = start.nextSibling
    while (node !== null) {
      if (node.nodeType === 8 && /^\s*\[endif\]/i.test((node as Comment).data)) {
        node.parentNode?.removeChild(node)
        break
      }
      const next: ChildNode | null = node.nextSibling
      marker += node.textContent ?? ''
      node.parentNode?.removeChild(node)
      node = next
    }
    start.parentNode?.removeChild(start)
  }
  for (const span of Array.from(p.querySelectorAll('[style]'))) {
    if (!span.isConnected) continue
    if (/mso-list\s*:\s*ignore/i.test(styleOf(span))) {
      marker += span.textContent ?? ''
      span.remove()
    }
  }
  return marker.replace(/[\s\u00a0]+/g, ' ').trim()
}

function listInfo(el: HTMLElement, formats: Map<string, string>): ListParagraph | null {
  const m = MSO_LIST.exec(styleOf(el))
  if (!m) return null
  const listId = m[1]!.toLowerCase()
  const level = Math.max(1, Number(m[2]))
  const marker = extractMarker(el)
  return {
    element: el,
    listId,
    level,
    instance: m[3]!.toLowerCase(),
    kind: kindFromFormat(formats.get(`${listId}:${level}`), marker),
    marker,
  }
}

/** "一、" and "（一）" run straight into the text; "1." and "a)" take a space. */
function withSeparator(marker: string): string {
  return /[\u3000-\u303F\uFF00-\uFFEF、）]$/.test(marker) ? marker : `${marker} `
}

function isWhitespaceNode(node: Node): boolean {
  return node.nodeType === 3 && (node.textContent ?? '').trim() === ''
}

function convertWordLists(root: HTMLElement, formats: Map<string, string>): void {
  // Numbered headings keep their number as text: a heading cannot be a list item.
  for (const h of Array.from(root.querySelectorAll<HTMLElement>('h1,h2,h3,h4,h5,h6'))) {
    const info = listInfo(h, formats)
    if (info && info.kind !== 'bullet' && info.marker !== '') {
      h.insertBefore(h.ownerDocument.createTextNode(withSeparator(info.marker)), h.firstChild)
    }
  }

  // Runs of consecutive list paragraphs (blank text between them allowed).
  const candidates = Array.from(root.querySelectorAll<HTMLElement>('p,div,li')).filter((el) =>
    MSO_LIST.test(styleOf(el)),
  )
  const done = new Set<HTMLElement>()
  for (const first of candidates) {
    if (done.has(first) || !first.isConnected) continue
    const run: HTMLElement[] = [first]
    let next = first.nextSibling
    while (next !== null) {
      if (isWhitespaceNode(next) || next.nodeType === 8) {
        next = next.nextSibling
        continue
      }
      if (next instanceof HTMLElement && candidates.includes(next)) {
        run.push(next)
        next = next.nextSibling
        continue
      }
      break
    }
    run.forEach((el) => done.add(el))
    const items = run.map((el) => listInfo(el, formats)).filter((x): x is ListParagraph => x !== null)
    buildLists(items)
  }
}

interface OpenList {
  list: HTMLElement
  level: number
  kind: ListKind
  instance: string
  lastItem: HTMLElement | null
}

/** Replaces a run of Word list paragraphs by nested <ul>/<ol>. */
function buildLists(items: ListParagraph[]): void {
  if (items.length === 0) return
  const first = items[0]!.element
  const doc = first.ownerDocument
  const parent = first.parentNode!
  const anchor = doc.createComment('list-anchor')
  parent.insertBefore(anchor, first)

  const stack: OpenList[] = []
  const output: Node[] = []

  const openList = (item: ListParagraph, container: HTMLElement | null): OpenList => {
    const list = doc.createElement(item.kind === 'ordered' ? 'ol' : 'ul')
    if (container) container.appendChild(list)
    else output.push(list)
    const open = { list, level: item.level, kind: item.kind, instance: item.instance, lastItem: null }
    stack.push(open)
    return open
  }

  for (const item of items) {
    const content = Array.from(item.element.childNodes)
    if (item.kind === 'literal') {
      // 一、（一）… numbering stays text in an ordinary paragraph.
      stack.length = 0
      const p = doc.createElement('p')
      if (item.marker) p.appendChild(doc.createTextNode(withSeparator(item.marker)))
      content.forEach((n) => p.appendChild(n))
      output.push(p)
      item.element.remove()
      continue
    }

    while (stack.length > 0 && stack[stack.length - 1]!.level > item.level) stack.pop()
    let top = stack[stack.length - 1]

    if (top && top.level === item.level && (top.kind !== item.kind || (stack.length === 1 && top.instance !== item.instance))) {
      // Same level but another kind of list (or, at the top, another list): a sibling list.
      stack.pop()
      const outer = stack[stack.length - 1]
      let container: HTMLElement | null = null
      if (outer) {
        container = outer.lastItem
        if (!container) {
          container = doc.createElement('li')
          outer.list.appendChild(container)
          outer.lastItem = container
        }
      }
      top = openList(item, container)
    } else if (!top) {
      top = openList(item, null)
    } else if (top.level < item.level) {
      let holder = top.lastItem
      if (!holder) {
        holder = doc.createElement('li')
        top.list.appendChild(holder)
        top.lastItem = holder
      }
      top = openList(item, holder)
    }

    const li = doc.createElement('li')
    content.forEach((n) => li.appendChild(n))
    top.list.appendChild(li)
    top.lastItem = li
    item.element.remove()
  }

  for (const node of output) parent.insertBefore(node, anchor)
  anchor.remove()
}

// ---------------------------------------------------------------------------
// Inline formatting from styles (WPS and web pages use styles, not <b>/<i>)

function wrapChildren(el: HTMLElement, tag: string): void {
  const wrapper = el.ownerDocument.createElement(tag)
  while (el.firstChild) wrapper.appendChild(el.firstChild)
  el.appendChild(wrapper)
}

function styleToTags(root: HTMLElement): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[style]'))) {
    const tag = el.tagName.toUpperCase()
    const weight = cssProp(el, 'font-weight')
    const notBold = weight !== undefined && (weight === 'normal' || weight === 'lighter' || Number(weight) < 600)
    if (notBold && (tag === 'B' || tag === 'STRONG')) {
      // Google Docs wraps everything in <b style="font-weight:normal">.
      unwrap(el)
      continue
    }
    if (BLOCK_TAGS.has(tag) && tag !== 'TD' && tag !== 'TH' && tag !== 'P') continue
    const bold = weight !== undefined && !notBold
    const italic = cssProp(el, 'font-style') === 'italic'
    const decoration = `${cssProp(el, 'text-decoration') ?? ''} ${cssProp(el, 'text-decoration-line') ?? ''}`
    const strike = decoration.includes('line-through')
    // WPS writes <b><span style="font-weight:bold">: one mark is enough.
    if (bold && el.closest('b,strong') === null) wrapChildren(el, 'strong')
    if (italic && el.closest('i,em') === null) wrapChildren(el, 'em')
    if (strike && el.closest('s,del,strike') === null) wrapChildren(el, 'del')
  }
}

// ---------------------------------------------------------------------------
// Tables

function cellText(cell: HTMLElement): void {
  // A GFM table cell is one line: nested tables and lists become text, several
  // paragraphs become one, separated by a space.
  for (const nested of Array.from(cell.querySelectorAll('table'))) {
    nested.replaceWith(cell.ownerDocument.createTextNode(` ${nested.textContent ?? ''} `))
  }
  const blocks = Array.from(cell.querySelectorAll<HTMLElement>('p,div,li,h1,h2,h3,h4,h5,h6,ul,ol,blockquote,pre'))
  if (blocks.length === 0) return
  for (const block of blocks) {
    if (!block.isConnected) continue
    const space = cell.ownerDocument.createTextNode(' ')
    block.after(space)
    while (block.firstChild) block.parentNode!.insertBefore(block.firstChild, block)
    block.remove()
  }
  for (const br of Array.from(cell.querySelectorAll('br'))) br.replaceWith(cell.ownerDocument.createTextNode(' '))
  cell.normalize()
  for (const node of Array.from(cell.childNodes)) {
    if (node.nodeType === 3) node.textContent = (node.textContent ?? '').replace(/[ \t\r\n]+/g, ' ')
  }
}

function normaliseTables(root: HTMLElement): void {
  // Innermost first, so an outer table sees flattened inner ones.
  const tables = Array.from(root.querySelectorAll<HTMLTableElement>('table')).reverse()
  for (const table of tables) {
    if (!table.isConnected) continue
    const doc = table.ownerDocument
    const rows = Array.from(table.querySelectorAll<HTMLTableRowElement>('tr')).filter(
      (tr) => tr.closest('table') === table,
    )
    if (rows.length === 0) {
      table.remove()
      continue
    }
    // Lay the cells out on a grid, expanding merged cells into empty ones:
    // GFM tables have no colspan/rowspan.
    const grid: (HTMLElement | null)[][] = rows.map(() => [])
    rows.forEach((tr, r) => {
      let c = 0
      for (const cell of Array.from(tr.children) as HTMLElement[]) {
        const tag = cell.tagName.toUpperCase()
        if (tag !== 'TD' && tag !== 'TH') continue
        cellText(cell)
        const rowRef = grid[r]!
        while (rowRef[c] !== undefined) c++
        const colspan = Math.max(1, Math.min(50, Number(cell.getAttribute('colspan')) || 1))
        const rowspan = Math.max(1, Math.min(rows.length - r, Number(cell.getAttribute('rowspan')) || 1))
        for (let dr = 0; dr < rowspan; dr++) {
          for (let dc = 0; dc < colspan; dc++) {
            grid[r + dr]![c + dc] = dr === 0 && dc === 0 ? cell : null
          }
        }
        c += colspan
      }
    })
    const width = Math.max(...grid.map((row) => row.length))
    // Markdown tables always have a header row. Word tables rarely mark one,
    // and their first row is the header in nearly every case, so it becomes it.
    // A table also needs a body row, so a one-row table gets an empty one.
    if (grid.length === 1) grid.push([])
    const out = doc.createElement('table')
    grid.forEach((row, r) => {
      const tr = doc.createElement('tr')
      for (let c = 0; c < width; c++) {
        const header = r === 0
        const cell = doc.createElement(header ? 'th' : 'td')
        const source = row[c]
        if (source) while (source.firstChild) cell.appendChild(source.firstChild)
        tr.appendChild(cell)
      }
      out.appendChild(tr)
    })
    table.replaceWith(out)
  }
}

// ---------------------------------------------------------------------------
// Elements and attributes

function unwrap(el: Element): void {
  const parent = el.parentNode
  if (!parent) return
  while (el.firstChild) parent.insertBefore(el.firstChild, el)
  parent.removeChild(el)
}

function rename(el: Element, tag: string): Element {
  const replacement = el.ownerDocument.createElement(tag)
  while (el.firstChild) replacement.appendChild(el.firstChild)
  el.replaceWith(replacement)
  return replacement
}

function hasBlockChild(el: Element): boolean {
  return Array.from(el.children).some((c) => BLOCK_TAGS.has(c.tagName.toUpperCase()))
}

function headingLevelFromClass(el: Element): number {
  const cls = el.getAttribute('class') ?? ''
  if (/\bMsoTitle\b/i.test(cls)) return 1
  if (/\bMsoSubtitle\b/i.test(cls)) return 2
  const m = /\bMsoHeading([1-6])\b/i.exec(cls)
  return m ? Number(m[1]) : 0
}

function simplifyElements(root: HTMLElement): void {
  // Deepest first, so unwrapping never skips a descendant.
  const all = Array.from(root.querySelectorAll('*')).reverse()
  for (let el of all) {
    if (!el.isConnected) continue
    let tag = el.tagName.toUpperCase()

    if (tag === 'P') {
      const level = headingLevelFromClass(el)
      if (level > 0) {
        el = rename(el, `h${level}`)
        tag = el.tagName.toUpperCase()
      }
    }
    const renamed = RENAMED_TAGS[tag]
    if (renamed) {
      el = rename(el, renamed)
      tag = renamed
    }
    if (tag === 'H7' || tag === 'H8' || tag === 'H9') {
      el = rename(el, 'h6')
      tag = 'H6'
    }
    if (tag === 'THEAD' || tag === 'TBODY' || tag === 'TFOOT') {
      unwrap(el)
      continue
    }
    if (!KEPT_TAGS.has(tag)) {
      if (BLOCK_TAGS.has(tag) && !hasBlockChild(el) && el.closest('td,th,li') === null) {
        // <div>text</div> is a paragraph; unwrapping it would run lines together.
        el = rename(el, 'p')
        tag = 'P'
      } else {
        unwrap(el)
        continue
      }
    }

    // Attributes: only a link's address and a picture's address and text.
    const keep: Record<string, string> = {}
    if (tag === 'A') {
      const href = el.getAttribute('href') ?? ''
      if (!isSafeUrl(href, true)) {
        // Word bookmarks (<a name=_Toc…>) and internal jumps.
        unwrap(el)
        continue
      }
      keep.href = href.trim()
    } else if (tag === 'IMG') {
      keep.src = (el.getAttribute('src') ?? '').trim()
      const alt = el.getAttribute('alt')
      if (alt) keep.alt = alt
    } else if (tag === 'OL') {
      const start = Number(el.getAttribute('start'))
      if (Number.isInteger(start) && start > 1) keep.start = String(start)
    }
    for (const attr of Array.from(el.attributes)) el.removeAttribute(attr.name)
    for (const [name, value] of Object.entries(keep)) el.setAttribute(name, value)
  }
}

function tidyHeadings(root: HTMLElement): void {
  // A heading is bold already; WPS wraps its text in <b> anyway, which would
  // come out as "# **标题**".
  // The same goes for header cells.
  const selector = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th'].map((t) => `${t} strong`).join(',')
  for (const strong of Array.from(root.querySelectorAll(selector))) {
    unwrap(strong)
  }
}

// ---------------------------------------------------------------------------
// Whitespace and empties

function isCjk(ch: string): boolean {
  return ch !== '' && CJK.test(ch)
}

function tidyWhitespace(root: HTMLElement): void {
  const doc = root.ownerDocument
  const walker = doc.createTreeWalker(root, 4 /* SHOW_TEXT */)
  const texts: Text[] = []
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    if (!n.parentElement?.closest('pre')) texts.push(n as Text)
  }
  // Word wraps its HTML source at ~80 columns, and a line break in HTML reads
  // as a space. Between two Chinese characters that space is wrong: drop it;
  // elsewhere it becomes one space. Neighbouring characters are looked up
  // across text nodes, since the break often sits between two <span>s.
  const values = texts.map((t) => t.data)
  const charBefore = (i: number): string => {
    for (let j = i - 1; j >= 0; j--) {
      const v = values[j]!
      if (v !== '') return v.slice(-1)
    }
    return ''
  }
  const charAfter = (i: number): string => {
    for (let j = i + 1; j < texts.length; j++) {
      const v = texts[j]!.data.replace(/^[\s]+/, '')
      if (v !== '') return v.slice(0, 1)
    }
    return ''
  }
  const breakRun = /[ \t]*\r?\n[ \t\r\n]*/g
  texts.forEach((text, i) => {
    const v = text.data
    if (!/[\r\n]/.test(v)) return
    let out = ''
    let last = 0
    for (let m = breakRun.exec(v); m !== null; m = breakRun.exec(v)) {
      out += v.slice(last, m.index)
      const before = out !== '' ? out.slice(-1) : charBefore(i)
      const rest = v.slice(m.index + m[0].length)
      const after = rest !== '' ? rest.slice(0, 1) : charAfter(i)
      out += before === '' || after === '' || (isCjk(before) && isCjk(after)) ? '' : ' '
      last = m.index + m[0].length
    }
    out += v.slice(last)
    values[i] = out
    if (out === '') text.remove()
    else text.data = out
  })

  // Source formatting between blocks.
  for (const container of [root, ...Array.from(root.querySelectorAll('ul,ol,table,tr,blockquote'))]) {
    for (const node of Array.from(container.childNodes)) {
      if (isWhitespaceNode(node)) node.remove()
    }
  }

  // Leading and trailing spaces (incl. Word's &nbsp; padding) in blocks.
  for (const block of Array.from(root.querySelectorAll('p,h1,h2,h3,h4,h5,h6,li,td,th'))) {
    trimEdge(block, 'start')
    trimEdge(block, 'end')
  }
}

function trimEdge(block: Element, edge: 'start' | 'end'): void {
  let node: Node | null = edge === 'start' ? block.firstChild : block.lastChild
  while (node) {
    if (node.nodeType === 3) {
      const t = node as Text
      const trimmed = edge === 'start' ? t.data.replace(/^[ \t\u00a0]+/, '') : t.data.replace(/[ \t\u00a0]+$/, '')
      if (trimmed === '') {
        const next: Node | null = edge === 'start' ? node.nextSibling : node.previousSibling
        t.remove()
        node = next
        continue
      }
      t.data = trimmed
      return
    }
    if (node.nodeType === 1) {
      const el = node as Element
      if (el.tagName === 'BR' || el.tagName === 'IMG' || BLOCK_TAGS.has(el.tagName.toUpperCase())) return
      node = edge === 'start' ? el.firstChild : el.lastChild
      if (!node) return
      continue
    }
    return
  }
}

const INLINE_MARKS = ['strong', 'em', 'del', 'code', 'a']

function removeEmpty(root: HTMLElement): void {
  let changed = true
  while (changed) {
    changed = false
    for (const el of Array.from(root.querySelectorAll(INLINE_MARKS.join(',')))) {
      if ((el.textContent ?? '') === '' && el.querySelector('img,br') === null) {
        el.remove()
        changed = true
      }
    }
    for (const el of Array.from(root.querySelectorAll('p,h1,h2,h3,h4,h5,h6,blockquote,ul,ol'))) {
      const text = (el.textContent ?? '').replace(/[\s\u00a0]+/g, '')
      if (text === '' && el.querySelector('img,hr,table') === null) {
        el.remove()
        changed = true
      }
    }
    for (const li of Array.from(root.querySelectorAll('li'))) {
      const text = (li.textContent ?? '').replace(/[\s\u00a0]+/g, '')
      if (text === '' && li.querySelector('img') === null) {
        li.remove()
        changed = true
      }
    }
    // A trailing <br> at the end of a block is an empty line.
    for (const br of Array.from(root.querySelectorAll('br'))) {
      if (br.nextSibling === null && br.parentElement && br.parentElement !== root && br.parentElement.tagName !== 'TD') {
        br.remove()
        changed = true
      }
    }
  }
}

/** `<strong>地区</strong><strong>5.2%</strong>` → `<strong>地区5.2%</strong>`. */
function mergeAdjacentMarks(root: HTMLElement): void {
  for (const el of Array.from(root.querySelectorAll('strong,em,del,code'))) {
    if (!el.isConnected) continue
    let next = el.nextSibling
    while (next !== null && next.nodeType === 1 && (next as Element).tagName === el.tagName) {
      while (next.firstChild) el.appendChild(next.firstChild)
      const after: ChildNode | null = next.nextSibling
      next.remove()
      next = after
    }
  }
}
