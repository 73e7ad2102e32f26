// Check-while-typing timing: debounce, longest wait, stale answers dropped.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { LiveCheck } from '../src/liveCheck'

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (reason: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok
    reject = fail
  })
  return { promise, resolve, reject }
}

/** A LiveCheck over a text that changes; each run waits for the test to answer it. */
function setup(options: { delayMs?: number; maxWaitMs?: number } = {}) {
  let text = ''
  const runs: { snapshot: string; answer: Deferred<string> }[] = []
  const applied: [string, string][] = []
  const errors: unknown[] = []
  const live = new LiveCheck<string, string>({
    ...options,
    snapshot: () => text,
    run: (snapshot) => {
      const answer = deferred<string>()
      runs.push({ snapshot, answer })
      return answer.promise
    },
    apply: (snapshot, result) => applied.push([snapshot, result]),
    onError: (error) => errors.push(error),
  })
  return {
    live,
    runs,
    applied,
    errors,
    type(next: string) {
      text = next
      live.change()
    },
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('LiveCheck', () => {
  it('checks once, 250 ms after the last keystroke', async () => {
    const t = setup()
    t.type('身')
    await vi.advanceTimersByTimeAsync(100)
    t.type('身份')
    await vi.advanceTimersByTimeAsync(100)
    t.type('身份证')
    await vi.advanceTimersByTimeAsync(249)
    expect(t.runs).toHaveLength(0)
    expect(t.live.pending).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    expect(t.runs.map((r) => r.snapshot)).toEqual(['身份证'])
    t.runs[0]!.answer.resolve('r1')
    await vi.advanceTimersByTimeAsync(0)
    expect(t.applied).toEqual([['身份证', 'r1']])
    expect(t.live.pending).toBe(false)
  })

  it('does not wait longer than maxWait while typing never pauses', async () => {
    const t = setup({ delayMs: 250, maxWaitMs: 1000 })
    for (let i = 1; i <= 12; i++) {
      t.type('字'.repeat(i))
      await vi.advanceTimersByTimeAsync(100)
    }
    // 1.2 s of steady typing: one check has run, at the 1 s mark.
    expect(t.runs).toHaveLength(1)
    expect(t.runs[0]!.snapshot).toBe('字'.repeat(10))
  })

  it('drops an answer that arrives after a later check started', async () => {
    const t = setup()
    t.type('一')
    await vi.advanceTimersByTimeAsync(250)
    t.type('一二')
    await vi.advanceTimersByTimeAsync(250)
    expect(t.runs).toHaveLength(2)
    expect(t.live.sequence).toBe(2)
    // The later answer comes first, the older one late.
    t.runs[1]!.answer.resolve('new')
    await vi.advanceTimersByTimeAsync(0)
    t.runs[0]!.answer.resolve('old')
    await vi.advanceTimersByTimeAsync(0)
    expect(t.applied).toEqual([['一二', 'new']])
    expect(t.live.appliedSequence).toBe(2)
  })

  it('drops an older answer even when the newer one has not come back yet', async () => {
    const t = setup()
    t.type('一')
    await vi.advanceTimersByTimeAsync(250)
    t.type('一二')
    await vi.advanceTimersByTimeAsync(250)
    t.runs[0]!.answer.resolve('old')
    await vi.advanceTimersByTimeAsync(0)
    expect(t.applied).toEqual([])
    t.runs[1]!.answer.resolve('new')
    await vi.advanceTimersByTimeAsync(0)
    expect(t.applied).toEqual([['一二', 'new']])
  })

  it('reports the failure of the latest run only', async () => {
    const t = setup()
    t.type('一')
    await vi.advanceTimersByTimeAsync(250)
    t.type('一二')
    await vi.advanceTimersByTimeAsync(250)
    t.runs[0]!.answer.reject(new Error('old failure'))
    t.runs[1]!.answer.reject(new Error('new failure'))
    await vi.advanceTimersByTimeAsync(0)
    expect(t.errors.map((e) => (e as Error).message)).toEqual(['new failure'])
    expect(t.live.pending).toBe(false)
  })

  it('never blocks the caller: change() returns at once and runs nothing synchronously', () => {
    const t = setup()
    t.type('一')
    expect(t.runs).toHaveLength(0)
  })

  it('now() checks at once and cancels the timer', async () => {
    const t = setup()
    t.type('一')
    const done = t.live.now()
    expect(t.runs).toHaveLength(1)
    t.runs[0]!.answer.resolve('r')
    await done
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.runs).toHaveLength(1)
    expect(t.applied).toEqual([['一', 'r']])
  })

  it('skips a run when there is nothing to check', async () => {
    const live = new LiveCheck<string, string>({
      snapshot: () => null,
      run: () => Promise.resolve('x'),
      apply: () => {
        throw new Error('not reached')
      },
    })
    live.change()
    await vi.advanceTimersByTimeAsync(300)
    expect(live.sequence).toBe(0)
  })

  it('applies nothing after dispose', async () => {
    const t = setup()
    t.type('一')
    await vi.advanceTimersByTimeAsync(250)
    t.type('一二')
    t.live.dispose()
    t.runs[0]!.answer.resolve('r')
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.applied).toEqual([])
    expect(t.runs).toHaveLength(1)
  })
})
