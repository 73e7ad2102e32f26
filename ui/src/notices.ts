// Toasts and error banners. An error is kept as the Rust `UserError` (both
// languages), so switching the interface language re-renders it in the new
// one. Errors and warnings (an item returned by the portal) stay until
// closed; information disappears by itself.

import { reactive } from 'vue'

import { asApiError } from './api'
import type { UserError } from './bindings/UserError'
import type { MessageKey, Params } from './i18n'

export type Notice =
  | { id: number; kind: 'error'; error: UserError }
  | { id: number; kind: 'info' | 'warn'; key: MessageKey; params?: Params }

const MAX_NOTICES = 4
const INFO_MS = 4000

let nextId = 1

export const notices = reactive<Notice[]>([])

function push(notice: Notice): void {
  notices.push(notice)
  while (notices.length > MAX_NOTICES) notices.shift()
}

/** Shows an error from Rust, or anything thrown, in the interface language. */
export function notifyError(reason: unknown): void {
  const error = asApiError(reason)
  // The same message twice in a row (e.g. repeated retries) shows once.
  const last = notices[notices.length - 1]
  if (last?.kind === 'error' && last.error.code === error.code && last.error.zh === error.zh) return
  push({ id: nextId++, kind: 'error', error: { code: error.code, zh: error.zh, en: error.en } })
}

export function notifyInfo(key: MessageKey, params?: Params): void {
  const id = nextId++
  push({ id, kind: 'info', key, ...(params ? { params } : {}) })
  setTimeout(() => dismiss(id), INFO_MS)
}

/** Something the person must see and act on (e.g. 退回): stays until closed. */
export function notifyWarn(key: MessageKey, params?: Params): void {
  push({ id: nextId++, kind: 'warn', key, ...(params ? { params } : {}) })
}

export function dismiss(id: number): void {
  const index = notices.findIndex((n) => n.id === id)
  if (index >= 0) notices.splice(index, 1)
}
