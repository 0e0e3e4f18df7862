import type { Command } from '../command.ts'
import { UsageError } from '../command.ts'
import { parseCommandArgs, positiveInteger } from '../args.ts'
import { withDatabase } from '../database.ts'
import { i18nServer } from '#app/.server/i18n.ts'
import {
  allReleases,
  approveRelease,
  createRelease,
  publishRelease,
  type ReleaseActor,
  releaseActor,
} from '#app/.server/services/releases.ts'

export const releaseCommand: Command = {
  name: 'release',
  summary: 'Prepare, approve and publish official releases',
  usage: `Usage: hailong release create --agency CODE --period PERIOD --as EMAIL [--questionnaire CODE] [--json]
       hailong release approve ID --as EMAIL
       hailong release publish ID --as EMAIL
       hailong release list [--json]

An official release is a frozen snapshot of the scores of an agency's subtree for
a period (docs/publication.md). PERIOD is a year, half, the first nine months,
a quarter or a month (2026, 2026-H1, 2026-9M, 2026-Q3, 2026-09, or as reports
write them: "Quý III/2026", "9 tháng đầu năm 2026"). The rules are the web's: each step is done as
a user (--as EMAIL), an administrator or analyst whose scope covers the agency;
a second person, not the author, approves; publishing supersedes the release
published before for the same agency and period.

  create    takes the snapshot now and prints the new release's id on its last
            line (--json: one JSON object with id and sha256)
  approve   draft → approved
  publish   approved → published`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        agency: { type: 'string' },
        period: { type: 'string' },
        questionnaire: { type: 'string' },
        as: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    )
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const [sub, ...rest] = positionals
    const fixedT = await i18nServer.getFixedT('en', 'results')
    const t = (key: string, options?: Record<string, unknown>) => fixedT(key, options)
    const needActor = async (db: Parameters<typeof releaseActor>[0]): Promise<ReleaseActor> => {
      if (values.as === undefined) throw new UsageError('--as EMAIL is required: every step is done as a user')
      const who = await releaseActor(db, values.as)
      if (!who) throw new UsageError(`--as: no active user has the e-mail "${values.as}"`)
      return who
    }
    const fail = (result: { error: string; values?: Record<string, string> }) => {
      throw new UsageError(t(result.error, result.values))
    }
    switch (sub) {
      case 'create': {
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`)
        if (!values.agency) throw new UsageError('--agency CODE is required')
        if (!values.period) throw new UsageError('--period PERIOD is required')
        return withDatabase(io, async (db) => {
          const who = await needActor(db)
          const result = await createRelease(
            db,
            { agencyCode: values.agency!, period: values.period!, questionnaireCode: values.questionnaire },
            who,
          )
          if (!result.ok) return fail(result)
          if (values.json) io.stdout(JSON.stringify({ id: result.id, sha256: result.sha256 }))
          else {
            io.stdout(`Draft release of ${values.agency} for ${values.period}, SHA-256 ${result.sha256}.`)
            io.stdout(String(result.id))
          }
          return 0
        })
      }
      case 'approve':
      case 'publish': {
        if (rest.length !== 1) throw new UsageError(`expected one release id after "${sub}"`)
        const id = positiveInteger('id', rest[0]) as number
        return withDatabase(io, async (db) => {
          const who = await needActor(db)
          if (sub === 'approve') {
            const result = await approveRelease(db, id, who)
            if (!result.ok) return fail(result)
            io.stdout(`Release ${id} approved by ${who.actor}.`)
            return 0
          }
          const result = await publishRelease(db, id, who)
          if (!result.ok) return fail(result)
          io.stdout(
            result.supersededId === null
              ? `Release ${id} published.`
              : `Release ${id} published; it supersedes release ${result.supersededId} (${result.changes} numbers moved).`,
          )
          return 0
        })
      }
      case 'list':
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`)
        return withDatabase(io, async (db) => {
          const releases = await allReleases(db)
          if (values.json) {
            io.stdout(JSON.stringify(releases))
            return 0
          }
          if (!releases.length) io.stdout('No releases.')
          for (const r of releases)
            io.stdout(
              [r.id, r.status, r.agencyCode, r.period, r.questionnaireCode, r.sha256, r.publishedAt ?? '-'].join('\t'),
            )
          return 0
        })
      default:
        throw new UsageError('expected a subcommand: create, approve, publish or list')
    }
  },
}
