// The submissions benchmark's knobs: which client counts it runs (the cost-growth table needs all four
// by default) and the CPU meter its per-request figures come from.
import { describe, expect, it } from 'vitest'
import { cpuSeconds, processMeter } from '#scripts/bench/process-cpu.ts'
import { benchmarkLevels } from '#scripts/bench/submissions.ts'

describe('benchmarkLevels', () => {
  it('runs 1, 16, 64 and 256 clients unless told otherwise', () => {
    expect(benchmarkLevels({})).toEqual([1, 16, 64, 256])
  })

  it('takes a list from BENCH_LEVELS, one level for quick A/B runs', () => {
    expect(benchmarkLevels({ BENCH_LEVELS: '64' })).toEqual([64])
    expect(benchmarkLevels({ BENCH_LEVELS: '1, 256' })).toEqual([1, 256])
  })

  it('refuses what is not a list of client counts', () => {
    for (const BENCH_LEVELS of ['0', 'abc', '16,', '2.5']) expect(() => benchmarkLevels({ BENCH_LEVELS })).toThrow()
  })
})

describe('process CPU meter', () => {
  it('reads this process, counts only what was spent since the last sample, and reads 0 for no process', async () => {
    const meter = processMeter(process.pid)
    const before = cpuSeconds(process.pid)
    // Busy until the kernel's tick counts it, however little of a core this process gets.
    while (cpuSeconds(process.pid) === before) Math.sqrt(Math.random())
    const spent = await meter.sample()
    expect(spent).toBeGreaterThan(0)
    expect(spent).toBeLessThanOrEqual(cpuSeconds(process.pid))
    expect(cpuSeconds(2 ** 22 + 7)).toBe(0)
  })
})
