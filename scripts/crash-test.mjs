#!/usr/bin/env node
// `npm run crash-test` — the crash test at a larger size than the suite runs it (see scripts/reliability/crash.ts).
import { register } from 'tsx/esm/api'

register()
const { runCrashTest } = await import('./reliability/crash.ts')
const kills = Number(process.env.CRASH_KILLS ?? 8)
const report = await runCrashTest({
  kills,
  concurrency: Number(process.env.CRASH_CONCURRENCY ?? 32),
  runMs: Number(process.env.CRASH_RUN_MS ?? 3000),
})
console.table(report)
const ok =
  report.missingAcknowledged === 0 &&
  report.storedTwice === 0 &&
  report.integrity === 'ok' &&
  report.aggregatesMatchRebuild
console.log(ok ? 'PASS: every acknowledged submission survived, none twice, integrity ok.' : 'FAIL')
process.exitCode = ok ? 0 : 1
