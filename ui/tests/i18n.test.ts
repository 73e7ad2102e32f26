import { afterEach, describe, expect, it } from 'vitest'

import type { ItemState } from '../src/bindings/ItemState'
import { en } from '../src/i18n/en'
import { zhCN } from '../src/i18n/zh-CN'
import {
  errorText,
  fieldLabel,
  format,
  lang,
  LANG_STORAGE_KEY,
  loadLang,
  setLang,
  stateLabel,
  t,
} from '../src/i18n'
import { ITEM_STATES } from '../src/model'

const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort()

afterEach(() => {
  setLang('zh-CN')
  localStorage.clear()
})

describe('dictionaries', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
  })

  it('use the same {placeholders} in both languages', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]))
    }
  })

  it('have no empty text (except the deliberately blank idle save status)', () => {
    for (const [key, value] of [...Object.entries(zhCN), ...Object.entries(en)]) {
      if (key === 'save.idle') continue
      expect(value.trim(), key).not.toBe('')
    }
  })

  it('label every item state, in Chinese as the Rust side does', () => {
    const rust: Record<ItemState, string> = {
      draft: '草稿',
      awaiting_signoff: '待签发',
      signed_off: '已签发',
      queued: '待报送',
      submitted: '已报送',
      in_review: '审核中',
      adopted: '已采用',
      published: '已发布',
      returned: '退回',
      not_adopted: '未采用',
      withdrawn: '已撤回',
    }
    expect([...ITEM_STATES].sort()).toEqual(Object.keys(rust).sort())
    for (const state of ITEM_STATES) expect(stateLabel(state)).toBe(rust[state])
  })

  it('the Chinese text is Chinese and the English text is not', () => {
    expect(zhCN['list.new']).toBe('新建稿件')
    expect(zhCN['list.untitled']).toBe('未命名稿件')
    expect(en['list.new']).toMatch(/^[\x20-\x7e]+$/)
  })
})

describe('t()', () => {
  it('defaults to Chinese', () => {
    expect(loadLang({ getItem: () => null })).toBe('zh-CN')
    expect(loadLang({ getItem: () => 'fr' })).toBe('zh-CN')
    expect(lang.value).toBe('zh-CN')
    expect(t('list.new')).toBe('新建稿件')
  })

  it('switches language and remembers the choice', () => {
    setLang('en')
    expect(t('list.new')).toBe('New item')
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en')
    expect(loadLang()).toBe('en')
    expect(document.documentElement.lang).toBe('en')
  })

  it('fills placeholders', () => {
    expect(t('save.error', { message: '磁盘已满' })).toBe('保存失败：磁盘已满')
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}')
  })

  it('shows a Rust error in the current language', () => {
    const error = { code: 'busy', zh: '数据库正忙', en: 'the database is busy' }
    expect(errorText(error)).toBe('数据库正忙')
    setLang('en')
    expect(errorText(error)).toBe('the database is busy')
  })

  it('labels dotted field paths from revision diffs', () => {
    expect(fieldLabel('disclosure.doc_number')).toBe('文号')
    expect(fieldLabel('something.new')).toBe('something.new')
  })
})
