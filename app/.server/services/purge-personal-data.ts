/**
 * The retention purge (`hailong purge`): free text and profile answers of responses older than the
 * retention period are deleted in one transaction with its audit entry. A dry run only counts them.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { retentionCutoff } from '#app/domain/privacy/retention.ts'
import { insertAudit } from '../repos/audit.ts'
import { countPersonalData, deletePersonalData, type PersonalDataCounts } from '../repos/personal-answers.ts'

export interface PurgeReport extends PersonalDataCounts {
  cutoff: string
  retentionMonths: number
  dryRun: boolean
}

export async function purgePersonalData(
  db: Kysely<Database>,
  options: { retentionMonths: number; dryRun: boolean; actor: string; now?: Date },
): Promise<PurgeReport> {
  const now = options.now ?? new Date()
  const cutoff = retentionCutoff(now, options.retentionMonths).toISOString()
  const about = { cutoff, retentionMonths: options.retentionMonths, dryRun: options.dryRun }
  if (options.dryRun) return { ...about, ...(await countPersonalData(db, cutoff)) }
  return db.transaction().execute(async (trx) => {
    const { responses } = await countPersonalData(trx, cutoff)
    const removed = await deletePersonalData(trx, cutoff)
    const report = { ...about, responses, ...removed }
    await insertAudit(
      trx,
      {
        userId: null,
        actor: options.actor,
        action: 'privacy.purge',
        entity: 'response',
        entityId: null,
        details: { cutoff, retentionMonths: options.retentionMonths, responses, ...removed },
      },
      now.toISOString(),
    )
    return report
  })
}
