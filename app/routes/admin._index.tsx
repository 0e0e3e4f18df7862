import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireAdmin } from '#app/.server/admin/guard.ts'
import { feedbackDigest } from '#app/.server/services/feedback-digest.ts'
import { linkFlags } from '#app/.server/services/link-flags.ts'
import { FeedbackItems } from '#app/components/admin/FeedbackItems.tsx'
import { formatDate, formatDateTime, formatNumber, formatPercent, type Locale } from '#app/domain/format.ts'
import { adminSections } from '#app/domain/role-home.ts'

/** Unhandled digest items shown on the home page; the feedback page lists the rest. */
const HOME_ITEMS = 5

/**
 * The administration home: the sections, the digest of low ratings and suggestions of the user's units
 * (issue 19, "closing the loop") and the links whose recent responses need a look (issue 14).
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  const scope = { scopePath: user.scopePath }
  const [flags, digest] = await Promise.all([
    linkFlags(context.db, scope, context.config.linkFlags),
    feedbackDigest(context.db, scope, { status: 'unhandled', limit: HOME_ITEMS }),
  ])
  return { role: user.role, ...flags, digest }
}

/** The quarantine page, filtered to one link and window. */
function quarantineHref(linkId: number, from: string, to: string): string {
  return `/admin/quarantine?${new URLSearchParams({ link: String(linkId), from, to })}`
}

/** "29/11/2026 09:00 – 10:00", or both dates when the window crosses midnight (Vietnam time). */
function windowText(from: string, to: string): string {
  const start = formatDateTime(from)
  const end = formatDateTime(to)
  return start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`
}

export default function AdminHome() {
  const { role, flags, settings, digest } = useLoaderData<typeof loader>()
  const handled = new URLSearchParams(useLocation().search).get('done') === 'handle'
  const { t, i18n } = useTranslation('admin')
  const lng: Locale = i18n.language === 'en' ? 'en' : 'vi'
  const sections = adminSections(role)
  // The review link opens the quarantine page, which only administrators may use.
  const canReview = sections.includes('quarantine')
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('home.intro')}</p>
      <ul>
        {sections.map((s) => (
          <li key={s}>
            <Link to={`/admin/${s}`}>{t(`nav.${s}`)}</Link>
          </li>
        ))}
      </ul>
      <section aria-labelledby="digest-title">
        <h2 id="digest-title">{t('feedback.homeTitle')}</h2>
        {handled && (
          <p className="notice" role="status">
            {t('feedback.doneHandle')}
          </p>
        )}
        <p role="status">
          {digest.unhandled === 0
            ? t('feedback.homeNone', { days: digest.window.days })
            : t('feedback.homeCounts', {
                days: digest.window.days,
                from: formatDate(digest.window.from),
                unhandled: formatNumber(digest.unhandled, lng),
                low: formatNumber(digest.unhandledLowRatings, lng),
                suggestions: formatNumber(digest.unhandledSuggestions, lng),
              })}
        </p>
        {digest.items.length > 0 && <FeedbackItems items={digest.items} back="/admin" />}
        <p>
          <Link to="/admin/feedback">{t('feedback.seeAll')}</Link>
        </p>
      </section>
      <section aria-labelledby="flags-title">
        <h2 id="flags-title">{t('flags.title')}</h2>
        <p>{t('flags.intro', { minutes: settings.windowMinutes })}</p>
        {flags.length === 0 ? (
          <p role="status">{t('flags.none')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption>{t('flags.caption', { count: flags.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('flags.link')}</th>
                  <th scope="col">{t('flags.agency')}</th>
                  <th scope="col">{t('flags.kind')}</th>
                  <th scope="col">{t('flags.window')}</th>
                  <th scope="col">{t('flags.detail')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {flags.map((f) => (
                  <tr key={`${f.link.id}-${f.kind}`}>
                    <th scope="row">
                      <code>{f.link.code}</code>
                      {f.link.counterLabel ? ` — ${f.link.counterLabel}` : ''}
                    </th>
                    <td>{lng === 'en' ? f.agency.nameEn : f.agency.nameVi}</td>
                    <td>{t(`flags.kinds.${f.kind}`)}</td>
                    <td>{windowText(f.from, f.to)}</td>
                    <td>
                      {f.volume &&
                        t(f.volume.basis === 'floor' ? 'flags.volumeFloor' : 'flags.volume', {
                          observed: formatNumber(f.volume.observed, lng),
                          expected: formatNumber(f.volume.expected, lng, 1),
                        })}
                      {f.shift &&
                        t('flags.shift', {
                          value: f.shift.value,
                          before: formatPercent(f.shift.historyShare, lng, 0),
                          after: formatPercent(f.shift.windowShare, lng, 0),
                        })}
                    </td>
                    <td>
                      {canReview ? (
                        <Link to={quarantineHref(f.link.id, f.from, f.to)}>
                          {t('flags.review')}
                          <span className="visually-hidden"> ({f.link.code})</span>
                        </Link>
                      ) : (
                        t('flags.askAdmin')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}
