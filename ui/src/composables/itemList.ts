// The item list: state filter, full-text search (done in Rust; debounced here),
// paging by "load more". Rows are patched in place after saves so the list does
// not jump while someone types.

import { ref, shallowRef, watch } from 'vue'

import { listItems, PAGE_SIZE } from '../api'
import type { ItemId } from '../bindings/ItemId'
import type { ItemState } from '../bindings/ItemState'
import type { ItemSummary } from '../bindings/ItemSummary'
import type { ItemView } from '../bindings/ItemView'
import { notifyError } from '../notices'

export const SEARCH_DEBOUNCE_MS = 250

export function summaryOf(view: ItemView): ItemSummary {
  const { item } = view
  return {
    id: item.id,
    title: item.content.title,
    column_name: item.content.column.name,
    state: item.state,
    urgency: item.content.urgency,
    revision: item.revision,
    updated_at: item.updated_at,
  }
}

export function useItemList() {
  const items = shallowRef<ItemSummary[]>([])
  const stateFilter = ref<ItemState | null>(null)
  const search = ref('')
  const loading = ref(false)
  const hasMore = ref(false)
  /** Set once the first page has arrived (or failed). */
  const loadedOnce = ref(false)

  let generation = 0
  let searchTimer: ReturnType<typeof setTimeout> | null = null

  function query(offset: number) {
    const text = search.value.trim()
    return { state: stateFilter.value, search: text === '' ? null : text, offset, limit: PAGE_SIZE }
  }

  /** Loads the first page again. Resolves when done; never rejects. */
  async function reload(): Promise<void> {
    const mine = ++generation
    loading.value = true
    try {
      const page = await listItems(query(0))
      if (mine !== generation) return
      items.value = page
      hasMore.value = page.length >= PAGE_SIZE
    } catch (error) {
      if (mine === generation) notifyError(error)
    } finally {
      if (mine === generation) {
        loading.value = false
        loadedOnce.value = true
      }
    }
  }

  async function loadMore(): Promise<void> {
    if (loading.value || !hasMore.value) return
    const mine = generation
    loading.value = true
    try {
      const page = await listItems(query(items.value.length))
      if (mine !== generation) return
      const known = new Set(items.value.map((i) => i.id))
      items.value = [...items.value, ...page.filter((i) => !known.has(i.id))]
      hasMore.value = page.length >= PAGE_SIZE
    } catch (error) {
      notifyError(error)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  watch(stateFilter, () => {
    void reload()
  })

  watch(search, () => {
    if (searchTimer !== null) clearTimeout(searchTimer)
    searchTimer = setTimeout(() => {
      searchTimer = null
      void reload()
    }, SEARCH_DEBOUNCE_MS)
  })

  /** Puts the stored state of an item into its row, if it is listed. */
  function patch(view: ItemView): void {
    const summary = summaryOf(view)
    const index = items.value.findIndex((i) => i.id === summary.id)
    if (index < 0) return
    const next = items.value.slice()
    next[index] = summary
    items.value = next
  }

  /** A new item goes to the top. */
  function prepend(view: ItemView): void {
    const summary = summaryOf(view)
    items.value = [summary, ...items.value.filter((i) => i.id !== summary.id)]
  }

  function has(id: ItemId): boolean {
    return items.value.some((i) => i.id === id)
  }

  return { items, stateFilter, search, loading, hasMore, loadedOnce, reload, loadMore, patch, prepend, has }
}
