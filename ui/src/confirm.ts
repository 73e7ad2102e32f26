// An in-app confirmation dialog (window.confirm looks foreign, differs between
// WebView2 and WebKitGTK, and blocks the page). `confirm()` resolves to true
// when the person chose the confirming button.

import { shallowRef } from 'vue'

import type { MessageKey, Params } from './i18n'

export interface ConfirmRequest {
  title: MessageKey
  body: MessageKey
  params?: Params
  confirm: MessageKey
  cancel: MessageKey
  /** Whether confirming loses or changes something (red button). */
  danger: boolean
  resolve: (ok: boolean) => void
}

export const pendingConfirm = shallowRef<ConfirmRequest | null>(null)

export function confirm(options: Omit<ConfirmRequest, 'resolve' | 'cancel' | 'danger'> & {
  cancel?: MessageKey
  danger?: boolean
}): Promise<boolean> {
  // A second request answers the first with "no".
  pendingConfirm.value?.resolve(false)
  return new Promise<boolean>((resolve) => {
    pendingConfirm.value = {
      cancel: 'dialog.cancel',
      danger: false,
      ...options,
      resolve: (ok) => {
        pendingConfirm.value = null
        resolve(ok)
      },
    }
  })
}
