/**
 * Approving or rejecting a pending population count (docs/decisions/0037). Only someone other than its
 * author, whose scope covers every rollup the count feeds, decides it; an approved count replaces the one
 * weighting used before, after passing the plausibility rules again (responses keep arriving).
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { parsePeriod } from '#app/domain/period.ts'
import { canSee, type Scope } from '../auth/scope.ts'
import { insertAudit } from '../repos/audit.ts'
import {
  type CountActor,
  decidePendingCount,
  findPendingCount,
  type PendingCount,
  upsertPopulationCount,
} from '../repos/population-counts.ts'
import type { PopulationFailure } from './population.ts'
import { coversEveryRollup, implausibility, rollupRootsOf } from './population-rules.ts'

export const populationDecisionSchema = z.object({
  proposalId: z.coerce.number({ error: 'analytics.population.unknownPending' }).int().positive(),
})

export type PopulationDecisionResult = { ok: true; outcome: 'approved' | 'rejected' } | PopulationFailure

type Decider = Scope & CountActor

/** The pending count, if this person may decide it; else why not. */
async function decidable(
  db: Kysely<Database>,
  proposalId: number,
  who: Decider,
): Promise<{ ok: true; pending: PendingCount } | PopulationFailure> {
  const pending = await findPendingCount(db, proposalId)
  // Outside the scope it is as unknown as a count decided already: its existence is not this user's business.
  if (!pending || !canSee(who, pending)) return { ok: false, status: 409, error: 'analytics.population.unknownPending' }
  const roots = (await rollupRootsOf(db))({ id: pending.agencyId, path: pending.path })
  if (!coversEveryRollup(who, roots)) return { ok: false, status: 403, error: 'analytics.population.cannotApprove' }
  // The command line has no user id: it may not decide what it entered either.
  if (pending.enteredByUserId === who.userId) return { ok: false, status: 403, error: 'analytics.population.ownEntry' }
  return { ok: true, pending }
}

const auditDetails = (p: PendingCount) => ({
  agencyCode: p.code,
  period: p.period,
  count: p.count,
  source: p.source,
  enteredBy: p.enteredBy,
  enteredAt: p.enteredAt,
})

export async function approvePopulationCount(
  db: Kysely<Database>,
  proposalId: number,
  who: Decider,
): Promise<PopulationDecisionResult> {
  const checked = await decidable(db, proposalId, who)
  if (!checked.ok) return checked
  const { pending } = checked
  const refused = await implausibility(db, pending.agencyId, parsePeriod(pending.period)!, pending.count)
  if (refused) return { ok: false, ...refused }
  const now = new Date().toISOString()
  const decided = await db.transaction().execute(async (trx) => {
    if (!(await decidePendingCount(trx, pending.id, 'approved', who, now))) return false
    await upsertPopulationCount(
      trx,
      { agencyId: pending.agencyId, period: pending.period, count: pending.count, source: pending.source },
      now,
    )
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'population.approve',
        entity: 'population_count_proposal',
        entityId: String(pending.id),
        details: auditDetails(pending),
      },
      now,
    )
    return true
  })
  if (!decided) return { ok: false, status: 409, error: 'analytics.population.unknownPending' }
  return { ok: true, outcome: 'approved' }
}

export async function rejectPopulationCount(
  db: Kysely<Database>,
  proposalId: number,
  who: Decider,
): Promise<PopulationDecisionResult> {
  const checked = await decidable(db, proposalId, who)
  if (!checked.ok) return checked
  const { pending } = checked
  const now = new Date().toISOString()
  const decided = await db.transaction().execute(async (trx) => {
    if (!(await decidePendingCount(trx, pending.id, 'rejected', who, now))) return false
    await insertAudit(
      trx,
      {
        userId: who.userId,
        actor: who.actor,
        action: 'population.reject',
        entity: 'population_count_proposal',
        entityId: String(pending.id),
        details: auditDetails(pending),
      },
      now,
    )
    return true
  })
  if (!decided) return { ok: false, status: 409, error: 'analytics.population.unknownPending' }
  return { ok: true, outcome: 'rejected' }
}
