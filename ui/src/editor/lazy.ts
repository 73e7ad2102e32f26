// The body editor (Milkdown, ProseMirror, remark, the toolbar, Word paste
// cleaning) is the bulk of the front end. It lives in its own chunk so the
// first screen — the item list — only waits for Vue, the list, api and i18n.
//
// Every way into the editor goes through `loadBodyEditor`: the module system
// caches the import, so the prefetch after app_ready and the component that
// finally renders share one download and one evaluation. milkdown.ts imports
// frozenPrototype.ts for its side effect, so the fix-up runs as the chunk is
// evaluated — still before any editor exists.

import type BodyEditor from '../components/BodyEditor.vue'

/** The BodyEditor component's module, from the lazily loaded editor chunk. */
export function loadBodyEditor(): Promise<{ default: typeof BodyEditor }> {
  return import('../components/BodyEditor.vue')
}

/**
 * Start loading the editor chunk once the first screen is up, so opening the
 * first item does not wait for it. Errors are left to the real load, which
 * reports them.
 */
export function prefetchBodyEditor(): void {
  const start = (): void => {
    loadBodyEditor().catch(() => undefined)
  }
  // WebKitGTK has no requestIdleCallback; WebView2 does.
  if (typeof window.requestIdleCallback === 'function') {
    window.requestIdleCallback(start, { timeout: 1000 })
  } else {
    setTimeout(start, 0)
  }
}
