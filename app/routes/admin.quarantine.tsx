import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { adminError, requireAdmin } from '#app/.server/admin/guard.ts'
import { type FilterValues, moveResponses, quarantinePage } from '#app/.server/services/quarantine-admin.ts'
import { Field } from '#app/components/form/Field.tsx'
import { formatDate, formatNumber } from '#app/domain/format.ts'

/** Quarantined responses in the administrator's scope: reviewed in groups, released or held again in batches. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request)
  const page = await quarantinePage(context.db, user, new URL(request.url).searchParams)
  if (!page.ok) return adminError(request, page.status, page.error)
  return page
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const result = await moveResponses(context.db, user, Object.fromEntries(await request.formData()))
  if (!result.ok) return adminError(request, result.status, result.error)
  return result
}

/** "missing token" → the key "missingToken"; a reason without a translation is shown as stored. */
const reasonKey = (reason: string) =>
  `quarantine.reasons.${reason.replace(/[ _-]+(\w)/g, (_, c: string) => c.toUpperCase())}`

/** "2026-11-29T08:00" (Vietnam time) → "29/11/2026 08:00". */
const showTime = (local: string) => `${formatDate(local.slice(0, 10))} ${local.slice(11, 16)}`

function HiddenFilter({ values }: { values: FilterValues }) {
  return (
    <>
      {(Object.keys(values) as Array<keyof FilterValues>).map((k) =>
        values[k] ? <input key={k} type="hidden" name={k} value={values[k]} /> : null,
      )}
    </>
  )
}

export default function Quarantine() {
  const { values, reasons, groups, totalGroups, totalResponses, page, perPage } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation('admin')
  const lng = i18n.language === 'en' ? 'en' : 'vi'
  const location = useLocation()
  const confirmRef = useRef<HTMLHeadingElement>(null)
  const confirm = result?.step === 'confirm' ? result : null
  const done = result?.step === 'done' ? result : null
  useEffect(() => {
    if (confirm) confirmRef.current?.focus()
  }, [confirm])
  const reasonText = (r: string) => t(reasonKey(r), { defaultValue: r })
  const range = (v: FilterValues) =>
    [
      v.link && `${t('quarantine.link')}: ${v.link}`,
      v.reason && `${t('quarantine.reason')}: ${reasonText(v.reason)}`,
      v.from && `${t('quarantine.from')}: ${showTime(v.from)}`,
      v.to && `${t('quarantine.to')}: ${showTime(v.to)}`,
    ]
      .filter(Boolean)
      .join(' · ') || t('quarantine.everything')
  const pageLink = (n: number) => {
    const params = new URLSearchParams(location.search)
    params.set('page', String(n))
    return `?${params}`
  }
  return (
    <>
      <h1>{t('quarantine.title')}</h1>
      <p>{t('quarantine.intro')}</p>
      {done && (
        <p className="notice" role="status">
          {t(done.intent === 'release' ? 'quarantine.released' : 'quarantine.quarantined', { count: done.moved })}
        </p>
      )}
      {confirm && (
        <section className="panel" aria-labelledby="q-confirm">
          <h2 id="q-confirm" ref={confirmRef} tabIndex={-1}>
            {t(confirm.intent === 'release' ? 'quarantine.confirmRelease' : 'quarantine.confirmQuarantine', {
              count: confirm.count,
            })}
          </h2>
          <p>{range(confirm.values)}</p>
          {confirm.note && (
            <p>
              {t('quarantine.note')}: {confirm.note}
            </p>
          )}
          {confirm.count > 0 ? (
            <Form method="post" className="row-actions">
              <HiddenFilter values={confirm.values} />
              <input type="hidden" name="intent" value={confirm.intent} />
              {confirm.note && <input type="hidden" name="note" value={confirm.note} />}
              <button className="button" type="submit" name="confirmed" value="yes">
                {t(confirm.intent === 'release' ? 'quarantine.release' : 'quarantine.quarantineAgain')}
              </button>
              <Link className="button secondary" to={`${location.pathname}${location.search}`}>
                {t('common.cancel')}
              </Link>
            </Form>
          ) : (
            <p>
              {t('quarantine.nothing')} <Link to={`${location.pathname}${location.search}`}>{t('common.cancel')}</Link>
            </p>
          )}
        </section>
      )}
      <h2>{t('quarantine.filter')}</h2>
      <Form method="get" className="grid-form" role="search">
        <Field
          id="q-link"
          label={t('quarantine.linkCode')}
          inputProps={{ name: 'link', defaultValue: values.link, maxLength: 64, autoComplete: 'off' }}
        />
        <Field id="q-reason" label={t('quarantine.reason')}>
          {(control) => (
            <select name="reason" defaultValue={values.reason} {...control}>
              <option value="">{t('quarantine.allReasons')}</option>
              {[...new Set([...reasons, ...(values.reason ? [values.reason] : [])])].map((r) => (
                <option key={r} value={r}>
                  {reasonText(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="q-from"
          label={t('quarantine.from')}
          inputProps={{ name: 'from', type: 'datetime-local', defaultValue: values.from }}
        />
        <Field
          id="q-to"
          label={t('quarantine.to')}
          hint={t('quarantine.toHint')}
          inputProps={{ name: 'to', type: 'datetime-local', defaultValue: values.to }}
        />
        <button className="button" type="submit">
          {t('quarantine.apply')}
        </button>
      </Form>
      <p role="status">
        {t('quarantine.showing', {
          shown: formatNumber(groups.length, lng),
          groups: formatNumber(totalGroups, lng),
          responses: formatNumber(totalResponses, lng),
        })}
      </p>
      {totalResponses > 0 && (
        <Form method="post">
          <HiddenFilter values={values} />
          <button className="button secondary" type="submit" name="intent" value="release">
            {t('quarantine.releaseAll', { count: totalResponses })}
          </button>
        </Form>
      )}
      {groups.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('quarantine.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('quarantine.hour')}</th>
                <th scope="col">{t('quarantine.link')}</th>
                <th scope="col">{t('quarantine.reason')}</th>
                <th scope="col">{t('quarantine.count')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={`${g.hourUtc}|${g.linkId}|${g.agencyCode}|${g.reason}`}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {showTime(g.from)}–{g.to.slice(11, 16)}
                  </th>
                  <td>
                    {g.linkCode ?? t('quarantine.noLink')} — {g.agencyCode}{' '}
                    {lng === 'en' ? g.agencyNameEn : g.agencyNameVi}
                  </td>
                  <td>{reasonText(g.reason)}</td>
                  <td>{formatNumber(g.count, lng)}</td>
                  <td>
                    {g.linkCode ? (
                      <Form method="post">
                        <HiddenFilter values={{ link: g.linkCode, reason: g.reason, from: g.from, to: g.to }} />
                        <button className="button small" type="submit" name="intent" value="release">
                          {t('quarantine.releaseGroup', { count: g.count })}
                        </button>
                      </Form>
                    ) : (
                      <span className="hint">{t('quarantine.noLinkHint')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {totalGroups > perPage && (
        <nav aria-label={t('quarantine.pages')} className="row-actions">
          {page > 1 && <Link to={pageLink(page - 1)}>← {t('quarantine.previous')}</Link>}
          {page * perPage < totalGroups && <Link to={pageLink(page + 1)}>{t('quarantine.next')} →</Link>}
        </nav>
      )}
      <h2>{t('quarantine.holdTitle')}</h2>
      <p>{t('quarantine.holdIntro')}</p>
      <Form method="post" className="grid-form">
        <Field
          id="h-link"
          label={t('quarantine.linkCode')}
          inputProps={{ name: 'link', required: true, defaultValue: values.link, maxLength: 64, autoComplete: 'off' }}
        />
        <Field
          id="h-from"
          label={t('quarantine.from')}
          inputProps={{ name: 'from', type: 'datetime-local', required: true, defaultValue: values.from }}
        />
        <Field
          id="h-to"
          label={t('quarantine.to')}
          hint={t('quarantine.toHint')}
          inputProps={{ name: 'to', type: 'datetime-local', required: true, defaultValue: values.to }}
        />
        <Field id="h-note" label={t('quarantine.note')} inputProps={{ name: 'note', maxLength: 200 }} />
        <button className="button secondary" type="submit" name="intent" value="quarantine">
          {t('quarantine.quarantineAgain')}
        </button>
      </Form>
    </>
  )
}
