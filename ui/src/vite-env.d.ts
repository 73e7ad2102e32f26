/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" in `--mode fake` (see .env.fake): use the in-memory fake backend. */
  readonly VITE_FAKE_BACKEND?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
