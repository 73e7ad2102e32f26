// The first screen must not wait for the editor: Milkdown (and BodyEditor,
// which pulls it in) is only reachable through a dynamic import(), so Vite
// puts it in a chunk of its own (src/editor/lazy.ts). This walks the static
// import graph from src/main.ts over the source text and fails if a plain
// `import` drags the editor back into the initial chunk.
//
// Conservative on purpose: every import except `import type …` counts, even
// one that only names types inline, since that can keep a module at runtime.

import { describe, expect, it } from 'vitest'

const sources = import.meta.glob<string>('../src/**/*.{ts,vue}', {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** Specifiers of the static, runtime imports in one file. */
function staticImports(text: string): string[] {
  const found: string[] = []
  const re = /^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm
  for (const m of text.matchAll(re)) {
    if (m[1]) continue
    found.push(m[2]!)
  }
  return found
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  if (spec.endsWith('.css')) return ''
  const parts = from.split('/').slice(0, -1)
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop()
    else if (seg !== '.') parts.push(seg)
  }
  const base = parts.join('/')
  for (const candidate of [base, `${base}.ts`, `${base}.vue`, `${base}/index.ts`]) {
    if (candidate in sources) return candidate
  }
  throw new Error(`cannot resolve ${spec} from ${from}`)
}

/** Files and bare packages reachable from `entry` through static imports. */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const todo = [entry]
  while (todo.length > 0) {
    const file = todo.pop()!
    if (files.has(file)) continue
    files.add(file)
    for (const spec of staticImports(sources[file]!)) {
      const target = resolve(file, spec)
      if (target) todo.push(target)
      else if (target === null) packages.add(spec)
    }
  }
  return { files, packages }
}

describe('initial chunk', () => {
  it('does not statically import the editor', () => {
    const { files, packages } = graph('../src/main.ts')
    expect(files).toContain('../src/App.vue')
    expect(files).toContain('../src/components/ItemList.vue')
    expect(files).toContain('../src/components/ItemEditor.vue')
    expect(files).toContain('../src/components/CheckPanel.vue')
    expect(files).toContain('../src/checks.ts')
    expect([...packages].filter((p) => p.startsWith('@milkdown'))).toEqual([])
    for (const editorOnly of [
      '../src/components/BodyEditor.vue',
      '../src/components/EditorToolbar.vue',
      '../src/editor/milkdown.ts',
      '../src/editor/frozenPrototype.ts',
      '../src/editor/wordPaste.ts',
      '../src/editor/checkPlugin.ts',
      '../src/editor/checkText.ts',
    ]) {
      expect(files).not.toContain(editorOnly)
    }
  })

  it('the lazy editor chunk still carries the frozen-prototype fix', () => {
    const { files, packages } = graph('../src/components/BodyEditor.vue')
    expect(files).toContain('../src/editor/milkdown.ts')
    expect(files).toContain('../src/editor/frozenPrototype.ts')
    expect(packages).toContain('@milkdown/kit/core')
    // A side-effect import: it runs when the chunk loads, before any editor exists.
    const milkdown = staticImports(sources['../src/editor/milkdown.ts']!)
    expect(milkdown).toContain('./frozenPrototype')
  })

  it('the editor is loaded through a dynamic import', () => {
    expect(sources['../src/editor/lazy.ts']).toMatch(/import\(\s*'\.\.\/components\/BodyEditor\.vue'\s*\)/)
  })
})
