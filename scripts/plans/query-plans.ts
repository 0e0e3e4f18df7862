/**
 * Shows how the database executes the app's hot queries: the citizen's submission path, the score
 * pages and the raw export. The statements are not written out here: the real services run against a
 * database with data, every statement they send is collected, and each distinct one is EXPLAINed
 * (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL) with the parameters it ran with. README quotes
 * the output; rerun it after changing a query or an index.
 *
 *   DATABASE_URL=… PLANS_RESPONSES=20000 npm run plans
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { CompiledQuery, sql } from 'kysely'
import { createDb, type DB } from '#db/client.ts'
import { databaseConfig } from '#db/config.ts'
import { dialectOf } from '#db/dialect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { agencyBreakdowns, agencySuggestions } from '#app/.server/services/agency-detail.ts'
import { computeScores } from '#app/.server/services/scores.ts'
import { seedAll, seedDemoResponses } from '#app/.server/services/seed.ts'
import { resolveLink } from '#app/.server/services/survey-entry.ts'
import { submitResponse } from '#app/.server/services/submit-response.ts'
import { rawExportWindow } from '#app/.server/repos/raw-responses.ts'

interface Captured {
  sql: string
  parameters: readonly unknown[]
}

/** What a hot path needs that is not part of it (a link code, an agency path…), looked up beforehand. */
interface Fixture {
  linkCode: string
  agencyPath: string
  questionnaireId: number
  agencyIds: number[]
}

async function fixture(db: DB): Promise<Fixture> {
  const link = await db
    .selectFrom('survey_link')
    .select('code')
    .where('active', '=', 1)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const agency = await db
    .selectFrom('agency')
    .select('path')
    .where('valid_to', 'is', null)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const questionnaire = await db
    .selectFrom('questionnaire')
    .select('id')
    .where('code', '=', 'SIPAS-2017')
    .executeTakeFirstOrThrow()
  const agencies = await db.selectFrom('agency').select('id').execute()
  return {
    linkCode: link.code,
    agencyPath: agency.path,
    questionnaireId: questionnaire.id,
    agencyIds: agencies.map((a) => a.id),
  }
}

/** The hot paths, each run once against `db` while its statements are collected. */
const HOT_PATHS: Array<{ name: string; run: (db: DB, f: Fixture) => Promise<void> }> = [
  {
    name: 'Citizen opens a survey link and submits',
    async run(db, f) {
      const entry = await resolveLink(db, f.linkCode, false)
      if (!entry.ok) throw new Error('the demo link does not resolve')
      const { target } = entry
      const answers = Object.fromEntries(
        target.version.items.filter((i) => i.role === 'criterion').map((i) => [i.code, 4]),
      )
      await submitResponse(db, {
        clientSubmissionId: crypto.randomUUID(),
        version: target.version,
        answers,
        submittedAt: new Date(),
        context: {
          agencyId: target.agency.id,
          procedureId: null,
          channel: 'counter',
          linkId: target.linkId,
          invitationId: null,
        },
      })
    },
  },
  {
    name: 'Score page: the province over a year, with the previous year',
    async run(db) {
      const result = await computeScores(db, {
        questionnaireCode: 'SIPAS-2017',
        rootAgencyCode: null,
        period: { kind: 'year', year: new Date().getFullYear() },
        boundaries: 'current',
      })
      if (!result.ok) throw new Error(result.error)
    },
  },
  {
    name: 'Agency page: distributions, expectations and suggestions',
    async run(db, f) {
      const period = { kind: 'year' as const, year: new Date().getFullYear() }
      await agencyBreakdowns(db, 'SIPAS-2017', f.agencyPath, period, 'current')
      await agencySuggestions(db, 'SIPAS-2017', f.agencyPath, period, 'current', 100)
    },
  },
  {
    name: 'Raw export: one batch',
    async run(db, f) {
      await rawExportWindow(
        db,
        { questionnaireId: f.questionnaireId, agencyIds: f.agencyIds, fromMonth: '2000-01', toMonth: '2999-12' },
        0,
        5000,
      )
    },
  },
]

/** Statements that only manage transactions have no plan. */
const hasPlan = (text: string) => !/^(begin|commit|rollback|savepoint|release)/i.test(text.trim())

async function explain(db: DB, statement: Captured): Promise<string> {
  const prefix = dialectOf(db) === 'postgres' ? 'explain ' : 'explain query plan '
  // The statement's own text and parameters, run through the same driver.
  const result = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + statement.sql, [...statement.parameters]),
  )
  if (dialectOf(db) === 'postgres') return result.rows.map((r) => String(r['QUERY PLAN'])).join('\n')
  return result.rows.map((r) => `${'  '.repeat(Math.max(0, Number(r.parent) ? 1 : 0))}${String(r.detail)}`).join('\n')
}

async function ensureData(db: DB, wanted: number): Promise<number> {
  await migrateToLatest(db)
  await seedAll(db)
  const have = Number(
    (
      await db
        .selectFrom('response')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  if (have < wanted) {
    console.error(`adding ${wanted - have} synthetic responses…`)
    await seedDemoResponses(db, wanted - have, { seed: 7 })
  }
  // Planner statistics, as a maintained database has them.
  await sql`analyze`.execute(db)
  return Math.max(have, wanted)
}

export async function printQueryPlans(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const config = databaseConfig(env)
  const wanted = Number(env.PLANS_RESPONSES ?? 20_000)
  const setup = createDb(config)
  const responses = await ensureData(setup, wanted)
  const f = await fixture(setup)
  await setup.destroy()

  let captured: Captured[] = []
  const db = createDb(config, { onQuery: (text, parameters) => captured.push({ sql: text, parameters }) })
  const dialect = dialectOf(db)
  const lines = [`# Query plans on ${dialect} (${responses.toLocaleString('en')} responses)`, '']
  try {
    for (const path of HOT_PATHS) {
      captured = []
      await path.run(db, f)
      const distinct = [...new Map(captured.filter((c) => hasPlan(c.sql)).map((c) => [c.sql, c])).values()]
      lines.push(`## ${path.name}`, '')
      for (const statement of distinct) {
        const plan = await explain(db, statement)
        lines.push(
          '```sql',
          statement.sql.length > 400 ? `${statement.sql.slice(0, 400)}…` : statement.sql,
          '```',
          '```',
          plan,
          '```',
          '',
        )
      }
    }
  } finally {
    await db.destroy()
  }
  return lines.join('\n')
}

const isMain = process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('scripts', 'plans.mjs'))
if (isMain) {
  const text = await printQueryPlans()
  const out = path.resolve('bench-results')
  fs.mkdirSync(out, { recursive: true })
  const file = path.join(out, `query-plans-${databaseConfig().dialect}.md`)
  fs.writeFileSync(file, text)
  console.log(text)
  console.error(`→ ${path.relative(process.cwd(), file)}`)
}
