import type { Command } from '../command.ts'
import { parseCommandArgs } from '../args.ts'
import { withDatabase } from '../database.ts'
import { loadConfig } from '#app/.server/env.ts'
import { listLinksWithAgency } from '#app/.server/repos/links.ts'
import { surveyLinkUrl } from '#app/.server/urls.ts'

export const linksCommand: Command = {
  name: 'links',
  summary: 'List every survey link',
  usage: `Usage: hailong links [--json]

Lists every active survey link with its agency and absolute URL, built from
PUBLIC_URL (default http://localhost:$PORT).
  --json   print [{ "agency": CODE, "url": ABSOLUTE_URL, "kind": "poster"|"kiosk" }]`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } })
    if (values.help) {
      io.stdout(this.usage)
      return 0
    }
    const config = loadConfig(io.env, io.cwd)
    return withDatabase(io, async (db) => {
      const links = (await listLinksWithAgency(db)).map((l) => ({
        agency: l.agencyCode,
        url: surveyLinkUrl(config.publicUrl, l.code),
        kind: l.kind,
        name: l.agencyNameVi,
      }))
      if (values.json)
        io.stdout(
          JSON.stringify(
            links.map(({ agency, url, kind }) => ({ agency, url, kind })),
            null,
            2,
          ),
        )
      else for (const l of links) io.stdout(`${l.agency.padEnd(22)} ${l.url}  ${l.name}`)
      return 0
    })
  },
}
