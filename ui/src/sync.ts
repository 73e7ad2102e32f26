// The portal connection as the window shows it: who is signed in, whether
// the portal can be reached, what waits in the outbox, and what the sync
// worker reports (src-tauri/src/sync.rs forwards every event). The work —
// sending, retrying, following the portal's statuses — happens in Rust; this
// module only keeps the window's picture of it and turns events into notices.

import { ref, shallowRef } from 'vue'

import {
  listOutbox,
  login,
  logout,
  onKeyringCheck,
  onSyncEvent,
  retryOutboxEntry,
  type SignInForm,
  switchUser,
  syncNow,
  syncStatus,
} from './api'
import type { ItemId } from './bindings/ItemId'
import type { KeyringCheck } from './bindings/KeyringCheck'
import type { OutboxEntry } from './bindings/OutboxEntry'
import type { OutboxStatus } from './bindings/OutboxStatus'
import type { SyncEvent } from './bindings/SyncEvent'
import type { SyncOverview } from './bindings/SyncOverview'
import type { SyncStatus } from './bindings/SyncStatus'
import type { UploadProgress } from './bindings/UploadProgress'
import type { UserError } from './bindings/UserError'
import { confirm } from './confirm'
import { type MessageKey, type Params, t } from './i18n'
import { notifyError, notifyInfo, notifyWarn } from './notices'

/** The local demo portal (`make run` starts it): the sign-in dialog's default address. */
export const DEFAULT_PORTAL_URL = 'http://127.0.0.1:8787'

/** What the header's indicator shows. */
export type Indicator =
  | 'unknown' // sync_status has not answered (or the store is unavailable)
  | 'signed_out'
  | 'expired' // the portal no longer accepts the sign-in
  | 'connecting' // signed in, no pass finished yet
  | 'syncing'
  | 'online'
  | 'offline'

export function indicatorOf(overview: SyncOverview | null): Indicator {
  if (!overview) return 'unknown'
  const s = overview.status
  if (!s.signed_in) return s.last_error?.code === 'sign_in_required' ? 'expired' : 'signed_out'
  if (s.syncing) return 'syncing'
  if (s.online) return 'online'
  return s.last_error ? 'offline' : 'connecting'
}

/** What to say when an item went into the outbox (报送), given the connection. */
export function queuedNoticeKey(overview: SyncOverview | null): MessageKey {
  switch (indicatorOf(overview)) {
    case 'online':
    case 'syncing':
    case 'connecting':
      return 'sync.queued'
    case 'offline':
      return 'sync.queuedWaiting'
    default:
      return 'sync.queuedOffline'
  }
}

/** The label key of an outbox entry's status: 待报送, 拒收, 已报送. */
export function outboxStatusKey(status: OutboxStatus): MessageKey {
  return `outbox.status.${status}`
}

/** The label key of a portal status code (`received`, `returned`, …), if known. */
export function portalStatusKey(code: string): MessageKey | null {
  const known = ['received', 'in_review', 'adopted', 'published', 'returned', 'not_adopted', 'withdrawn']
  return known.includes(code) ? (`portal.status.${code}` as MessageKey) : null
}

/** A notice to show for a worker event. */
export type SyncNotice =
  | { kind: 'info' | 'warn'; key: MessageKey; params: Params }
  | { kind: 'error'; error: UserError }

/**
 * What the person is told about an event: delivered (info), refused (error,
 * with the portal's message), and an item the portal adopted (info),
 * published (info) or returned (a warning that stays, with the reason). The
 * shell also sends a desktop notification for the last three.
 */
export function noticeFor(event: SyncEvent): SyncNotice | null {
  switch (event.kind) {
    case 'delivered':
      return { kind: 'info', key: 'sync.notice.delivered', params: { title: event.entry.item_title } }
    case 'refused': {
      const title = event.entry.item_title
      const { error } = event
      return {
        kind: 'error',
        error: {
          code: error.code,
          zh: `门户网站拒收《${title}》：${error.zh}`,
          en: `The portal refused “${title}”: ${error.en}`,
        },
      }
    }
    case 'changed': {
      const c = event.change
      if (!c.moved) return null
      const title = c.title
      switch (c.state) {
        case 'returned': {
          const reason = c.event.reason?.trim() || c.event.comment.trim()
          return { kind: 'warn', key: 'sync.notice.returned', params: { title, reason } }
        }
        case 'adopted':
          return { kind: 'info', key: 'sync.notice.adopted', params: { title } }
        case 'published':
          return { kind: 'info', key: 'sync.notice.published', params: { title, url: c.event.public_url ?? '' } }
        default:
          return null
      }
    }
    case 'review': {
      // From the portal's review queue: the head's decision reaches the
      // author; a new request reaches the head.
      const r = event.review
      const by = r.decided_name ?? r.decided_by ?? ''
      switch (r.status) {
        case 'signed_off':
          return { kind: 'info', key: 'sync.notice.reviewSigned', params: { title: r.title, by } }
        case 'returned':
          return { kind: 'warn', key: 'sync.notice.reviewReturned', params: { title: r.title, by } }
        case 'pending':
          return { kind: 'info', key: 'sync.notice.reviewPending', params: { title: r.title, from: r.from_name } }
        default:
          return null
      }
    }
    case 'status':
    case 'upload':
      return null
  }
}

/** The item an event is about, if any. */
export function itemOf(event: SyncEvent): ItemId | null {
  switch (event.kind) {
    case 'delivered':
    case 'refused':
      return event.entry.item_id
    case 'changed':
      return event.change.item_id
    case 'review':
      return event.review.item_id
    case 'status':
    case 'upload':
      return null
  }
}

/**
 * `12.3 MB / 200.0 MB · 8.1 MB/s · 约 23 秒` for an upload in progress (the
 * rate and time left once measured).
 */
export function uploadText(p: UploadProgress): string {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1)
  const parts = [`${mb(p.sent)} MB / ${mb(p.total)} MB`]
  if (p.bytes_per_sec > 0) parts.push(`${mb(p.bytes_per_sec)} MB/s`)
  if (p.eta_secs !== null) parts.push(t('sync.upload.eta', { s: Math.max(1, Math.round(p.eta_secs)) }))
  return parts.join(' · ')
}

function show(notice: SyncNotice): void {
  if (notice.kind === 'error') notifyError(notice.error)
  else if (notice.kind === 'warn') notifyWarn(notice.key, notice.params)
  else notifyInfo(notice.key, notice.params)
}

export interface SyncHooks {
  /** An item changed at the portal or in the outbox: reload what shows it. */
  onItemChanged?: (id: ItemId) => void
}

/** The window's picture of syncing. One per window (see `useSync`). */
export class SyncModel {
  readonly overview = shallowRef<SyncOverview | null>(null)
  readonly outbox = shallowRef<OutboxEntry[]>([])
  readonly outboxLoading = ref(false)
  readonly includeDelivered = ref(false)
  readonly signInOpen = ref(false)
  readonly outboxOpen = ref(false)
  readonly busy = ref(false)
  /** Attachment uploads in progress, by file hash (finished ones drop out). */
  readonly uploads = shallowRef<ReadonlyMap<string, UploadProgress>>(new Map())
  /** Bumped on every event about an item: panes that show portal state reload. */
  readonly itemEvents = ref(0)

  private hooks: SyncHooks = {}
  private keyringReported = false
  private unlisten: (() => void)[] = []

  /** Subscribes to the shell's events, then asks where syncing stands. */
  async start(hooks: SyncHooks = {}): Promise<void> {
    this.hooks = hooks
    try {
      this.unlisten.push(await onSyncEvent((e) => this.handle(e)))
      this.unlisten.push(await onKeyringCheck((k) => this.keyring(k)))
    } catch (error) {
      // Without events the header still works, it just updates less often.
      console.warn('sync events unavailable', error)
    }
    await this.refresh()
  }

  stop(): void {
    for (const u of this.unlisten.splice(0)) u()
  }

  async refresh(): Promise<void> {
    try {
      this.setOverview(await syncStatus())
    } catch (error) {
      // The store could not be opened: the app already says so elsewhere.
      console.warn('sync_status failed', error)
    }
  }

  private setOverview(next: SyncOverview): void {
    const before = indicatorOf(this.overview.value)
    this.overview.value = next
    const after = indicatorOf(next)
    if (after === 'expired' && before !== 'expired' && next.status.last_error) {
      notifyError(next.status.last_error)
    }
    // The self-test may end before the window listens: report it either way, once.
    this.reportKeyring(next.keyring)
  }

  private reportKeyring(check: KeyringCheck): void {
    if (check.state === 'failed' && !this.keyringReported) {
      this.keyringReported = true
      notifyError(check.error)
    } else if (check.state === 'ok') {
      this.keyringReported = false
    }
  }

  /** A worker event, as the shell forwards it. */
  handle(event: SyncEvent): void {
    if (event.kind === 'status') {
      this.setStatus(event.status)
      return
    }
    if (event.kind === 'upload') {
      const next = new Map(this.uploads.value)
      const p = event.progress
      if (p.sent >= p.total || p.deduplicated) next.delete(p.sha256)
      else next.set(p.sha256, p)
      this.uploads.value = next
      return
    }
    const notice = noticeFor(event)
    if (notice) show(notice)
    const id = itemOf(event)
    if (id !== null) {
      this.itemEvents.value++
      this.hooks.onItemChanged?.(id)
    }
    if (this.outboxOpen.value) void this.loadOutbox()
    // Delivered or refused changes the counts; the next status event has them too.
    void this.refresh()
  }

  private setStatus(status: SyncStatus): void {
    const current = this.overview.value
    if (!current) {
      void this.refresh()
      return
    }
    this.setOverview({ ...current, status })
  }

  /** The keyring self-test's outcome (sent once, shortly after start). */
  keyring(check: KeyringCheck): void {
    const current = this.overview.value
    if (current) this.overview.value = { ...current, keyring: check }
    this.reportKeyring(check)
  }

  /** Signs in; throws the `ApiError` for the dialog to show. */
  async signIn(form: SignInForm): Promise<void> {
    const next = await login(form)
    this.setOverview(next)
    this.signInOpen.value = false
    const name = next.display_name ?? next.status.username ?? form.username
    notifyInfo('sync.signedIn', { name })
  }

  async signOut(): Promise<void> {
    const ok = await confirm({
      title: 'sync.logoutConfirm.title',
      body: 'sync.logoutConfirm.body',
      confirm: 'sync.logout',
    })
    if (!ok) return
    this.busy.value = true
    try {
      this.setOverview(await logout())
      notifyInfo('sync.signedOutNotice')
    } catch (error) {
      notifyError(error)
      await this.refresh()
    } finally {
      this.busy.value = false
    }
  }

  /** 切换用户: locks the window and signs out (the caller has stored open edits). */
  async switchUser(): Promise<void> {
    this.busy.value = true
    try {
      this.setOverview(await switchUser())
    } catch (error) {
      notifyError(error)
      await this.refresh()
    } finally {
      this.busy.value = false
    }
  }

  /** Whether 切换用户 locked the window. */
  get locked(): boolean {
    return this.overview.value?.locked ?? false
  }

  async syncNow(): Promise<void> {
    this.busy.value = true
    try {
      this.setOverview(await syncNow())
    } catch (error) {
      notifyError(error)
    } finally {
      this.busy.value = false
    }
  }

  openSignIn(): void {
    this.signInOpen.value = true
  }

  openOutbox(): void {
    this.outboxOpen.value = true
    void this.loadOutbox()
  }

  async loadOutbox(): Promise<void> {
    this.outboxLoading.value = true
    try {
      this.outbox.value = await listOutbox(this.includeDelivered.value)
    } catch (error) {
      notifyError(error)
    } finally {
      this.outboxLoading.value = false
    }
  }

  async retry(entry: OutboxEntry): Promise<void> {
    try {
      await retryOutboxEntry(entry.id)
      notifyInfo('outbox.retried', { title: entry.item_title })
    } catch (error) {
      notifyError(error)
    }
    await Promise.all([this.loadOutbox(), this.refresh()])
  }

  /** Whether a sign-in is in place (for the 报送 notice). */
  get signedIn(): boolean {
    return this.overview.value?.status.signed_in ?? false
  }
}

let instance: SyncModel | null = null

/** The window's sync model. */
export function useSync(): SyncModel {
  instance ??= new SyncModel()
  return instance
}
