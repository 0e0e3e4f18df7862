/** The gate in front of scrypt (app/.server/auth/work-gate.ts): bounded concurrency and a bounded queue. */
import { describe, expect, it } from 'vitest'
import { createWorkGate } from '#app/.server/auth/work-gate.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('work gate', () => {
  it('never runs more than its permits at once, and runs everything queued in the end', async () => {
    const gate = createWorkGate(2, 100)
    let now = 0
    let most = 0
    const jobs = Array.from({ length: 12 }, (_, i) =>
      gate.run(async () => {
        now++
        most = Math.max(most, now)
        await tick()
        now--
        return i
      }),
    )
    expect(await Promise.all(jobs)).toEqual([...Array(12).keys()])
    expect(most).toBe(2)
    expect(gate.stats()).toEqual({ started: 12, peak: 2, running: 0, waiting: 0 })
  })

  it('says full once the permits are taken and the queue holds its maximum', async () => {
    const gate = createWorkGate(1, 2)
    let open!: () => void
    const blocker = new Promise<void>((resolve) => (open = resolve))
    const first = gate.run(() => blocker)
    expect(gate.full()).toBe(false)
    const queued = [gate.run(async () => 1), gate.run(async () => 2)]
    expect(gate.full()).toBe(true)
    open()
    await Promise.all([first, ...queued])
    expect(gate.full()).toBe(false)
  })

  it('a failing run frees its permit', async () => {
    const gate = createWorkGate(1, 10)
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await gate.run(async () => 'next')).toBe('next')
    expect(gate.stats().running).toBe(0)
  })
})
