/**
 * Finding 15.5 (population counts), replayed against a running server without changing its data: counts
 * that cannot be a count (a billion-fold figure, "1.000" read as one, a negative, a made-up period) are
 * refused with 400 before anything is stored. That a department's count waits for someone above it needs a
 * department account and the database: tests/integration/analytics/population-approval.test.ts replays the
 * 1,000,000,000 case on both databases.
 */
import { type CheckTarget, fixedIf, type SecurityCheck, skipped } from '../check.ts'

const PAGE = '/analytics/population'

/**
 * Each is refused by the form's rules alone, whoever signs in. The counts go to a period no score asks for,
 * so a server without the fix (which read "1.000" as 1) is left with nothing that changes a score.
 */
const REFUSED = [
  { period: '1901-Q1', count: '1000000000000' },
  { period: '1901-Q1', count: '1.000' },
  { period: '1901-Q1', count: '-3' },
  { period: 'soon', count: '10' },
]

export const checks: SecurityCheck[] = [
  {
    id: 'population-bounds',
    finding: '15.5',
    title: 'Population counts that cannot be right are refused with a message, nothing stored',
    async run(target: CheckTarget) {
      const cookie = await target.signedIn()
      if (!cookie) return skipped('no analyst could sign in')
      const page = await fetch(`${target.url}${PAGE}`, { headers: { Cookie: cookie }, redirect: 'manual' })
      const agency = /<option value="([^"]+)"/.exec(await page.text())?.[1]
      if (!agency) return skipped(`GET ${PAGE} → ${page.status} without an agency to enter a count for`)
      const answers: string[] = []
      let refused = 0
      for (const attempt of REFUSED) {
        const response = await fetch(`${target.url}${PAGE}`, {
          method: 'POST',
          headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: target.url },
          body: new URLSearchParams({ intent: 'set', agencyCode: agency, ...attempt }).toString(),
          redirect: 'manual',
        })
        const body = await response.text()
        if (response.status === 400 && body.includes('error-summary')) refused++
        answers.push(`${attempt.period} ${attempt.count} → ${response.status}`)
      }
      return fixedIf(refused === REFUSED.length, answers.join(', '))
    },
  },
]
