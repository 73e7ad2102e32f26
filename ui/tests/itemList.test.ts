import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'

import type { ItemSummary } from '../src/bindings/ItemSummary'
import type { ListQuery } from '../src/bindings/ListQuery'
import { SEARCH_DEBOUNCE_MS, useItemList } from '../src/composables/itemList'

function rows(n: number, from = 0): ItemSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `id-${from + i}`,
    title: `稿件${from + i}`,
    column_name: '工作动态',
    state: 'draft' as const,
    urgency: 'normal' as const,
    revision: 1,
    updated_at: '2024-03-01T01:00:00Z',
  }))
}

let queries: ListQuery[] = []
const scope = effectScope()

beforeEach(() => {
  vi.useFakeTimers()
  queries = []
  mockIPC((cmd, args) => {
    if (cmd !== 'list_items') throw `unexpected ${cmd}`
    const q = (args as { query: ListQuery }).query
    queries.push(q)
    return q.offset === 0 ? rows(50) : rows(7, q.offset)
  })
})

afterEach(() => {
  vi.useRealTimers()
  clearMocks()
})

describe('item list', () => {
  it('searches in Rust, debounced: one query for a burst of typing', async () => {
    const list = scope.run(() => useItemList())!
    list.search.value = '营'
    await vi.advanceTimersByTimeAsync(100)
    list.search.value = '营商'
    await vi.advanceTimersByTimeAsync(100)
    list.search.value = '营商环境 '
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1)
    expect(queries).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(queries).toEqual([{ state: null, search: '营商环境', offset: 0, limit: 50 }])
  })

  it('filters by state at once, and sends no empty search', async () => {
    const list = scope.run(() => useItemList())!
    list.stateFilter.value = 'returned'
    await vi.advanceTimersByTimeAsync(0)
    expect(queries).toEqual([{ state: 'returned', search: null, offset: 0, limit: 50 }])
  })

  it('loads more with the next offset and appends', async () => {
    const list = scope.run(() => useItemList())!
    await list.reload()
    expect(list.items.value).toHaveLength(50)
    expect(list.hasMore.value).toBe(true)
    await list.loadMore()
    expect(queries[1]).toEqual({ state: null, search: null, offset: 50, limit: 50 })
    expect(list.items.value).toHaveLength(57)
    expect(list.hasMore.value).toBe(false)
  })
})
