// A small typed dictionary instead of vue-i18n: the app's CSP forbids eval and
// `new Function`, which vue-i18n's message compiler needs, and two flat
// dictionaries are all this app has. `t()` reads the current language from a
// ref, so templates re-render when it changes.

import { ref } from 'vue'

import type { ActionKind } from '../bindings/ActionKind'
import type { ItemState } from '../bindings/ItemState'
import type { Lang } from '../bindings/Lang'
import type { Severity } from '../bindings/Severity'
import type { UserError } from '../bindings/UserError'
import { en } from './en'
import { type MessageKey, zhCN } from './zh-CN'

export type { MessageKey }
export type Params = Record<string, string | number>

export const LANGS: readonly Lang[] = ['zh-CN', 'en']
export const DEFAULT_LANG: Lang = 'zh-CN'
export const LANG_STORAGE_KEY = 'baosong.lang'

export const dictionaries: Record<Lang, Record<MessageKey, string>> = {
  'zh-CN': zhCN,
  en,
}

function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en'
}

/** The stored choice, else Chinese. */
export function loadLang(storage: Pick<Storage, 'getItem'> | null = safeStorage()): Lang {
  try {
    const stored = storage?.getItem(LANG_STORAGE_KEY)
    return isLang(stored) ? stored : DEFAULT_LANG
  } catch {
    return DEFAULT_LANG
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The interface language now in use. */
export const lang = ref<Lang>(loadLang())

export function setLang(next: Lang): void {
  lang.value = next
  try {
    safeStorage()?.setItem(LANG_STORAGE_KEY, next)
  } catch {
    // A locked-down profile may refuse storage; the choice then lasts the session.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next
}

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function format(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  )
}

export function t(key: MessageKey, params?: Params): string {
  return format(dictionaries[lang.value][key], params)
}

export function stateLabel(state: ItemState): string {
  return t(`state.${state}`)
}

export function severityLabel(severity: Severity): string {
  return t(`severity.${severity}`)
}

export function actionLabel(action: ActionKind): string {
  return t(`action.${action}`)
}

/** A Rust error in the interface language. */
export function errorText(error: UserError): string {
  return lang.value === 'en' ? error.en : error.zh
}

/** The label of a dotted content field path (`disclosure.doc_number`), else the path. */
export function fieldLabel(path: string): string {
  const key = `field.${path}`
  return key in zhCN ? t(key as MessageKey) : path
}
