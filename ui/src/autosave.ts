// Autosave timing, independent of Vue and of what is saved.
//
// - Every change restarts a quiet-time timer (`delayMs`, 700 ms): while someone
//   types steadily nothing is saved; the save starts 700 ms after the last
//   keystroke, so it is under way well within a second.
// - `maxWaitMs` bounds how long changes can stay unsaved while typing never
//   pauses (a guard against losing minutes of work to a crash).
// - Saves never overlap: a change made while a save is in flight is saved by
//   the next run, on top of the revision the first one produced.
// - A failed save keeps the changes marked unsaved; the next change (or an
//   explicit `flush()`) tries again. The caller keeps the text, so nothing
//   typed is lost.
// - `flush()` saves now (switching items, window blur, before unload).
// - `pause()` stops saving altogether (e.g. after a conflict) until `resume()`.

export type SaveState = 'idle' | 'saving' | 'saved' | 'error'

export interface AutosaveOptions {
  /** Performs one save of the current content; rejects when it failed. */
  save: () => Promise<void>
  /** Quiet time after the last change before saving. */
  delayMs?: number
  /** Longest time changes may wait while typing goes on; 0 disables. */
  maxWaitMs?: number
  /** Told about every state change, with the error for `error`. */
  onStateChange?: (state: SaveState, error: unknown) => void
}

export const AUTOSAVE_DELAY_MS = 700
export const AUTOSAVE_MAX_WAIT_MS = 15_000

export class Autosaver {
  private readonly saveFn: () => Promise<void>
  private readonly delayMs: number
  private readonly maxWaitMs: number
  private readonly onStateChange: (state: SaveState, error: unknown) => void

  private _state: SaveState = 'idle'
  private _error: unknown = null
  private _dirty = false
  private _paused = false
  private disposed = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private firstChangeAt: number | null = null
  /** The chain that serialises runs: each run starts after the previous one. */
  private queue: Promise<void> = Promise.resolve()

  constructor(options: AutosaveOptions) {
    this.saveFn = options.save
    this.delayMs = options.delayMs ?? AUTOSAVE_DELAY_MS
    this.maxWaitMs = options.maxWaitMs ?? AUTOSAVE_MAX_WAIT_MS
    this.onStateChange = options.onStateChange ?? (() => {})
  }

  get state(): SaveState {
    return this._state
  }

  get error(): unknown {
    return this._error
  }

  /** Whether there are changes not yet stored. */
  get dirty(): boolean {
    return this._dirty
  }

  get paused(): boolean {
    return this._paused
  }

  /** Records a change and (re)starts the quiet-time timer. */
  change(): void {
    if (this.disposed) return
    this._dirty = true
    const now = Date.now()
    this.firstChangeAt ??= now
    // An error stays on show until the retry actually starts.
    if (this._state !== 'error' && this._state !== 'saving') this.setState('idle', null)
    if (this._paused) return
    this.clearTimer()
    let wait = this.delayMs
    if (this.maxWaitMs > 0) {
      wait = Math.min(wait, Math.max(0, this.firstChangeAt + this.maxWaitMs - now))
    }
    this.timer = setTimeout(() => {
      this.timer = null
      void this.enqueue()
    }, wait)
  }

  /**
   * Saves pending changes now and waits for every save under way. Resolves to
   * true when everything is stored, false when a save failed or saving is paused.
   */
  async flush(): Promise<boolean> {
    this.clearTimer()
    await this.enqueue()
    return !this._dirty
  }

  /** Stops saving (changes are still recorded) until `resume()`. */
  pause(): void {
    this._paused = true
    this.clearTimer()
  }

  resume(): void {
    this._paused = false
    if (this._dirty) this.change()
  }

  /** Forgets pending changes (after the caller reloaded the content). */
  reset(): void {
    this.clearTimer()
    this._dirty = false
    this._paused = false
    this.firstChangeAt = null
    this.setState('idle', null)
  }

  /** No more timers or saves; waits for a save in flight. */
  async dispose(): Promise<void> {
    this.disposed = true
    this.clearTimer()
    await this.queue
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }

  private enqueue(): Promise<void> {
    this.queue = this.queue.then(() => this.run())
    return this.queue
  }

  /** Saves while there are changes; never rejects. */
  private async run(): Promise<void> {
    while (this._dirty && !this._paused) {
      this._dirty = false
      this.firstChangeAt = null
      this.setState('saving', null)
      try {
        await this.saveFn()
      } catch (error) {
        // Keep the changes pending: the next change or flush retries.
        this._dirty = true
        this.setState('error', error)
        return
      }
      if (!this._dirty) {
        this.setState('saved', null)
        return
      }
      this.setState('idle', null)
      // Typed during the save: the timer started by `change()` is running;
      // leave the next save to it instead of saving mid-word. (Without a
      // timer, `flush()` cancelled it and wants everything saved now.)
      if (this.timer !== null) return
    }
  }

  private setState(state: SaveState, error: unknown): void {
    const changed = state !== this._state || error !== this._error
    this._state = state
    this._error = error
    if (changed) this.onStateChange(state, error)
  }
}
