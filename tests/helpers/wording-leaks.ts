/**
 * What the wording crawler (tests/integration/admin/wording-crawler.test.ts) counts as a raw code or an English
 * word on a Vietnamese page, and how it gets a page's visible text out of server-rendered HTML.
 */

/** i18n keys ("auth.sign_in", "nav.admin") and audit codes: lower-case words joined by dots. */
const DOTTED_CODE = /\b[a-z]+(?:\.[a-z_]+)+\b/
/** snake_case identifiers ("element_overall", "design_weight"), kebab-case code values. */
const SNAKE_CODE = /\b[a-z]+_[a-z_]+\b/
const KEBAB_CODES = /\b(?:respondent-composite|criterion-mean|item-changed|element-added)\b/
/** Stored enum values shown as words. */
const ENUM_WORD =
  /\b(?:province|department|district|commune|central|admin|manager|analyst|poster|kiosk|invitation|import|draft|published|retired)\b/
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/
/** English UI words that must not show on a Vietnamese page. */
const ENGLISH_WORDS =
  /\b(?:Forbidden|Unauthorized|Not Found|Save|Cancel|Delete|Edit|Create|Submit|Search|Filter|Export|Download|Score|Scores|Period|Agency|Agencies|Error|Method|Weighting|Weight|Level|Status|Active|Inactive|Draft|Published|Users?|Role|Password|Email|Sign in|Sign out|Total|Responses?|Next|Previous|Back|Home|Questionnaires?|Version|Procedures?|Links?|Tokens?|Audit|Quarantine|Release|Population)\b/

/**
 * The short allow-list of things on a Vietnamese page that are meant to look like codes, each only inside a
 * <code> element (where a page deliberately shows a code the reader must type, match or quote):
 */
const ALLOWED_IN_CODE: RegExp[] = [
  // column names of the import files (external_id, name_vi, …): the file's header must use them verbatim
  /^[a-z]+(?:_[a-z]+)*$/,
  // the level values an import file may carry (province/department/…), listed next to the column
  /^[a-z]+(?:\/[a-z]+)+$/,
  // the API endpoints the one-stop-shop software calls
  /^(?:GET|POST) \/api\/v1\/[a-z/]+$/,
  // a date as an import column must write it (year-month-day, the example next to the column)
  /^\d{4}-\d{2}-\d{2}$/,
]

/**
 * <code> elements whose whole content is exempt, by class: the audit log's stored details, shown verbatim
 * (folded away under a Vietnamese summary) because an auditor may need to quote the record exactly.
 */
const EXEMPT_CODE_CLASSES = ['audit-record']

/** Email addresses and absolute URLs are identifiers the page shows on purpose (users, survey links). */
const IDENTIFIERS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?:\/\/\S+/g

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', '#39': "'", '#x27': "'" }
export const decodeEntities = (s: string) =>
  s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (ENTITIES[e] !== undefined) return ENTITIES[e]!
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16))
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)))
    return m
  })

/** The text a Vietnamese reader sees (and hears: labels and titles), without allow-listed codes. */
export function visibleText(html: string): string {
  let body = html.replace(/<head[\s\S]*?<\/head>/i, '')
  body = body.replace(/<(script|style|svg|template)\b[\s\S]*?<\/\1>/gi, ' ')
  // The language switch is written in the language it switches to, and says so with lang="en".
  body = body.replace(/<a\b[^>]*\blang="en"[^>]*>[\s\S]*?<\/a>/gi, ' ')
  body = body.replace(/<code\b([^>]*)>([\s\S]*?)<\/code>/gi, (_whole, attributes: string, inner: string) => {
    const text = decodeEntities(inner.replace(/<[^>]+>/g, '')).trim()
    const exempt = EXEMPT_CODE_CLASSES.some((c) => new RegExp(`class="[^"]*\\b${c}\\b`).test(attributes))
    return exempt || ALLOWED_IN_CODE.some((re) => re.test(text)) ? ' ' : ` ${text} `
  })
  const attributes = [...body.matchAll(/\b(?:title|placeholder|aria-label|alt)="([^"]*)"/g)].map((m) => m[1])
  const text = body.replace(/<[^>]+>/g, ' ')
  return decodeEntities(`${text} ${attributes.join(' ')}`)
    .replace(IDENTIFIERS, ' ')
    .replace(/\s+/g, ' ')
}

/** Large numbers without the vi-VN thousands separator (12345 rather than 12.345); years and ids are shorter. */
const UNSEPARATED = /(?<![\d.,/#:-])\d{5,}(?![\d.,/:-])/

export function leaks(text: string): string[] {
  const found: string[] = []
  let rest = text
  for (const re of [DOTTED_CODE, SNAKE_CODE, KEBAB_CODES, ENUM_WORD, ISO_DATE, UNSEPARATED, ENGLISH_WORDS]) {
    const global = new RegExp(re.source, 'g')
    for (const m of rest.matchAll(global)) {
      const at = m.index ?? 0
      found.push(`"${m[0]}" in …${rest.slice(Math.max(0, at - 40), at + m[0].length + 40)}…`)
    }
    // Each leak is reported once: "auth.sign_in" is not reported again as "sign_in".
    rest = rest.replace(global, ' ')
  }
  return found
}
