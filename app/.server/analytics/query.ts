/**
 * The analyst's question, parsed once from a URL's search parameters and shared by the scores page, its
 * downloads and the API, so they always compute the same numbers. Errors are translation keys.
 */
import { z } from 'zod'
import { isPeriodMonth, parsePeriod, type Period } from '#app/domain/period.ts'
import type { EntryChannel } from '#db/schema.ts'

/** How a response reached us (docs/anti-rigging.md, "Channels"), in the order pages list them. */
export const ENTRY_CHANNELS = ['invitation', 'open_link', 'kiosk', 'import'] as const satisfies readonly EntryChannel[]

export const analyticsQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'analytics.errors.questionnaire')
      .default('SIPAS-2017'),
    period: z.string().trim().optional(),
    from: z.string().trim().optional(),
    to: z.string().trim().optional(),
    agency: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,60}$/, 'analytics.errors.agency')
      .optional(),
    weighting: z
      .enum(['unweighted', 'design', 'poststratified'], { message: 'analytics.errors.weighting' })
      .default('design'),
    boundaries: z.enum(['current', 'historical'], { message: 'analytics.errors.boundaries' }).default('current'),
    method: z
      .enum(['respondent-composite', 'mean-of-item-indices', 'pooled-criteria', 'element-weighted'], {
        message: 'analytics.errors.method',
      })
      .optional(),
    ci: z.enum(['beta', 'wilson', 'logit'], { message: 'analytics.errors.ci' }).default('beta'),
    /** `collapse=1`: post-strata pool merged-away units into their successor's cell (default: kept apart). */
    collapse: z
      .enum(['0', '1'], { message: 'analytics.errors.query' })
      .default('0')
      .transform((v) => v === '1'),
    /** `compare=year`: the change is against the same period a year earlier instead of the one before. */
    compare: z.enum(['previous', 'year'], { message: 'analytics.errors.query' }).default('previous'),
    sort: z.enum(['tree', 'overall', 'n', 'name'], { message: 'analytics.errors.sort' }).default('tree'),
    /** `rank=shrunk`: rank siblings by the shrunk (Fay–Herriot) overall index instead of the direct one. */
    rank: z.enum(['direct', 'shrunk'], { message: 'analytics.errors.query' }).default('direct'),
    /** One or more entry channels (repeated, or comma-separated); absent means every channel. */
    channel: z.array(z.enum(ENTRY_CHANNELS, { message: 'analytics.errors.channel' })).optional(),
  })
  .transform((v, ctx) => {
    let period: Period | null
    if (v.from || v.to) {
      const from = v.from?.slice(0, 7) ?? ''
      const to = v.to?.slice(0, 7) ?? ''
      period =
        isPeriodMonth(from) && isPeriodMonth(to) && from <= to ? { kind: 'range', fromMonth: from, toMonth: to } : null
    } else {
      period = v.period ? parsePeriod(v.period) : { kind: 'year', year: currentYear() }
    }
    if (!period) {
      ctx.addIssue({ code: 'custom', message: 'analytics.errors.period', path: ['period'] })
      return z.NEVER
    }
    // Sorted and without repeats, so the same choice always reads (and is stated) the same way.
    const channels = v.channel?.length ? ENTRY_CHANNELS.filter((c) => v.channel!.includes(c)) : null
    return { ...v, period, channels }
  })

export type AnalyticsQuery = z.output<typeof analyticsQuerySchema>

function currentYear(): number {
  return new Date(Date.now() + 7 * 3600_000).getUTCFullYear()
}

export function parseAnalyticsQuery(
  params: URLSearchParams,
): { ok: true; query: AnalyticsQuery } | { ok: false; error: string } {
  const raw: Record<string, unknown> = Object.fromEntries([...params].filter(([, v]) => v !== ''))
  const channel = params
    .getAll('channel')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
  if (channel.length) raw.channel = channel
  else delete raw.channel
  const parsed = analyticsQuerySchema.safeParse(raw)
  if (parsed.success) return { ok: true, query: parsed.data }
  return {
    ok: false,
    error: parsed.error.issues[0]?.message.startsWith('analytics.')
      ? parsed.error.issues[0].message
      : 'analytics.errors.query',
  }
}
