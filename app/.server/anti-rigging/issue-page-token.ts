/**
 * The form token of a survey page about to be rendered. On a link, the page also counts against its
 * client network's allowance: past the hourly or daily cap the token says so (the response will be
 * quarantined); far past it (NETWORK_BLOCK_PER_HOUR) that network alone is answered 429. A page rendered
 * for an enrolled kiosk tablet (`kiosk`) is exempt: not counted, and its token says it was for a kiosk.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { AppConfig } from '../env.ts'
import { addToCounters, counterKey } from '../repos/network-counters.ts'
import { networkHash } from './client-network.ts'
import { issueFormToken, tokenEntry } from './form-token.ts'

export type PageToken = { ok: true; token: string } | { ok: false; status: 429 }

export async function issuePageToken(
  db: Kysely<Database>,
  config: Pick<AppConfig, 'secret' | 'antiRigging'>,
  page: {
    kind: string
    code: string
    linkId: number | null
    clientAddress: string
    capExempt?: boolean
    /** Rendered for a tablet enrolled for this link: implies capExempt. */
    kiosk?: boolean
  },
): Promise<PageToken> {
  const { secret, antiRigging } = config
  const network = networkHash(secret, page.clientAddress, antiRigging)
  let overCap = false
  if (page.kind === 's' && page.linkId !== null && antiRigging.capsEnabled && !page.capExempt && !page.kiosk) {
    const totals = await addToCounters(
      db,
      'issued',
      [{ linkId: page.linkId, networkHash: network, count: 1 }],
      new Date(),
    )
    const total = totals.get(counterKey(page.linkId, network))!
    if (total.hour > antiRigging.blockPerHour) return { ok: false, status: 429 }
    overCap = total.hour > antiRigging.perHour || total.day > antiRigging.perDay
  }
  const token = issueFormToken(secret, {
    entry: tokenEntry(page.kind, page.code),
    networkHash: network,
    overCap,
    kiosk: page.kiosk === true,
  })
  return { ok: true, token }
}
