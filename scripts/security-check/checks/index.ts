/**
 * Every check `npm run security-check` runs, area by area. An area keeps its checks in its own module
 * (checks/<area>.ts, exporting `checks: SecurityCheck[]`) and is added here with one import and one entry.
 */
import type { SecurityCheck } from '../check.ts'
import { checks as auth } from './auth.ts'
import { checks as population } from './population.ts'
import { checks as privacy } from './privacy.ts'
import { checks as server } from './server.ts'

export const AREAS: Record<string, SecurityCheck[]> = {
  server,
  population,
  privacy,
  // Last: its password change ends the sessions the other areas sign in with.
  auth,
}
