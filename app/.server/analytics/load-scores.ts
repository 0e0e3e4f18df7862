/**
 * The shared first half of every analytics request: who is asking, what they ask, and the scores.
 * Bad input and out-of-scope requests end here as translated 4xx responses.
 */
import { data } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import { getTranslator } from '../i18n.ts'
import { requireUser, type SessionUser } from '../auth/session.ts'
import { parseAnalyticsQuery, type AnalyticsQuery } from './query.ts'
import { SCORES_ERROR_STATUS, scoresForScope } from './scores-for-user.ts'
import type { ScoresResult } from '../services/scores.ts'

export type OkScores = Extract<ScoresResult, { ok: true }>

export async function failWith(request: Request, error: string, status: number, detail?: string): Promise<never> {
  const t = await getTranslator(request, 'analytics')
  throw data(t(error.replace(/^analytics\./, ''), { detail }), { status })
}

/** `intervals: 'no-criteria'` for tables that show only overall and element indices (faster). */
export async function loadScores(
  context: AppLoadContext,
  request: Request,
  intervals: 'all' | 'no-criteria' = 'all',
): Promise<{ user: SessionUser; query: AnalyticsQuery; scores: OkScores }> {
  const user = await requireUser(context, request)
  const parsed = parseAnalyticsQuery(new URL(request.url).searchParams)
  if (!parsed.ok) return failWith(request, parsed.error, 400)
  const scores = await scoresForScope(context.readDb, user, parsed.query, intervals)
  if (!scores.ok)
    return failWith(
      request,
      `errors.${scores.error}`,
      SCORES_ERROR_STATUS[scores.error],
      'detail' in scores ? scores.detail : undefined,
    )
  return { user, query: parsed.query, scores }
}

export function sortRows<
  T extends {
    agency: { nameVi: string; nameEn: string }
    overall: { estimate: number | null; n: number; status: string }
  },
>(rows: T[], sort: AnalyticsQuery['sort'], lng: string): T[] {
  if (sort === 'tree') return rows
  const copy = [...rows]
  if (sort === 'n') return copy.sort((a, b) => b.overall.n - a.overall.n)
  if (sort === 'name')
    return copy.sort((a, b) =>
      (lng === 'en' ? a.agency.nameEn : a.agency.nameVi).localeCompare(
        lng === 'en' ? b.agency.nameEn : b.agency.nameVi,
        lng,
      ),
    )
  const value = (r: T) => (r.overall.status === 'published' && r.overall.estimate !== null ? r.overall.estimate : -1)
  return copy.sort((a, b) => value(b) - value(a))
}

/**
 * The tree as the page shows it: the root and its children, plus the children of every agency the
 * analyst expanded (`?expand=CODE,CODE` or `?expand=all`). Works without JavaScript: expanding is a link.
 */
export function visibleTreeRows<
  T extends { agency: { id: number; code: string; parentId: number | null }; depth: number },
>(rows: T[], expand: string | null) {
  const hasChildren = new Set(rows.map((r) => r.agency.parentId).filter((id): id is number => id !== null))
  const expanded = new Set(
    (expand ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  )
  const all = expanded.has('all')
  const byId = new Map(rows.map((r) => [r.agency.id, r]))
  const visible = (r: T): boolean => {
    if (r.depth <= 1 || all) return true
    const parent = r.agency.parentId === null ? undefined : byId.get(r.agency.parentId)
    return !!parent && expanded.has(parent.agency.code) && visible(parent)
  }
  const shown = rows.filter(visible)
  const toggles = Object.fromEntries(
    shown.map((r) => [
      r.agency.code,
      { expandable: hasChildren.has(r.agency.id) && r.depth >= 1, expanded: all || expanded.has(r.agency.code) },
    ]),
  )
  return { rows: shown, toggles }
}
