import { describe, expect, it } from 'vitest'

import { cleanPastedHtml, isOfficeHtml } from '../src/editor/wordPaste'
import wordSaved from './fixtures/word-saved-htm.html?raw'
import word2016 from './fixtures/word-2016-clipboard.html?raw'
import wps2019 from './fixtures/wps-2019-clipboard.html?raw'

/** The cleaned HTML, parsed back for structural assertions. */
function clean(html: string): { html: string; root: HTMLElement } {
  const out = cleanPastedHtml(html)
  const root = document.createElement('div')
  root.innerHTML = out
  return { html: out, root }
}

/** Direct children of an element with a given tag. */
function kids(el: Element, tag: string): Element[] {
  return Array.from(el.children).filter((c) => c.tagName.toLowerCase() === tag)
}

/** The text of a list item without its nested lists. */
function ownText(li: Element): string {
  return Array.from(li.childNodes)
    .filter((n) => !(n instanceof Element && (n.tagName === 'UL' || n.tagName === 'OL')))
    .map((n) => n.textContent ?? '')
    .join('')
    .trim()
}

/** Every trace of Office formatting that must never survive. */
function expectNoOfficeResidue(html: string): void {
  expect(html).not.toMatch(/style=/i)
  expect(html).not.toMatch(/class=/i)
  expect(html).not.toMatch(/<o:p|<\/o:p>|<v:|<w:|<st1:/i)
  expect(html).not.toMatch(/<!--|\[if |\[endif\]/i)
  expect(html).not.toMatch(/<(span|font|div|b|i|u|meta|link|style|xml|title)[\s>]/i)
  expect(html).not.toMatch(/mso-|Mso|panose|font-family|color:/i)
  expect(html).not.toMatch(/宋体|黑体|仿宋|Wingdings|Calibri|Times New Roman/)
  expect(html).not.toMatch(/&nbsp;|\u00a0/)
  expect(html).not.toMatch(/lang=|width=|valign=|border=|align=/i)
}

describe('Word 2016 clipboard (Chinese, Windows)', () => {
  const { html, root } = clean(word2016)

  it('drops styles, classes, fonts, colours, <o:p> and conditional comments', () => {
    expectNoOfficeResidue(html)
  })

  it('keeps Heading 1 and Heading 2 as headings with their text', () => {
    const h1 = root.querySelectorAll('h1')
    expect(h1).toHaveLength(1)
    expect(h1[0]!.textContent).toBe('关于做好2024年政务公开工作的通知')
    const h2 = Array.from(root.querySelectorAll('h2')).map((h) => h.textContent)
    expect(h2).toEqual(['一、总体要求', '二、重点任务'])
    // A bookmark anchor (<a name=_Toc…>) is not a link.
    expect(root.querySelector('h1 a')).toBeNull()
  })

  it('keeps bold and italic as <strong> and <em>', () => {
    const p = root.querySelector('p')!
    expect(p.textContent).toBe(
      '各乡镇人民政府、区直各部门：为进一步做好政务公开工作，现就有关事项通知如下。请各单位高度重视，认真抓好落实。',
    )
    expect(p.querySelector('strong')?.textContent).toBe('请各单位高度重视')
    expect(p.querySelector('em')?.textContent).toBe('抓好落实')
  })

  it('drops hidden text (display:none, mso-hide:all)', () => {
    expect(html).not.toContain('内部备注')
  })

  it('drops empty paragraphs (<o:p>&nbsp;</o:p>)', () => {
    for (const p of Array.from(root.querySelectorAll('p'))) {
      expect(p.textContent.trim()).not.toBe('')
    }
  })

  it('turns mso-list paragraphs into a nested bulleted list with numbered sub-lists', () => {
    const lists = kids(root, 'ul').concat(kids(root, 'ol'))
    expect(lists).toHaveLength(2)
    const ul = kids(root, 'ul')[0]!
    const top = kids(ul, 'li')
    expect(top.map(ownText)).toEqual(['公开内容', '公开方式'])
    const firstSub = kids(top[0]!, 'ol')[0]!
    expect(kids(firstSub, 'li').map(ownText)).toEqual(['政策文件', '政策解读材料'])
    expect(firstSub.querySelector('strong')?.textContent).toBe('解读')
    const secondSub = kids(top[1]!, 'ol')[0]!
    expect(kids(secondSub, 'li').map(ownText)).toEqual(['政府网站和政务新媒体'])
  })

  it('removes the typed markers (bullets, "1.", "a)") from list items', () => {
    const items = Array.from(root.querySelectorAll('li')).map(ownText)
    for (const text of items) {
      expect(text).not.toMatch(/^(l|n|·|§|\d+\.|[a-z]\))/)
    }
  })

  it('builds a numbered list three levels deep (1. → a) → bullet)', () => {
    const ol = kids(root, 'ol')[0]!
    const top = kids(ol, 'li')
    expect(top.map(ownText)).toEqual(['梳理公开清单', '按时报送信息'])
    const alpha = kids(top[0]!, 'ol')[0]!
    expect(kids(alpha, 'li').map(ownText)).toEqual(['核对栏目'])
    const bullets = kids(kids(alpha, 'li')[0]!, 'ul')[0]!
    expect(kids(bullets, 'li').map(ownText)).toEqual(['责任分解表'])
  })

  it('keeps the paragraph between the two lists in place', () => {
    const order = Array.from(root.children).map((c) => c.tagName.toLowerCase())
    const ul = order.indexOf('ul')
    const ol = order.indexOf('ol')
    expect(ul).toBeGreaterThan(-1)
    expect(ol).toBe(ul + 2)
    expect(root.children[ul + 1]!.textContent).toBe('工作步骤如下：')
  })

  it('keeps the table, with the first row as header and one line per cell', () => {
    const table = root.querySelector('table')!
    const rows = Array.from(table.querySelectorAll('tr'))
    expect(rows).toHaveLength(3)
    expect(Array.from(rows[0]!.children).map((c) => [c.tagName, c.textContent])).toEqual([
      ['TH', '阶段'],
      ['TH', '时间'],
      ['TH', '责任单位'],
    ])
    // Two paragraphs in one cell become one line.
    expect(Array.from(rows[1]!.children).map((c) => c.textContent)).toEqual(['动员部署', '3月底前', '区政府办公室 各乡镇'])
    // A merged cell (colspan=2) keeps the grid rectangular.
    expect(Array.from(rows[2]!.children).map((c) => c.textContent)).toEqual(['总结评估', '12月15日前报区政务公开办', ''])
    expect(table.querySelector('p,span,strong,colgroup')).toBeNull()
    expect(html).not.toMatch(/<(colgroup|col|thead|tbody)[\s>]/)
  })

  it('keeps a real link and only its address', () => {
    const a = root.querySelector('a')!
    expect(a.getAttribute('href')).toBe('http://www.example.gov.cn/zwgk/')
    expect(a.textContent).toBe('区政府门户网站')
    expect(a.attributes).toHaveLength(1)
  })

  it('is recognised as Office HTML', () => {
    expect(isOfficeHtml(word2016)).toBe(true)
  })
})

describe('WPS Office 2019 clipboard (Chinese)', () => {
  const { html, root } = clean(wps2019)

  it('drops styles, <font face>, mso-spacerun spans and the Section0 wrapper', () => {
    expectNoOfficeResidue(html)
    expect(html).not.toContain('Section0')
  })

  it('keeps the headings without doubling their bold', () => {
    expect(root.querySelector('h1')!.textContent).toBe('某某区2024年第一季度工作简报')
    expect(Array.from(root.querySelectorAll('h2')).map((h) => h.textContent)).toEqual([
      '一、主要工作进展',
      '二、下一步工作安排',
    ])
    expect(root.querySelector('h1 strong, h2 strong')).toBeNull()
  })

  it('keeps bold once and italic from style="font-style:italic"', () => {
    const p = root.querySelector('p')!
    expect(p.textContent).toBe('一季度，全区地区生产总值同比增长5.2%，高于全市平均水平。')
    const strong = p.querySelectorAll('strong')
    expect(strong).toHaveLength(1)
    expect(strong[0]!.textContent).toBe('地区生产总值同比增长5.2%')
    expect(strong[0]!.querySelector('strong')).toBeNull()
    expect(p.querySelector('em')?.textContent).toBe('高于全市平均水平')
  })

  it('turns WPS list paragraphs (class=MsoNormal + mso-list) into nested lists', () => {
    const ul = kids(root, 'ul')[0]!
    const top = kids(ul, 'li')
    expect(top.map(ownText)).toEqual(['重点项目建设', '民生实事'])
    const sub = kids(top[0]!, 'ol')[0]!
    expect(kids(sub, 'li').map(ownText)).toEqual(['新开工项目12个', '竣工项目5个'])

    const ol = kids(root, 'ol')[0]!
    const steps = kids(ol, 'li')
    expect(steps.map(ownText)).toEqual(['加快项目审批', '做好信息报送'])
    expect(kids(kids(steps[0]!, 'ul')[0]!, 'li').map(ownText)).toEqual(['压缩审批时限'])
  })

  it('keeps the table with its numbers', () => {
    const rows = Array.from(root.querySelectorAll('table tr')).map((tr) =>
      Array.from(tr.children).map((c) => `${c.tagName}:${c.textContent}`),
    )
    expect(rows).toEqual([
      ['TH:指标', 'TH:一季度', 'TH:同比'],
      ['TD:固定资产投资（亿元）', 'TD:36.8', 'TD:+6.1%'],
      ['TD:社会消费品零售总额（亿元）', 'TD:58.3', 'TD:+4.7%'],
    ])
  })
})

describe('Word document saved as .htm (comment-form conditionals)', () => {
  const { html, root } = clean(wordSaved)

  it('handles <!--[if !supportLists]--> as well as <![if !supportLists]>', () => {
    expectNoOfficeResidue(html)
  })

  it('keeps Chinese numbering (一、（一）) as text instead of a 1. 2. 3. list', () => {
    const paragraphs = Array.from(root.querySelectorAll('p')).map((p) => p.textContent)
    expect(paragraphs[0]).toBe('一、检查范围')
    expect(paragraphs[1]).toBe('（一）全区各类生产经营单位及其所属企业。')
    expect(root.querySelector('ol,ul')).toBeNull()
  })

  it('maps the Title style to a heading', () => {
    expect(root.querySelector('h1')?.textContent).toBe('关于开展安全生产大检查的通知')
  })

  it('keeps tracked insertions and drops tracked deletions', () => {
    expect(html).toContain('及其所属企业')
    expect(html).not.toContain('不含个体户')
  })

  it('drops review comments and their markers', () => {
    expect(html).not.toContain('此处日期请与安委办核实')
    expect(html).not.toContain('[张三1]')
  })

  it('keeps text inside smart tags such as <st1:chsdate>', () => {
    expect(root.textContent).toContain('检查时间为2024年3月15日至月底。')
  })

  it('drops pictures that point at local temporary files', () => {
    expect(root.querySelector('img')).toBeNull()
    expect(html).not.toContain('image001')
  })
})

describe('other clipboard HTML', () => {
  it('keeps a web page structure and drops its styling', () => {
    const { html, root } = clean(
      '<div style="color:#333;font-family:Arial"><h2 class="title">政策解读</h2>' +
        '<div>第一段<span style="font-weight:700">重点</span></div><div>第二段</div>' +
        '<p><a href="javascript:alert(1)">坏链接</a> <a href="https://www.gov.cn/" target="_blank" rel="x">中国政府网</a></p></div>',
    )
    expect(html).toBe(
      '<h2>政策解读</h2><p>第一段<strong>重点</strong></p><p>第二段</p><p>坏链接 <a href="https://www.gov.cn/">中国政府网</a></p>',
    )
    expect(root.querySelectorAll('p')).toHaveLength(3)
  })

  it('unwraps Google Docs’ <b style="font-weight:normal"> wrapper instead of bolding everything', () => {
    const { html } = clean(
      '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234"><p dir="ltr"><span style="font-weight:700">加粗</span><span style="font-weight:400">普通</span></p></b>',
    )
    expect(html).toBe('<p><strong>加粗</strong>普通</p>')
  })

  it('drops scripts, event handlers and embedded objects', () => {
    const { html } = clean('<p onclick="x()">正文<script>alert(1)</script><object data="x.swf"></object><embed src="x.swf"></p>')
    expect(html).toBe('<p>正文</p>')
  })

  it('removes the stray space Word’s source line wrapping puts between Chinese characters', () => {
    const { html } = clean('<p class=MsoNormal><span>第一\n二</span><span>三</span>\n<span>四</span> and <span>five</span>\n<span>six</span></p>')
    expect(html).toBe('<p>第一二三四 and five six</p>')
  })

  it('splits merged rows (rowspan) into empty cells below', () => {
    const { root } = clean(
      '<table><tr><td>项目</td><td>内容</td></tr><tr><td rowspan=2>甲</td><td>一</td></tr><tr><td>二</td></tr></table>',
    )
    const rows = Array.from(root.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((c) => c.textContent))
    expect(rows).toEqual([
      ['项目', '内容'],
      ['甲', '一'],
      ['', '二'],
    ])
  })

  it('gives a one-row table an empty body row (a Markdown table needs one)', () => {
    const { root } = clean('<table><tr><td>甲</td><td>乙</td></tr></table>')
    const rows = root.querySelectorAll('tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.querySelectorAll('th')).toHaveLength(2)
    expect(rows[1]!.querySelectorAll('td')).toHaveLength(2)
  })

  it('does not read mso-bidi-font-weight:bold as bold', () => {
    expect(clean('<p><span style="mso-bidi-font-weight:bold">普通</span></p>').html).toBe('<p>普通</p>')
  })

  it('uses the list marker when the clipboard has no list styles', () => {
    const p = (level: number, marker: string, text: string): string =>
      `<p style="mso-list:l3 level${level} lfo4"><![if !supportLists]><span style="mso-list:Ignore">${marker}&nbsp;</span><![endif]>${text}</p>`
    const { root } = clean(p(1, '1.', '甲') + p(1, '2.', '乙') + p(2, '·', '乙一'))
    const ol = root.querySelector('ol')!
    expect(kids(ol, 'li').map(ownText)).toEqual(['甲', '乙'])
    expect(ol.querySelector('li ul li')?.textContent).toBe('乙一')
  })

  it('is not recognised as Office HTML when it is a web page', () => {
    expect(isOfficeHtml('<p>普通网页</p>')).toBe(false)
  })
})
