// Review and sign-off in the window (src/review.ts and its components): the
// helpers that decide what the author is shown, anchoring a comment to the
// words selected in the rendered body, the head's review screen (签发 with the
// default opinion, 退回修改 with anchored comments), the author's banner and
// the 送审 dialog, against a mocked shell.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, nextTick } from 'vue'

import type { ItemReviews } from '../src/bindings/ItemReviews'
import type { ItemView } from '../src/bindings/ItemView'
import type { Review } from '../src/bindings/Review'
import type { ReviewDetail } from '../src/bindings/ReviewDetail'
import type { Signoff } from '../src/bindings/Signoff'
import ReviewBanner from '../src/components/ReviewBanner.vue'
import ReviewScreen from '../src/components/ReviewScreen.vue'
import SendForReviewDialog from '../src/components/SendForReviewDialog.vue'
import { setLang } from '../src/i18n'
import { emptyContent } from '../src/model'
import {
  anchorOf,
  DEFAULT_OPINION,
  isHead,
  lapsedSignoff,
  returnedReview,
  shortQuote,
} from '../src/review'
import { ItemSession } from '../src/session'

const ITEM = '0190a5e2-7c1e-7a3b-8c4d-1234567890ab'

function review(patch: Partial<Review> = {}): Review {
  return {
    id: 'r1',
    item_id: ITEM,
    client_item_id: ITEM,
    revision: 3,
    origin: 'local',
    status: 'pending',
    from_user: 'jyj.xxy',
    from_name: '张敏',
    to_user: 'jyj.fzr',
    to_name: 'jyj.fzr',
    title: '市教育局召开安全工作会议',
    note: '请今天签发',
    decided_by: null,
    decided_name: null,
    decided_at: null,
    opinion: null,
    comments: [],
    created_at: '2026-12-03T01:00:00Z',
    updated_at: '2026-12-03T01:00:00Z',
    via_portal: false,
    ...patch,
  }
}

function signoff(patch: Partial<Signoff> = {}): Signoff {
  return {
    item_id: ITEM,
    revision: 3,
    review_id: 'r1',
    content_hash: 'a'.repeat(64),
    signer: 'jyj.fzr',
    signer_name: '李强',
    key_id: 'k1',
    public_key: 'b'.repeat(64),
    signature: 'c'.repeat(128),
    signed_at: '2026-12-03T02:00:00Z',
    opinion: DEFAULT_OPINION,
    invalidated_at: null,
    invalidated_reason: null,
    ...patch,
  }
}

function itemView(state: ItemView['item']['state'] = 'draft'): ItemView {
  const content = emptyContent()
  content.title = '市教育局召开安全工作会议'
  content.body = '会议部署了安全工作。\n'
  return {
    item: {
      id: ITEM,
      content,
      state,
      returned_reason: null,
      published_url: null,
      revision: 4,
      created_at: '2026-12-03T01:00:00Z',
      updated_at: '2026-12-03T01:00:00Z',
    },
    allowed_actions: ['edit', 'send_for_signoff'],
    editable: true,
  }
}

function detail(patch: Partial<ReviewDetail> = {}): ReviewDetail {
  return {
    review: review(),
    title: '市教育局召开安全工作会议',
    summary: '',
    body_html: '<p>会议<strong>部署</strong>了秋季学期安全工作。</p><p>要求各校落实值班制度。</p>',
    findings: [
      {
        rule: 'lexicon.misstatement',
        severity: 'error',
        field: 'body',
        excerpt: '落实值班制度',
        message: { zh: '可能的错误表述', en: 'Possible misstatement' },
        decision: { kind: 'waived', reason: '原文件如此表述', by: 'jyj.xxy' },
      },
    ],
    diff: {
      from: 2,
      to: 3,
      fields: [],
      body: [
        { tag: 'delete', text: '会议部署了安全工作。' },
        { tag: 'insert', text: '会议部署了秋季学期安全工作。' },
      ],
      body_unified: '',
    },
    previous_status: 'returned',
    previous_comments: [],
    ...patch,
  }
}

const q = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid=${id}]`)

function mountIn<P extends Record<string, unknown>>(component: Parameters<typeof createApp>[0], props: P) {
  const root = document.createElement('div')
  document.body.appendChild(root)
  const app = createApp(component, props)
  app.mount(root)
  return { root, app }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await nextTick()
  }
}

/** Selects `text` inside `container` (the first occurrence, within one text node). */
function select(container: HTMLElement, text: string): void {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent?.indexOf(text) ?? -1
    if (at < 0) continue
    const range = document.createRange()
    range.setStart(node, at)
    range.setEnd(node, at + text.length)
    const sel = window.getSelection()!
    sel.removeAllRanges()
    sel.addRange(range)
    return
  }
  throw new Error(`"${text}" is not in the container`)
}

afterEach(() => {
  clearMocks()
  setLang('zh-CN')
  window.getSelection()?.removeAllRanges()
  document.body.innerHTML = ''
})

describe('what the author is shown', () => {
  it('shows a 退回修改 only while the item is back with the author', () => {
    const returned = review({ status: 'returned', opinion: '请补充时间' })
    const reviews: ItemReviews = { reviews: [returned, review({ id: 'r0', status: 'signed_off' })], signoff: null }
    expect(returnedReview(reviews, 'draft')).toEqual(returned)
    // Sent again: the newest review is the pending one, not the return.
    expect(returnedReview({ reviews: [review(), returned], signoff: null }, 'awaiting_signoff')).toBeNull()
    expect(returnedReview({ reviews: [review({ status: 'signed_off' })], signoff: null }, 'draft')).toBeNull()
    expect(returnedReview(null, 'draft')).toBeNull()
  })

  it('calls a sign-off lapsed when it was invalidated and the item is a draft again', () => {
    const lapsed = signoff({ invalidated_at: '2026-12-03T03:00:00Z', invalidated_reason: 'edited' })
    expect(lapsedSignoff({ reviews: [], signoff: lapsed }, 'draft')).toEqual(lapsed)
    expect(lapsedSignoff({ reviews: [], signoff: signoff() }, 'draft')).toBeNull()
    expect(lapsedSignoff({ reviews: [], signoff: lapsed }, 'awaiting_signoff')).toBeNull()
  })

  it('knows a head only while the window is not locked', () => {
    const base = { status: {} as never, keyring: { state: 'ok' as const }, profile: null, display_name: null, unit_name: null }
    expect(isHead({ ...base, role: 'unit_head', locked: false })).toBe(true)
    expect(isHead({ ...base, role: 'unit_head', locked: true })).toBe(false)
    expect(isHead({ ...base, role: 'liaison_officer', locked: false })).toBe(false)
    expect(isHead(null)).toBe(false)
  })

  it('shortens long quotes by characters, not bytes', () => {
    expect(shortQuote('会议部署了安全工作', 4)).toBe('会议部署…')
    expect(shortQuote('  短句  ')).toBe('短句')
  })
})

describe('anchorOf', () => {
  it('counts the visible text across elements, in UTF-16 units', () => {
    const el = document.createElement('div')
    el.innerHTML = '<p>会议<strong>部署</strong>了𠮷安全工作。</p>'
    document.body.appendChild(el)
    select(el, '安全工作')
    const anchor = anchorOf(el, window.getSelection())
    // 会议部署了 = 5 units, 𠮷 = 2 units (a surrogate pair).
    expect(anchor).toEqual({ field: 'body', start: 7, end: 11, quote: '安全工作' })
    expect((el.textContent ?? '').slice(anchor!.start, anchor!.end)).toBe('安全工作')
  })

  it('ignores an empty selection and one outside the body', () => {
    const el = document.createElement('div')
    el.textContent = '正文'
    const other = document.createElement('div')
    other.textContent = '别处的文字'
    document.body.append(el, other)
    expect(anchorOf(el, window.getSelection())).toBeNull()
    select(other, '别处')
    expect(anchorOf(el, window.getSelection())).toBeNull()
  })
})

describe('ReviewScreen', () => {
  function mountScreen(d: ReviewDetail = detail()) {
    const calls: [string, Record<string, unknown>][] = []
    mockIPC((cmd, args) => {
      calls.push([cmd, (args ?? {}) as Record<string, unknown>])
      if (cmd === 'review_detail') return d
      if (cmd === 'sign_review') return { ...d.review, status: 'signed_off' }
      if (cmd === 'return_review') return { ...d.review, status: 'returned' }
      throw `unexpected ${cmd}`
    })
    const decided: string[] = []
    const mounted = mountIn(ReviewScreen, { reviewId: 'r1', onDecided: () => decided.push('decided') })
    return { ...mounted, calls, decided }
  }

  it('shows the rendered item, every check decision with its reason, and the diff', async () => {
    const { root, app } = mountScreen()
    await settle()
    expect(q(root, 'review-item-title')!.textContent).toBe('市教育局召开安全工作会议')
    expect(q(root, 'review-body')!.innerHTML).toContain('<strong>部署</strong>')
    const finding = q(root, 'review-finding')!
    expect(finding.textContent).toContain('可能的错误表述')
    expect(q(finding, 'review-finding-decision')!.textContent).toContain('确认无误：原文件如此表述')
    expect(Array.from(root.querySelectorAll<HTMLElement>('[data-testid=review-diff-line]')).map((l) => l.dataset.tag)).toEqual([
      'delete',
      'insert',
    ])
    expect(q(root, 'review-diff')!.textContent).toContain('已退回修改')
    app.unmount()
  })

  it('says so when there is nothing earlier to compare with', async () => {
    const { root, app } = mountScreen(detail({ diff: null, previous_status: null, findings: [] }))
    await settle()
    expect(q(root, 'review-diff')!.textContent).toContain('第一次送审')
    expect(q(root, 'review-check')!.textContent).toContain('检查没有发现问题')
    app.unmount()
  })

  it('signs with 同意报送 unless the head writes another opinion', async () => {
    const { root, app, calls, decided } = mountScreen()
    await settle()
    q(root, 'review-sign')!.click()
    await nextTick()
    const opinion = q(root, 'sign-opinion') as HTMLTextAreaElement
    expect(opinion.value).toBe('同意报送')
    q(root, 'sign-confirm')!.click()
    await settle()
    expect(calls.find(([c]) => c === 'sign_review')?.[1]).toEqual({ reviewId: 'r1', opinion: '同意报送' })
    expect(decided).toEqual(['decided'])
    app.unmount()
  })

  it('returns with comments anchored to the words selected in the rendered body', async () => {
    const { root, app, calls } = mountScreen()
    await settle()
    const body = q(root, 'review-body')!
    expect(q(root, 'comment-box')).toBeNull()
    select(body, '值班制度')
    body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }))
    await nextTick()
    const box = q(root, 'comment-box')!
    expect(box.textContent).toContain('值班制度')
    const text = q(root, 'comment-text') as HTMLTextAreaElement
    text.value = '请写明值班安排'
    text.dispatchEvent(new Event('input'))
    await nextTick()
    q(root, 'comment-add')!.click()
    await nextTick()
    expect(q(root, 'draft-comment')!.textContent).toContain('请写明值班安排')

    q(root, 'review-return')!.click()
    await nextTick()
    q(root, 'return-confirm')!.click()
    await settle()
    const args = calls.find(([c]) => c === 'return_review')?.[1]
    // 会议部署了秋季学期安全工作。(14) + 要求各校落实 (6) = 20 units before 值班制度.
    expect(args).toEqual({
      reviewId: 'r1',
      opinion: '',
      comments: [{ anchor: { field: 'body', start: 20, end: 24, quote: '值班制度' }, text: '请写明值班安排' }],
    })
    app.unmount()
  })

  it('will not return without a reason or a comment', async () => {
    const { root, app, calls } = mountScreen()
    await settle()
    q(root, 'review-return')!.click()
    await nextTick()
    q(root, 'return-confirm')!.click()
    await settle()
    expect(q(root, 'decide-error')!.textContent).toContain('请写退回意见')
    expect(calls.some(([c]) => c === 'return_review')).toBe(false)
    app.unmount()
  })

  it('shows the shell’s refusal (not a head, no key) in the decision dialog', async () => {
    const calls: string[] = []
    mockIPC((cmd) => {
      calls.push(cmd)
      if (cmd === 'review_detail') return detail()
      throw { code: 'not_a_head', zh: '只有单位负责人可以签发。', en: 'Only unit heads sign off.' }
    })
    const { root, app } = mountIn(ReviewScreen, { reviewId: 'r1' })
    await settle()
    q(root, 'review-sign')!.click()
    await nextTick()
    q(root, 'sign-confirm')!.click()
    await settle()
    expect(q(root, 'decide-error')!.dataset.code).toBe('not_a_head')
    expect(q(root, 'decide-error')!.textContent).toContain('只有单位负责人可以签发')
    app.unmount()
  })
})

describe('ReviewBanner', () => {
  function mountBanner(reviews: ItemReviews, state: ItemView['item']['state'] = 'draft') {
    mockIPC((cmd) => {
      if (cmd === 'item_reviews') return reviews
      throw `unexpected ${cmd}`
    })
    return mountIn(ReviewBanner, { view: itemView(state) })
  }

  it('shows the head’s opinion and every comment with the words it is about', async () => {
    const returned = review({
      status: 'returned',
      decided_by: 'jyj.fzr',
      decided_name: '李强',
      opinion: '请补充时间安排',
      comments: [
        {
          anchor: { field: 'body', start: 22, end: 26, quote: '值班制度' },
          text: '请写明值班安排',
          author: 'jyj.fzr',
          at: '2026-12-03T02:00:00Z',
        },
        { anchor: null, text: '标题太长', author: 'jyj.fzr', at: '2026-12-03T02:00:00Z' },
      ],
    })
    const { root, app } = mountBanner({ reviews: [returned], signoff: null })
    await settle()
    const banner = q(root, 'review-returned-banner')!
    expect(banner.textContent).toContain('李强 退回修改')
    expect(q(banner, 'review-returned-opinion')!.textContent).toContain('请补充时间安排')
    const comments = Array.from(banner.querySelectorAll('[data-testid=review-comment]')).map((c) => c.textContent ?? '')
    expect(comments[0]).toContain('值班制度')
    expect(comments[0]).toContain('请写明值班安排')
    expect(comments[1]).toContain('整篇稿件')
    expect(q(root, 'signoff-lapsed-banner')).toBeNull()
    app.unmount()
  })

  it('says 签发已失效 when an edit cancelled the sign-off', async () => {
    const { root, app } = mountBanner({
      reviews: [review({ status: 'signed_off' })],
      signoff: signoff({ invalidated_at: '2026-12-03T03:00:00Z', invalidated_reason: 'edited' }),
    })
    await settle()
    expect(q(root, 'signoff-lapsed-banner')!.textContent).toContain('签发已失效')
    expect(q(root, 'signoff-lapsed-banner')!.textContent).toContain('李强')
    app.unmount()
  })

  it('says whom a pending review waits for', async () => {
    const { root, app } = mountBanner({ reviews: [review()], signoff: null }, 'awaiting_signoff')
    await settle()
    expect(q(root, 'review-pending-banner')!.textContent).toContain('等待 jyj.fzr 签发')
    app.unmount()
  })
})

describe('SendForReviewDialog', () => {
  it('sends to the named head with the note, on this computer by default', async () => {
    const calls: [string, Record<string, unknown>][] = []
    mockIPC((cmd, args) => {
      calls.push([cmd, (args ?? {}) as Record<string, unknown>])
      if (cmd === 'send_for_review') return itemView('awaiting_signoff')
      throw `unexpected ${cmd}`
    })
    const session = new ItemSession(itemView())
    const sent: ItemView[] = []
    const { root, app } = mountIn(SendForReviewDialog, {
      session,
      open: false,
      canUsePortal: true,
      onSent: (v: ItemView) => sent.push(v),
    })
    // Opened after mounting, as the editor does.
    app.unmount()
    const again = mountIn(SendForReviewDialog, { session, open: true, canUsePortal: true, onSent: (v: ItemView) => sent.push(v) })
    await settle()
    const to = q(again.root, 'review-to') as HTMLInputElement
    to.value = ' jyj.fzr '
    to.dispatchEvent(new Event('input'))
    const note = q(again.root, 'review-note') as HTMLTextAreaElement
    note.value = '请今天签发'
    note.dispatchEvent(new Event('input'))
    expect((q(again.root, 'review-route-local') as HTMLInputElement).checked).toBe(true)
    q(again.root, 'review-send')!.click()
    await settle()
    expect(calls.find(([c]) => c === 'send_for_review')?.[1]).toEqual({
      id: ITEM,
      form: { to: 'jyj.fzr', note: '请今天签发', via_portal: false },
    })
    expect(sent.map((v) => v.item.state)).toEqual(['awaiting_signoff'])
    expect(session.view.value.item.state).toBe('awaiting_signoff')
    expect(root.textContent).toBe('')
    again.app.unmount()
  })

  it('keeps the dialog open with the refusal when the check is not clean', async () => {
    mockIPC((cmd) => {
      if (cmd === 'send_for_review') {
        throw { code: 'not_ready_for_signoff', zh: '检查还有未处理的问题。', en: 'The check has open findings.' }
      }
      throw `unexpected ${cmd}`
    })
    const session = new ItemSession(itemView())
    const { root, app } = mountIn(SendForReviewDialog, { session, open: true, canUsePortal: false })
    await settle()
    expect((q(root, 'review-route-portal') as HTMLInputElement).disabled).toBe(true)
    ;(q(root, 'review-send') as HTMLButtonElement).click()
    await settle()
    expect(q(root, 'send-review-error')!.dataset.code).toBe('not_ready_for_signoff')
    expect(q(root, 'send-review-dialog')).not.toBeNull()
    app.unmount()
  })
})
