// Kills the real server with SIGKILL under submission load (a small size here; `npm run crash-test` runs more).
import { describe, expect, it } from 'vitest'
import { runCrashTest } from '../../scripts/reliability/crash.ts'

describe('crash safety', () => {
  it('keeps every acknowledged submission, stores none twice and stays consistent across SIGKILLs', async () => {
    const report = await runCrashTest({ kills: 3, concurrency: 8, runMs: 1200 })
    expect(report.acknowledged).toBeGreaterThan(20)
    expect(report.missingAcknowledged).toBe(0)
    expect(report.storedTwice).toBe(0)
    // Every submission left unanswered by a crash was retried with its id: stored and acknowledged agree.
    expect(report.stored).toBe(report.acknowledged)
    expect(report.integrity).toBe('ok')
    expect(report.aggregatesMatchRebuild).toBe(true)
  }, 180_000)
})
