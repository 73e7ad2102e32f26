// Every call from the UI to the Rust side goes through this module.
//
// The commands live in src-tauri/src/commands.rs. Tauri turns the Rust
// argument names from snake_case into camelCase for JavaScript, so
// `base_revision` is sent as `baseRevision`. A failed command rejects with a
// `UserError` ({code, zh, en}); this module turns every rejection, including
// the ones Tauri itself produces (unknown command, bad arguments, no IPC at
// all), into an `ApiError` carrying such a `UserError`, so callers only ever
// deal with one error shape.

import { invoke } from '@tauri-apps/api/core'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'

import type { Action } from './bindings/Action'
import type { AppInfo } from './bindings/AppInfo'
import type { AttachmentChange } from './bindings/AttachmentChange'
import type { AttachmentResized } from './bindings/AttachmentResized'
import type { CheckReport } from './bindings/CheckReport'
import type { ExportedSheet } from './bindings/ExportedSheet'
import type { ColumnRef } from './bindings/ColumnRef'
import type { DecisionKind } from './bindings/DecisionKind'
import type { ItemCheck } from './bindings/ItemCheck'
import type { ItemContent } from './bindings/ItemContent'
import type { ImportReport } from './bindings/ImportReport'
import type { ItemId } from './bindings/ItemId'
import type { ItemPortal } from './bindings/ItemPortal'
import type { ItemReviews } from './bindings/ItemReviews'
import type { ItemSummary } from './bindings/ItemSummary'
import type { ItemView } from './bindings/ItemView'
import type { KeyringCheck } from './bindings/KeyringCheck'
import type { Lang } from './bindings/Lang'
import type { ListQuery } from './bindings/ListQuery'
import type { NewComment } from './bindings/NewComment'
import type { OutboxEntry } from './bindings/OutboxEntry'
import type { Review } from './bindings/Review'
import type { ReviewDetail } from './bindings/ReviewDetail'
import type { RegistrationRecord } from './bindings/RegistrationRecord'
import type { RevisionDiff } from './bindings/RevisionDiff'
import type { RevisionSummary } from './bindings/RevisionSummary'
import type { SendForReview } from './bindings/SendForReview'
import type { SigningKeyStatus } from './bindings/SigningKeyStatus'
import type { SyncEvent } from './bindings/SyncEvent'
import type { SyncOverview } from './bindings/SyncOverview'
import type { UserError } from './bindings/UserError'
import type { WebSize } from './bindings/WebSize'

/** The page size of the item list. */
export const PAGE_SIZE = 50

/** A failed command: the Rust `UserError`, as a throwable `Error`. */
export class ApiError extends Error implements UserError {
  readonly code: string
  readonly zh: string
  readonly en: string
  /** The command that failed, for logs. */
  readonly command: string

  constructor(command: string, user: UserError) {
    super(`${command}: [${user.code}] ${user.en}`)
    this.name = 'ApiError'
    this.command = command
    this.code = user.code
    this.zh = user.zh
    this.en = user.en
  }

  /** The message in the interface language. */
  messageFor(lang: Lang): string {
    return lang === 'en' ? this.en : this.zh
  }
}

export function isUserError(value: unknown): value is UserError {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.code === 'string' && typeof v.zh === 'string' && typeof v.en === 'string'
}

/**
 * Turns whatever a rejected `invoke` produced into a `UserError`. Rust sends a
 * `UserError`; Tauri itself rejects with a plain string (e.g. "invalid args
 * `id` for command `get_item`"); without the Tauri shell at all `invoke`
 * throws a `TypeError`.
 */
export function toUserError(reason: unknown): UserError {
  if (isUserError(reason)) return { code: reason.code, zh: reason.zh, en: reason.en }
  const detail = typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : describe(reason)
  return {
    code: 'ipc',
    zh: `与报送后台通信失败：${detail}`,
    en: `Could not talk to the Baosong backend: ${detail}`,
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** The error as an `ApiError`, whatever was thrown. */
export function asApiError(reason: unknown, command = 'ui'): ApiError {
  if (reason instanceof ApiError) return reason
  return new ApiError(command, toUserError(reason))
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (reason) {
    throw new ApiError(command, toUserError(reason))
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info')
}

export function listItems(query: ListQuery): Promise<ItemSummary[]> {
  return call<ItemSummary[]>('list_items', { query })
}

export function getItem(id: ItemId): Promise<ItemView> {
  return call<ItemView>('get_item', { id })
}

export function createItem(content: ItemContent): Promise<ItemView> {
  return call<ItemView>('create_item', { content })
}

/**
 * Saves the full content on top of `baseRevision`. Saving content equal to the
 * stored one is a no-op that answers the same revision; a stale base revision
 * fails with code `conflict`.
 */
export function saveItem(id: ItemId, content: ItemContent, baseRevision: number): Promise<ItemView> {
  return call<ItemView>('save_item', { id, content, baseRevision })
}

export function applyAction(id: ItemId, action: Action): Promise<ItemView> {
  return call<ItemView>('apply_action', { id, action })
}

/** Markdown to HTML, already sanitised by Rust (ammonia). */
/** The body's preview; with the item's id, its attached images show where they are placed. */
export function renderPreview(markdown: string, id: ItemId | null = null): Promise<string> {
  return call<string>('render_preview', { markdown, id })
}

export function listRevisions(id: ItemId): Promise<RevisionSummary[]> {
  return call<RevisionSummary[]>('list_revisions', { id })
}

export function diffRevisions(id: ItemId, from: number, to: number): Promise<RevisionDiff> {
  return call<RevisionDiff>('diff_revisions', { id, from, to })
}

export function restoreRevision(id: ItemId, revision: number): Promise<ItemView> {
  return call<ItemView>('restore_revision', { id, revision })
}

/**
 * Checks plain text (the editor's visible text, not Markdown): each finding's
 * `span.utf16_start/utf16_end` are offsets into exactly the strings sent.
 */
export function checkText(title: string, body: string): Promise<CheckReport> {
  return call<CheckReport>('check_text', { title, body })
}

/** The stored item's check, the decisions in force and the sign-off gate. */
export function checkItem(id: ItemId): Promise<ItemCheck> {
  return call<ItemCheck>('check_item', { id })
}

/**
 * Records a decision on a finding of the stored item (by fingerprint):
 * `fixed`, or `waived` (确认无误, errors only) with a reason. Waiving a blocker
 * or waiving without a reason fails with code `decision`.
 */
export function decideFinding(
  id: ItemId,
  fingerprint: string,
  kind: DecisionKind,
  reason: string | null,
): Promise<ItemCheck> {
  return call<ItemCheck>('decide_finding', { id, fingerprint, kind, reason })
}

export function listColumns(): Promise<ColumnRef[]> {
  return call<ColumnRef[]>('list_columns')
}

/** Tells the shell that the first screen is on show (cold-start measurement). */
export async function appReady(): Promise<void> {
  await call<null>('app_ready')
}

// ---- the portal (sync) -------------------------------------------------------

/** The Tauri events the shell sends (src-tauri/src/sync.rs). */
export const SYNC_EVENT = 'sync-event'
export const KEYRING_EVENT = 'keyring-check'

/** What the sign-in dialog sends. The password goes to Rust once and is kept nowhere. */
export interface SignInForm {
  portalUrl: string
  username: string
  password: string
  caCert: string | null
  proxy: string | null
}

/** Signed in as whom, online or not, the outbox counts, the keyring self-test. */
export function syncStatus(): Promise<SyncOverview> {
  return call<SyncOverview>('sync_status')
}

export function login(form: SignInForm): Promise<SyncOverview> {
  return call<SyncOverview>('login', { ...form })
}

export function logout(): Promise<SyncOverview> {
  return call<SyncOverview>('logout')
}

/** 报送: the signed-off item goes into the outbox (sent when the portal can be reached). */
export function submitItem(id: ItemId): Promise<ItemView> {
  return call<ItemView>('submit_item', { id })
}

/** 立即同步. Fails with code `not_signed_in` when signed out. */
export function syncNow(): Promise<SyncOverview> {
  return call<SyncOverview>('sync_now')
}

/** The outbox, newest first. */
export function listOutbox(includeDelivered: boolean): Promise<OutboxEntry[]> {
  return call<OutboxEntry[]>('list_outbox', { includeDelivered })
}

/** 立即重试 on an entry the portal refused. */
export function retryOutboxEntry(id: string): Promise<OutboxEntry> {
  return call<OutboxEntry>('retry_outbox_entry', { id })
}

/** One item at the portal: its submission, status timeline and outbox entries. */
export function itemPortal(id: ItemId): Promise<ItemPortal> {
  return call<ItemPortal>('item_portal', { id })
}

/**
 * 切换用户: locks the window (every data command answers `locked`) and signs
 * the current person out; the next one signs in with their own password.
 */
export function switchUser(): Promise<SyncOverview> {
  return call<SyncOverview>('switch_user')
}

// ---- review and sign-off (src-tauri/src/review.rs) ---------------------------

/** 送审: to a head (or any head), with a note, on this computer or also through the portal. */
export function sendForReview(id: ItemId, form: SendForReview): Promise<ItemView> {
  return call<ItemView>('send_for_review', { id, form })
}

/** 待我签发 for the signed-in head. Fails with code `not_a_head` for anyone else. */
export function pendingReviews(): Promise<Review[]> {
  return call<Review[]>('pending_reviews')
}

/** An item's reviews (newest first) and its latest sign-off. */
export function itemReviews(id: ItemId): Promise<ItemReviews> {
  return call<ItemReviews>('item_reviews', { id })
}

/** The review screen: the item as it will be signed (HTML sanitised by Rust), check, diff, comments. */
export function reviewDetail(reviewId: string): Promise<ReviewDetail> {
  return call<ReviewDetail>('review_detail', { reviewId })
}

/** 签发 with the head's signing key. */
export function signReview(reviewId: string, opinion: string): Promise<Review> {
  return call<Review>('sign_review', { reviewId, opinion })
}

/** 退回修改 with the opinion and comments. */
export function returnReview(reviewId: string, opinion: string, comments: NewComment[]): Promise<Review> {
  return call<Review>('return_review', { reviewId, opinion, comments })
}

export function signingKey(): Promise<SigningKeyStatus> {
  return call<SigningKeyStatus>('signing_key')
}

export function rotateSigningKey(): Promise<SigningKeyStatus> {
  return call<SigningKeyStatus>('rotate_signing_key')
}

/** The item's registration record (登记): author, secrecy review, 送审, 签发, portal steps. */
export function registrationRecord(id: ItemId): Promise<RegistrationRecord> {
  return call<RegistrationRecord>('registration_record', { id })
}

/** 导出审批单: saves the approval sheet PDF in the documents folder; says where. */
export function exportSheet(id: ItemId): Promise<ExportedSheet> {
  return call<ExportedSheet>('export_sheet', { id })
}

/** Calls `handler` with every event of the sync worker. Resolves to the unsubscribe function. */
export function onSyncEvent(handler: (event: SyncEvent) => void): Promise<UnlistenFn> {
  return listen<SyncEvent>(SYNC_EVENT, (e) => handler(e.payload))
}

/** Calls `handler` with the keyring self-test's outcome (sent once, after start). */
export function onKeyringCheck(handler: (check: KeyringCheck) => void): Promise<UnlistenFn> {
  return listen<KeyringCheck>(KEYRING_EVENT, (e) => handler(e.payload))
}

// ---- attachments (附件) and Word import ------------------------------------
//
// A file goes to Rust as the raw body of the IPC request, never as JSON; the
// item id and the file name travel in headers (percent-encoded: headers are
// ASCII).

async function callRaw<T>(command: string, file: File, headers: Record<string, string>): Promise<T> {
  let body: Uint8Array
  try {
    body = new Uint8Array(await file.arrayBuffer())
  } catch (reason) {
    throw new ApiError(command, toUserError(reason))
  }
  const encoded: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) encoded[k] = encodeURIComponent(v)
  try {
    return await invoke<T>(command, body, { headers: encoded })
  } catch (reason) {
    throw new ApiError(command, toUserError(reason))
  }
}

/** Attaches a file the user picked or dropped. Photos lose their metadata unless `keepMetadata`. */
export function attachFile(id: ItemId, file: File, keepMetadata = false): Promise<AttachmentChange> {
  return callRaw<AttachmentChange>('attach_file', file, {
    'x-item-id': id,
    'x-file-name': file.name,
    'x-keep-metadata': keepMetadata ? '1' : '0',
  })
}

/** 一键清理: comments, tracked changes, hidden text, personal properties; image metadata. */
export function cleanAttachment(id: ItemId, sha256: string): Promise<AttachmentChange> {
  return call<AttachmentChange>('clean_attachment', { id, sha256 })
}

/** 缩小用于网页: a smaller copy (longest side, JPEG quality) replaces the picture; the original stays local. */
export function downscaleAttachment(id: ItemId, sha256: string, size: WebSize): Promise<AttachmentResized> {
  return call<AttachmentResized>('downscale_attachment', { id, sha256, size })
}

export function setAttachmentAlt(id: ItemId, sha256: string, alt: string): Promise<ItemView> {
  return call<ItemView>('set_attachment_alt', { id, sha256, alt })
}

export function removeAttachment(id: ItemId, sha256: string): Promise<ItemView> {
  return call<ItemView>('remove_attachment', { id, sha256 })
}

/** 导入 Word: a .docx becomes a new draft in `column`. */
export function importDocx(file: File, column: ColumnRef, attachOriginal: boolean): Promise<ImportReport> {
  return callRaw<ImportReport>('import_docx', file, {
    'x-file-name': file.name,
    'x-column-id': column.id,
    'x-column-name': column.name,
    'x-attach-original': attachOriginal ? '1' : '0',
  })
}
