/**
 * What the public results pages and the releases API read (docs/publication.md): published releases only,
 * served from their stored bytes. Nothing here computes a score.
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { ReleaseDocument } from '#app/domain/publication/release-document.ts'
import { documentHasRates, RATE_COLUMNS, rateCells } from '#app/domain/publication/release-rates.ts'
import type { CsvDialect } from '../exports/csv.ts'
import { getLanguage, i18nServer } from '../i18n.ts'
import { findRelease, listReleases, type ReleaseSummary } from '../repos/releases.ts'
import { publicRelease, sha256Hex } from './releases.ts'

export async function resultsTranslator(request: Request) {
  return i18nServer.getFixedT(await getLanguage(request), 'results')
}

const parseId = (text: string | undefined) => (text && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : null)

export interface ReleaseListItem {
  id: number
  period: string
  questionnaire: string
  scope: { agencyCode: string; nameVi: string; nameEn: string }
  publishedAt: string
  sha256: string
  supersedes: number | null
}

function listItem(r: ReleaseSummary): ReleaseListItem {
  return {
    id: r.id,
    period: r.period,
    questionnaire: r.questionnaireCode,
    scope: { agencyCode: r.agencyCode, nameVi: r.agencyNameVi, nameEn: r.agencyNameEn },
    publishedAt: r.publishedAt!,
    sha256: r.sha256,
    supersedes: r.supersedesId,
  }
}

/** Published releases, newest first. */
export async function publishedReleaseList(db: Kysely<Database>): Promise<ReleaseListItem[]> {
  return (await listReleases(db, ['published'])).map(listItem)
}

/** The API's list: its JSON text and an ETag on it. */
export async function releaseListing(db: Kysely<Database>): Promise<{ body: string; etag: string }> {
  const body = JSON.stringify({ releases: await publishedReleaseList(db) })
  return { body, etag: `"${sha256Hex(body)}"` }
}

/** The stored bytes of a published or superseded release; undefined for drafts and unknown ids. */
export async function releaseBytes(db: Kysely<Database>, idText: string | undefined) {
  const id = parseId(idText)
  const release = id === null ? undefined : await publicRelease(db, id)
  return release && { text: release.text, sha256: release.summary.sha256, status: release.summary.status }
}

export interface TrendColumn {
  id: number
  period: string
}

/** One release as the public page shows it, with the trend of its agencies across its scope's releases. */
export async function releasePage(db: Kysely<Database>, idText: string | undefined) {
  const id = parseId(idText)
  const release = id === null ? undefined : await publicRelease(db, id)
  if (!release) return null
  const { summary, document, changes, supersededBy } = release
  // The trend: the published releases of the same scope and questionnaire, this one included, by period.
  const siblings = (await listReleases(db, ['published']))
    .filter(
      (r) =>
        r.agencyId === summary.agencyId && r.questionnaireCode === summary.questionnaireCode && r.id !== summary.id,
    )
    .slice(0, 11)
  const columns: Array<TrendColumn & { doc: ReleaseDocument }> = [
    { id: summary.id, period: summary.period, doc: document },
  ]
  for (const s of siblings) {
    const record = await findRelease(db, s.id)
    if (record) columns.push({ id: s.id, period: s.period, doc: JSON.parse(record.document) as ReleaseDocument })
  }
  columns.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.id - b.id))
  const trend = document.agencies.map((a) => ({
    code: a.code,
    values: columns.map((c) => c.doc.agencies.find((x) => x.code === a.code)?.overall.percent ?? null),
  }))
  return {
    release: listItem(summary),
    status: summary.status,
    dataCutoff: summary.dataCutoff,
    document,
    changes,
    supersededBy,
    trend: { columns: columns.map(({ id, period }) => ({ id, period })), rows: trend },
  }
}

/** One cell; in the Vietnamese dialect (`;`, decimal comma) numbers take a comma and `;` forces quotes. */
const csvCell = (value: unknown, dialect: CsvDialect) => {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'number' && dialect === 'vi'
        ? String(value).replace('.', ',')
        : String(value)
  return (dialect === 'vi' ? /[";\n\r]/ : /[",\n\r]/).test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * A release as CSV: one row per agency, each carrying the release's id, period and SHA-256. `dialect`
 * `vi` separates with `;` and writes decimal commas, for Vietnamese Excel. A document that froze the QĐ 766
 * and response rates ends each row with them (percent, as the score sheet's columns); older ones do not.
 */
export async function releaseCsv(db: Kysely<Database>, idText: string | undefined, dialect: CsvDialect = 'rfc4180') {
  const id = parseId(idText)
  const release = id === null ? undefined : await publicRelease(db, id)
  if (!release) return null
  const { document, summary } = release
  const elementCodes = document.questionnaire.elements.map((e) => e.code)
  const rates = documentHasRates(document)
  const header = [
    'release_id',
    'release_sha256',
    'period',
    'agency_code',
    'name_vi',
    'name_en',
    'level',
    'rank_group',
    'rank',
    'rank_of',
    'overall_percent',
    'ci_lower',
    'ci_upper',
    'n',
    'n_eff',
    'status',
    'change_points',
    ...elementCodes.map((c) => `element_${c}`),
    ...(rates ? RATE_COLUMNS.map((c) => c.code) : []),
  ]
  const separator = dialect === 'vi' ? ';' : ','
  const lines = [header.join(separator)]
  for (const a of document.agencies)
    lines.push(
      [
        summary.id,
        summary.sha256,
        document.period,
        a.code,
        a.nameVi,
        a.nameEn,
        a.level,
        a.rank?.group,
        a.rank?.rank,
        a.rank?.of,
        a.overall.percent,
        a.overall.lower,
        a.overall.upper,
        a.overall.n,
        a.overall.nEff,
        a.overall.status,
        a.change,
        ...elementCodes.map((c) => a.elements[c]?.percent),
        ...(rates ? rateCells(a) : []),
      ]
        .map((v) => csvCell(v, dialect))
        .join(separator),
    )
  return {
    text: `\uFEFF${lines.join('\r\n')}\r\n`,
    filename: `release-${summary.id}-${document.period}${dialect === 'vi' ? '-vi' : ''}.csv`,
  }
}
