import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { AUTOSAVE_DELAY_MS, Autosaver, type SaveState } from '../src/autosave'

/** Lets pending promise callbacks run (fake timers do not advance them). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

function setup(save: () => Promise<void> = () => Promise.resolve()) {
  const states: SaveState[] = []
  const saveFn = vi.fn(save)
  const saver = new Autosaver({ save: saveFn, onStateChange: (s) => states.push(s) })
  return { saver, save: saveFn, states }
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('Autosaver', () => {
  it('saves once, within a second of the last keystroke', async () => {
    const { saver, save } = setup()
    saver.change()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 1)
    expect(save).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(1)
    await settle()
    expect(saver.state).toBe('saved')
    expect(saver.dirty).toBe(false)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('the delay is under a second', () => {
    expect(AUTOSAVE_DELAY_MS).toBeGreaterThanOrEqual(300)
    expect(AUTOSAVE_DELAY_MS).toBeLessThan(1000)
  })

  it('does not save while someone types steadily, then saves once', async () => {
    const { saver, save } = setup()
    // A keystroke every 150 ms for 6 seconds.
    for (let t = 0; t < 6000; t += 150) {
      saver.change()
      await vi.advanceTimersByTimeAsync(150)
      expect(save).not.toHaveBeenCalled()
    }
    await vi.advanceTimersByTimeAsync(1000)
    expect(save).toHaveBeenCalledTimes(1)
    await settle()
    expect(saver.state).toBe('saved')
  })

  it('still saves during very long uninterrupted typing (max wait)', async () => {
    const save = vi.fn(() => Promise.resolve())
    const saver = new Autosaver({ save, delayMs: 700, maxWaitMs: 5000 })
    for (let t = 0; t < 4900; t += 100) {
      saver.change()
      await vi.advanceTimersByTimeAsync(100)
    }
    expect(save).not.toHaveBeenCalled()
    saver.change()
    await vi.advanceTimersByTimeAsync(100)
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('flush saves pending changes at once (switching items) and cancels the timer', async () => {
    const { saver, save } = setup()
    saver.change()
    await vi.advanceTimersByTimeAsync(100)
    const done = saver.flush()
    await settle()
    expect(save).toHaveBeenCalledTimes(1)
    await expect(done).resolves.toBe(true)
    await vi.advanceTimersByTimeAsync(5000)
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('flush with nothing pending does not save', async () => {
    const { saver, save } = setup()
    await expect(saver.flush()).resolves.toBe(true)
    expect(save).not.toHaveBeenCalled()
  })

  it('shows saving, then saved; a new change is pending (idle) again', async () => {
    let finish!: () => void
    const { saver, states } = setup(() => new Promise<void>((r) => (finish = r)))
    saver.change()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS)
    await settle()
    expect(saver.state).toBe('saving')
    finish()
    await settle()
    expect(saver.state).toBe('saved')
    saver.change()
    expect(saver.state).toBe('idle')
    expect(states).toEqual(['saving', 'saved', 'idle'])
  })

  it('never runs two saves at once; changes during a save are saved after it', async () => {
    const finishers: (() => void)[] = []
    let running = 0
    let maxRunning = 0
    const { saver, save } = setup(
      () =>
        new Promise<void>((resolve) => {
          running++
          maxRunning = Math.max(maxRunning, running)
          finishers.push(() => {
            running--
            resolve()
          })
        }),
    )
    saver.change()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS)
    await settle()
    expect(save).toHaveBeenCalledTimes(1)
    // Typing goes on while the first save is under way.
    saver.change()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS)
    await settle()
    expect(save).toHaveBeenCalledTimes(1)
    finishers.shift()!()
    await settle()
    expect(save).toHaveBeenCalledTimes(2)
    expect(maxRunning).toBe(1)
    finishers.shift()!()
    await settle()
    expect(saver.state).toBe('saved')
    expect(saver.dirty).toBe(false)
  })

  it('keeps changes after a failed save and retries on the next change', async () => {
    let fail = true
    const { saver, save } = setup(() => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve()))
    saver.change()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS)
    await settle()
    expect(saver.state).toBe('error')
    expect((saver.error as Error).message).toBe('disk full')
    expect(saver.dirty).toBe(true)
    // No retry storm: nothing happens until the next change.
    await vi.advanceTimersByTimeAsync(60_000)
    expect(save).toHaveBeenCalledTimes(1)
    fail = false
    saver.change()
    expect(saver.state).toBe('error') // still shown until the retry starts
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS)
    await settle()
    expect(save).toHaveBeenCalledTimes(2)
    expect(saver.state).toBe('saved')
    expect(saver.dirty).toBe(false)
  })

  it('flush reports a failed save', async () => {
    const { saver } = setup(() => Promise.reject(new Error('busy')))
    saver.change()
    await expect(saver.flush()).resolves.toBe(false)
    expect(saver.dirty).toBe(true)
  })

  it('does not save while paused, and saves what is pending on resume', async () => {
    const { saver, save } = setup()
    saver.pause()
    saver.change()
    await vi.advanceTimersByTimeAsync(10_000)
    await expect(saver.flush()).resolves.toBe(false)
    expect(save).not.toHaveBeenCalled()
    saver.resume()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS)
    await settle()
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('stops after dispose', async () => {
    const { saver, save } = setup()
    await saver.dispose()
    saver.change()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(save).not.toHaveBeenCalled()
  })
})
