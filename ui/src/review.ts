// Review and sign-off (送审 → 签发 / 退回修改) as the window needs it: small
// pure helpers the components share, and the head's 待我签发 list. The rules
// (who may sign, what a signature covers, when it lapses) live in Rust
// (baosong-core, baosong-sync); this module only reads their answers.

import { ref, shallowRef } from 'vue'

import { pendingReviews, rotateSigningKey, signingKey } from './api'
import type { ItemReviews } from './bindings/ItemReviews'
import type { ItemState } from './bindings/ItemState'
import type { Review } from './bindings/Review'
import type { ReviewStatus } from './bindings/ReviewStatus'
import type { Signoff } from './bindings/Signoff'
import type { SigningKeyStatus } from './bindings/SigningKeyStatus'
import type { SyncOverview } from './bindings/SyncOverview'
import type { TextAnchor } from './bindings/TextAnchor'
import type { MessageKey } from './i18n'
import { notifyError, notifyInfo } from './notices'

/** The opinion a 签发 carries unless the head writes another (同 baosong_api::signing::DEFAULT_OPINION). */
export const DEFAULT_OPINION = '同意报送'

/** Whether the signed-in person signs off (单位负责人). */
export function isHead(overview: SyncOverview | null): boolean {
  return overview?.role === 'unit_head' && !overview.locked
}

/** The label key of a review's status: 待签发, 已签发, 已退回修改, 已取消. */
export function reviewStatusKey(status: ReviewStatus): MessageKey {
  return `review.status.${status}`
}

/** The newest review of an item (the list comes newest first). */
export function latestReview(reviews: ItemReviews | null): Review | null {
  return reviews?.reviews[0] ?? null
}

/**
 * The head's 退回修改 to show the author: the newest review, when it was
 * returned and the item is back with the author (not yet sent again).
 */
export function returnedReview(reviews: ItemReviews | null, state: ItemState): Review | null {
  const latest = latestReview(reviews)
  if (!latest || latest.status !== 'returned') return null
  return state === 'draft' || state === 'returned' ? latest : null
}

/**
 * 签发已失效: the latest sign-off was invalidated (the item changed after
 * signing) and the item has not been signed again since.
 */
export function lapsedSignoff(reviews: ItemReviews | null, state: ItemState): Signoff | null {
  const s = reviews?.signoff
  if (!s || s.invalidated_at === null) return null
  return state === 'draft' ? s : null
}

/** The number of UTF-16 code units of `container`'s text before (`node`, `offset`). */
export function textOffset(container: Node, node: Node, offset: number): number | null {
  if (node !== container && !container.contains(node)) return null
  const range = container.ownerDocument?.createRange() ?? document.createRange()
  range.selectNodeContents(container)
  range.setEnd(node, offset)
  return range.toString().length
}

/**
 * The anchor of a selection inside the rendered body: offsets into the
 * body's visible text (UTF-16, as the editor counts) and the text selected.
 * `null` when nothing, or something outside `container`, is selected.
 */
export function anchorOf(container: Node, selection: Selection | null, field = 'body'): TextAnchor | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null
  const range = selection.getRangeAt(0)
  const start = textOffset(container, range.startContainer, range.startOffset)
  const end = textOffset(container, range.endContainer, range.endOffset)
  if (start === null || end === null || end <= start) return null
  const quote = (container.textContent ?? '').slice(start, end)
  if (quote.trim() === '') return null
  return { field, start, end, quote }
}

/** A quote shortened for lists: the first `max` characters and an ellipsis. */
export function shortQuote(quote: string, max = 40): string {
  const chars = Array.from(quote.trim())
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`
}

/** The head's side: 待我签发 and the signing key. One per window (see `useReviews`). */
export class ReviewsModel {
  readonly pending = shallowRef<Review[]>([])
  readonly key = shallowRef<SigningKeyStatus | null>(null)
  readonly listOpen = ref(false)
  /** The review on show in the review screen. */
  readonly openId = ref<string | null>(null)
  readonly loading = ref(false)

  async refresh(): Promise<void> {
    this.loading.value = true
    try {
      this.pending.value = await pendingReviews()
    } catch (error) {
      notifyError(error)
    } finally {
      this.loading.value = false
    }
  }

  async loadKey(): Promise<void> {
    try {
      this.key.value = await signingKey()
    } catch (error) {
      notifyError(error)
    }
  }

  async rotateKey(): Promise<void> {
    try {
      this.key.value = await rotateSigningKey()
      notifyInfo('review.key.rotated', { fingerprint: this.key.value.fingerprint ?? '' })
    } catch (error) {
      notifyError(error)
    }
  }

  openList(): void {
    this.listOpen.value = true
    void this.refresh()
    void this.loadKey()
  }

  open(reviewId: string): void {
    this.listOpen.value = false
    this.openId.value = reviewId
  }

  /** After a decision: close the screen, and the list shows what is left. */
  decided(): void {
    this.openId.value = null
    void this.refresh()
  }

  /** 切换用户: nothing of the previous person stays on show. */
  clear(): void {
    this.pending.value = []
    this.key.value = null
    this.listOpen.value = false
    this.openId.value = null
  }
}

let instance: ReviewsModel | null = null

export function useReviews(): ReviewsModel {
  instance ??= new ReviewsModel()
  return instance
}
