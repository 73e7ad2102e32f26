// The body editor end to end inside a DOM: Markdown in, Markdown out, and
// Word/WPS clipboard HTML through ProseMirror's real paste path.

import { afterEach, describe, expect, it } from 'vitest'

import { type BodyEditor, createBodyEditor } from '../src/editor/milkdown'
import word2016 from './fixtures/word-2016-clipboard.html?raw'
import wps2019 from './fixtures/wps-2019-clipboard.html?raw'

const open: BodyEditor[] = []

async function editor(markdown: string, onChange?: () => void): Promise<BodyEditor> {
  const root = document.createElement('div')
  document.body.appendChild(root)
  const e = await createBodyEditor(root, { markdown, editable: true, placeholder: '', label: '正文', onChange })
  open.push(e)
  return e
}

afterEach(async () => {
  while (open.length > 0) await open.pop()!.destroy()
  document.body.innerHTML = ''
})

const GFM = `# 标题

段落 **粗体** *斜体* ~~删除线~~，见 <https://www.gov.cn>。

## 二级标题

- 一
  - 二
    1. 三

1. 甲
2. 乙

- [ ] 待办
- [x] 已办

| 项目 | 数量 |
| -- | -: |
| 甲  |  1 |

正文引用脚注[^1]。

[^1]: 脚注内容。
`

describe('GFM Markdown round trip', () => {
  it('gives back the same Markdown for headings, lists, task lists, tables, strikethrough, autolinks, footnotes', async () => {
    const e = await editor(GFM)
    expect(e.getMarkdown()).toBe(GFM)
  })

  it('is stable: what it writes, it reads back unchanged', async () => {
    const first = await editor('* 星号列表\n\n__加粗__ https://www.gov.cn/zhengce/\n')
    const once = first.getMarkdown()
    const second = await editor(once)
    expect(second.getMarkdown()).toBe(once)
    expect(once).toContain('- 星号列表')
    expect(once).toContain('**加粗**')
  })

  it('keeps Chinese bold and italic that start or end with punctuation (《》“”（）)', async () => {
    const first = await editor('')
    first.pasteHtml('<p>深入学习<strong>《条例》</strong>精神，认真<strong>“抓好落实”</strong>。<em>（试行）</em>办法</p>')
    const md = first.getMarkdown()
    // Plain `学习**《条例》**精神` would not be bold in CommonMark (nor in
    // comrak): a neighbouring letter is written as a character reference.
    expect(md).not.toContain('学习**《条例》**精神')
    const root = document.createElement('div')
    document.body.appendChild(root)
    const second = await createBodyEditor(root, { markdown: md, editable: true, placeholder: '', label: '' })
    open.push(second)
    const p = root.querySelector('.ProseMirror p')!
    expect(p.textContent).toBe('深入学习《条例》精神，认真“抓好落实”。（试行）办法')
    expect(Array.from(p.querySelectorAll('strong')).map((s) => s.textContent)).toEqual(['《条例》', '“抓好落实”'])
    expect(p.querySelector('em')?.textContent).toBe('（试行）')
    expect(second.getMarkdown()).toBe(md)
  })

  it('does not report a change just for loading a document', async () => {
    let changes = 0
    await editor(GFM, () => changes++)
    expect(changes).toBe(0)
  })
})

describe('pasting from Word and WPS', () => {
  it('turns Word clipboard HTML into clean GFM: headings, nested lists, table, bold', async () => {
    let changes = 0
    const e = await editor('', () => changes++)
    e.pasteHtml(word2016)
    expect(changes).toBeGreaterThan(0)
    const md = e.getMarkdown()
    expect(md).toContain('# 关于做好2024年政务公开工作的通知\n')
    expect(md).toContain('## 一、总体要求\n')
    expect(md).toContain('**请各单位高度重视**，认真*抓好落实*。')
    expect(md).toContain(
      ['- 公开内容', '  1. 政策文件', '  2. 政策**解读**材料', '- 公开方式', '  1. 政府网站和政务新媒体'].join('\n'),
    )
    expect(md).toContain(['1. 梳理公开清单', '   1. 核对栏目', '      - 责任分解表', '2. 按时报送信息'].join('\n'))
    expect(md).toMatch(/\| 阶段 +\| 时间 +\| 责任单位 +\|/)
    expect(md).toMatch(/\| 动员部署 \| 3月底前 +\| 区政府办公室 各乡镇 \|/)
    expect(md).toContain('[区政府门户网站](http://www.example.gov.cn/zwgk/)')
    expect(md).not.toMatch(/<br|mso|font|style|宋体|&nbsp;|\u00a0/)
  })

  it('turns WPS clipboard HTML into clean GFM', async () => {
    const e = await editor('')
    e.pasteHtml(wps2019)
    const md = e.getMarkdown()
    expect(md).toContain('# 某某区2024年第一季度工作简报\n')
    expect(md).toContain('全区**地区生产总值同比增长5.2%**，*高于全市平均水平*。')
    expect(md).toContain(['- 重点项目建设', '  1. 新开工项目12个', '  2. 竣工项目5个', '- 民生实事'].join('\n'))
    expect(md).toMatch(/\| 固定资产投资（亿元） +\| 36\.8 \| \+6\.1% \|/)
    expect(md).not.toMatch(/<br|mso|font|style|宋体|&nbsp;|\u00a0/)
  })
})

describe('toolbar commands', () => {
  it('makes a heading, bold text and lists that serialise as Markdown', async () => {
    const e = await editor('正文')
    e.run({ kind: 'heading', level: 2 })
    expect(e.getMarkdown()).toBe('## 正文\n')
    e.run({ kind: 'heading', level: 0 })
    e.run({ kind: 'bulletList' })
    expect(e.getMarkdown()).toBe('- 正文\n')
    e.run({ kind: 'undo' })
    expect(e.getMarkdown()).toBe('正文\n')
  })

  it('inserts a table', async () => {
    const e = await editor('')
    e.run({ kind: 'table' })
    expect(e.getMarkdown()).toMatch(/^\|.*\|\n\| *:?-+/)
  })

  it('does nothing when read-only', async () => {
    const e = await editor('正文')
    e.setEditable(false)
    e.run({ kind: 'heading', level: 1 })
    expect(e.getMarkdown()).toBe('正文\n')
  })
})
