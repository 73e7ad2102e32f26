// One open item in the editor: the local working copy, autosave against the
// stored revision, and the workflow actions. Vue-reactive, but free of
// components so it can be tested with a mocked IPC.

import { reactive, type Ref, ref, type ShallowRef, shallowRef } from 'vue'

import { type ApiError, applyAction, asApiError, restoreRevision, saveItem, sendForReview, submitItem } from './api'
import { Autosaver, type AutosaveOptions, type SaveState } from './autosave'
import type { Action } from './bindings/Action'
import type { ItemContent } from './bindings/ItemContent'
import type { ItemId } from './bindings/ItemId'
import type { ItemView } from './bindings/ItemView'
import type { SendForReview } from './bindings/SendForReview'
import { cloneContent, formatKeywords, parseKeywords } from './model'

export interface SessionOptions {
  /** Told after every successful save, action or restore. */
  onStored?: (view: ItemView) => void
  /** Autosave timing (tests shorten nothing; they use fake timers). */
  autosave?: Pick<AutosaveOptions, 'delayMs' | 'maxWaitMs'>
}

export class ItemSession {
  readonly id: ItemId
  /** The item as last stored. */
  readonly view: ShallowRef<ItemView>
  /** The working copy the form binds to. The body lives in the editor; see `attachBody`. */
  readonly content: ItemContent
  /** 主题词 as typed, parsed into `content.keywords` on every change. */
  readonly keywordsText: Ref<string>
  readonly saveState: Ref<SaveState>
  readonly saveError: ShallowRef<ApiError | null>
  /** Set when the stored item moved on under us (code `conflict`). */
  readonly conflict: Ref<boolean>
  /** Changes not yet stored. */
  readonly dirty: Ref<boolean>
  /** Counts body edits, so the preview knows when to render again. */
  readonly bodyVersion: Ref<number>

  private revision: number
  private lastStored: string
  private bodySource: (() => string) | null = null
  private readonly autosaver: Autosaver
  private readonly onStored: (view: ItemView) => void

  constructor(view: ItemView, options: SessionOptions = {}) {
    this.id = view.item.id
    this.view = shallowRef(view)
    this.content = reactive(cloneContent(view.item.content))
    this.keywordsText = ref(formatKeywords(view.item.content.keywords))
    this.saveState = ref<SaveState>('idle')
    this.saveError = shallowRef<ApiError | null>(null)
    this.conflict = ref(false)
    this.dirty = ref(false)
    this.bodyVersion = ref(0)
    this.revision = view.item.revision
    this.lastStored = JSON.stringify(view.item.content)
    this.onStored = options.onStored ?? (() => {})
    this.autosaver = new Autosaver({
      ...options.autosave,
      save: () => this.save(),
      onStateChange: (state, error) => {
        this.saveState.value = state
        this.saveError.value = error === null || error === undefined ? null : asApiError(error, 'save_item')
        this.dirty.value = this.autosaver.dirty
      },
    })
  }

  get editable(): boolean {
    return this.view.value.editable
  }

  /** Lets the body editor supply the current Markdown when a save needs it. */
  attachBody(source: () => string): void {
    this.bodySource = source
  }

  /** The editor is going away: keep its last text in the working copy. */
  detachBody(): void {
    if (this.bodySource) this.content.body = this.bodySource()
    this.bodySource = null
  }

  /** The body as it is now in the editor. */
  currentBody(): string {
    if (this.bodySource) this.content.body = this.bodySource()
    return this.content.body
  }

  /** Call on every edit: title, metadata or body. */
  change(): void {
    if (!this.editable) return
    this.dirty.value = true
    this.autosaver.change()
  }

  /** The body editor changed its document. */
  bodyEdited(): void {
    this.bodyVersion.value++
    this.change()
  }

  /** Keywords were typed. */
  setKeywordsText(text: string): void {
    this.keywordsText.value = text
    this.content.keywords = parseKeywords(text)
    this.change()
  }

  /** The content as it would be saved now. */
  snapshot(): ItemContent {
    const content = cloneContent(this.content)
    content.body = this.currentBody()
    content.keywords = parseKeywords(this.keywordsText.value)
    if (content.disclosure.kind !== 'withheld') content.disclosure.withheld_reason = ''
    return content
  }

  /** Saves pending changes now; true when everything is stored. */
  flush(): Promise<boolean> {
    return this.autosaver.flush()
  }

  /** Retries a failed save. */
  retry(): Promise<boolean> {
    if (this.conflict.value) return Promise.resolve(false)
    return this.autosaver.flush()
  }

  /** Applies a workflow action after storing pending edits. */
  async apply(action: Action): Promise<ItemView> {
    if (!(await this.flush())) {
      throw this.saveError.value ?? asApiError('save failed', 'save_item')
    }
    const view = await applyAction(this.id, action)
    this.accept(view)
    return view
  }

  /**
   * 报送: puts the signed-off item in the outbox (after storing pending
   * edits). The shell sends it when the portal can be reached.
   */
  async submit(): Promise<ItemView> {
    if (!(await this.flush())) {
      throw this.saveError.value ?? asApiError('save failed', 'save_item')
    }
    const view = await submitItem(this.id)
    this.accept(view)
    return view
  }

  /** 送审 (after storing pending edits): to a head, on this computer or through the portal. */
  async sendForReview(form: SendForReview): Promise<ItemView> {
    if (!(await this.flush())) {
      throw this.saveError.value ?? asApiError('save failed', 'save_item')
    }
    const view = await sendForReview(this.id, form)
    this.accept(view)
    return view
  }

  /**
   * Restores an old revision (after storing pending edits, so they stay in
   * the history). The caller reopens the item with the returned view.
   */
  async restore(revision: number): Promise<ItemView> {
    if (!(await this.flush())) {
      throw this.saveError.value ?? asApiError('save failed', 'save_item')
    }
    const view = await restoreRevision(this.id, revision)
    this.accept(view)
    return view
  }

  async dispose(): Promise<void> {
    await this.autosaver.dispose()
  }

  private accept(view: ItemView): void {
    this.view.value = view
    this.revision = view.item.revision
    this.lastStored = JSON.stringify(view.item.content)
    this.onStored(view)
  }

  private async save(): Promise<void> {
    const content = this.snapshot()
    const json = JSON.stringify(content)
    if (json === this.lastStored) return
    let view: ItemView
    try {
      view = await saveItem(this.id, content, this.revision)
    } catch (error) {
      const apiError = asApiError(error, 'save_item')
      if (apiError.code === 'conflict') {
        this.conflict.value = true
        this.autosaver.pause()
      }
      throw apiError
    }
    // What was sent is what is stored now (Rust may normalise its copy; we
    // compare against what we sent, so a normalisation never loops).
    this.view.value = view
    this.revision = view.item.revision
    this.lastStored = json
    this.onStored(view)
  }
}

