// Timing of the check while typing, independent of Vue and of what is checked.
//
// - Every change restarts a quiet-time timer (`delayMs`, 250 ms); the check
//   runs when typing pauses. `maxWaitMs` (1 s) bounds how long highlights can
//   lag while typing never pauses.
// - A check never blocks input: taking the snapshot is cheap and the check
//   itself is an asynchronous call.
// - Every run gets a sequence number; a result is only applied when no later
//   run has started since (an older answer arriving late is dropped), and
//   never after `dispose()`.

export interface LiveCheckOptions<S, R> {
  /** What to check now, or null when there is nothing to check yet. */
  snapshot: () => S | null
  /** Runs the check (e.g. the `check_text` command). */
  run: (snapshot: S) => Promise<R>
  /** Shows a result that is still the latest. */
  apply: (snapshot: S, result: R) => void
  /** A failed run that is still the latest. */
  onError?: (error: unknown) => void
  delayMs?: number
  maxWaitMs?: number
}

export const LIVE_CHECK_DELAY_MS = 250
export const LIVE_CHECK_MAX_WAIT_MS = 1000

export class LiveCheck<S, R> {
  private readonly options: LiveCheckOptions<S, R>
  private readonly delayMs: number
  private readonly maxWaitMs: number
  private timer: ReturnType<typeof setTimeout> | null = null
  private firstChangeAt: number | null = null
  private issued = 0
  private applied = 0
  private disposed = false

  constructor(options: LiveCheckOptions<S, R>) {
    this.options = options
    this.delayMs = options.delayMs ?? LIVE_CHECK_DELAY_MS
    this.maxWaitMs = options.maxWaitMs ?? LIVE_CHECK_MAX_WAIT_MS
  }

  /** The sequence number of the latest run started. */
  get sequence(): number {
    return this.issued
  }

  /** The sequence number of the latest result applied. */
  get appliedSequence(): number {
    return this.applied
  }

  /** Whether a check is waiting for its timer or its answer. */
  get pending(): boolean {
    return this.timer !== null || this.applied < this.issued
  }

  /** Records a change: the check runs once typing pauses. */
  change(): void {
    if (this.disposed) return
    const now = Date.now()
    this.firstChangeAt ??= now
    this.clearTimer()
    let wait = this.delayMs
    if (this.maxWaitMs > 0) wait = Math.min(wait, Math.max(0, this.firstChangeAt + this.maxWaitMs - now))
    this.timer = setTimeout(() => {
      this.timer = null
      void this.now()
    }, wait)
  }

  /** Checks now (e.g. when the editor appears); resolves when the result is in. */
  async now(): Promise<void> {
    if (this.disposed) return
    this.clearTimer()
    this.firstChangeAt = null
    const snapshot = this.options.snapshot()
    if (snapshot === null) return
    const mine = ++this.issued
    let result: R
    try {
      result = await this.options.run(snapshot)
    } catch (error) {
      if (!this.disposed && mine === this.issued) {
        this.applied = mine
        this.options.onError?.(error)
      }
      return
    }
    // A later run has started (or everything was closed): this answer is stale.
    if (this.disposed || mine !== this.issued) return
    this.applied = mine
    this.options.apply(snapshot, result)
  }

  dispose(): void {
    this.disposed = true
    this.clearTimer()
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }
}
