/** Survey links as administrators and agency managers manage them, always inside their subtree. */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { SessionUser } from '../auth/session.ts'
import { randomCode } from '../codes.ts'
import { insertLink } from '../repos/links.ts'
import { insertAudit } from '../repos/users.ts'

export const newLinkSchema = z.object({
  agencyId: z.coerce.number().int().positive(),
  questionnaireId: z.coerce.number().int().positive(),
  procedureId: z.preprocess((v) => (v === '' || v === null ? null : v), z.coerce.number().int().positive().nullable()),
  counterLabel: z
    .string()
    .trim()
    .max(60)
    .transform((v) => v || null),
  kind: z.enum(['poster', 'kiosk']),
})

export async function listLinks(db: Kysely<Database>, scopePath: string | null) {
  return db
    .selectFrom('survey_link as l')
    .innerJoin('agency as a', 'a.id', 'l.agency_id')
    .innerJoin('questionnaire as q', 'q.id', 'l.questionnaire_id')
    .leftJoin('procedure as p', 'p.id', 'l.procedure_id')
    .select([
      'l.id',
      'l.code',
      'l.kind',
      'l.counter_label',
      'l.active',
      'a.code as agency_code',
      'a.name_vi as agency_vi',
      'a.name_en as agency_en',
      'q.code as questionnaire_code',
      'p.name_vi as procedure_vi',
      'p.name_en as procedure_en',
    ])
    .$if(scopePath !== null, (qb) => qb.where('a.path', 'like', `${scopePath}%`))
    .orderBy('a.path')
    .orderBy('l.id')
    .execute()
}

export type LinkResult =
  | { ok: true; id: number }
  | { ok: false; status: 403 | 404; error: 'common.forbidden' | 'common.notFound' }

async function agencyInScope(db: Kysely<Database>, user: SessionUser, agencyId: number) {
  const agency = await db
    .selectFrom('agency')
    .select(['id', 'path', 'valid_to'])
    .where('id', '=', agencyId)
    .executeTakeFirst()
  if (!agency || agency.valid_to !== null) return 'missing' as const
  return user.scopePath === null || agency.path.startsWith(user.scopePath) ? agency : ('forbidden' as const)
}

export async function createLink(
  db: Kysely<Database>,
  user: SessionUser,
  input: z.output<typeof newLinkSchema>,
): Promise<LinkResult> {
  const agency = await agencyInScope(db, user, input.agencyId)
  if (agency === 'missing') return { ok: false, status: 404, error: 'common.notFound' }
  if (agency === 'forbidden') return { ok: false, status: 403, error: 'common.forbidden' }
  const questionnaire = await db
    .selectFrom('questionnaire')
    .select('id')
    .where('id', '=', input.questionnaireId)
    .executeTakeFirst()
  const procedure =
    input.procedureId === null
      ? true
      : await db.selectFrom('procedure').select('id').where('id', '=', input.procedureId).executeTakeFirst()
  if (!questionnaire || !procedure) return { ok: false, status: 404, error: 'common.notFound' }
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    const id = await insertLink(trx, { code: randomCode(), ...input }, now)
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'link.create',
        entity: 'survey_link',
        entityId: String(id),
        details: input,
      },
      now,
    )
    return { ok: true as const, id }
  })
}

export async function deactivateLink(db: Kysely<Database>, user: SessionUser, linkId: number): Promise<LinkResult> {
  const link = await db
    .selectFrom('survey_link')
    .select(['id', 'agency_id'])
    .where('id', '=', linkId)
    .executeTakeFirst()
  if (!link) return { ok: false, status: 404, error: 'common.notFound' }
  const agency = await db.selectFrom('agency').select('path').where('id', '=', link.agency_id).executeTakeFirstOrThrow()
  if (user.scopePath !== null && !agency.path.startsWith(user.scopePath))
    return { ok: false, status: 403, error: 'common.forbidden' }
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('survey_link').set({ active: 0 }).where('id', '=', linkId).execute()
    await insertAudit(
      trx,
      {
        userId: user.id,
        actor: user.email,
        action: 'link.deactivate',
        entity: 'survey_link',
        entityId: String(linkId),
      },
      now,
    )
  })
  return { ok: true, id: linkId }
}
