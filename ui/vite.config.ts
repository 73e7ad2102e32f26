import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// The Tauri window loads ui/dist (see src-tauri/tauri.conf.json); `npm run dev`
// serves http://localhost:5173 for `cargo tauri dev`.
//
// `--mode fake` (npm run dev:fake / build:fake) swaps the Rust backend for the
// in-memory one in src/dev/fakeBackend.ts so the UI can be looked at in a plain
// browser. The real build never contains it: the switch is a compile-time
// constant and the fake module is only reachable behind it.
export default defineConfig(({ mode }) => ({
  plugins: [vue()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  build: {
    outDir: mode === 'fake' ? 'dist-fake' : 'dist',
    emptyOutDir: true,
    // WebView2 (Windows) and WebKitGTK ≥ 2.40 (Debian 12, UOS, Kylin).
    target: ['es2021', 'chrome105', 'safari15'],
    sourcemap: false,
    // The editor (Milkdown: ProseMirror + remark, ~500 kB) is a chunk of its
    // own, loaded by a dynamic import (src/editor/lazy.ts) so the first screen
    // — the item list, and with it app_ready — does not wait to parse it.
    // It comes from disk, never over a network, so its size is not a concern.
    chunkSizeWarningLimit: 1500,
    // No polyfill: it is dead weight in WebView2/WebKitGTK, and the editor
    // chunk loads fine without a modulepreload hint.
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
    restoreMocks: true,
  },
}))
