import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import { SECRET_MIN, saveDigestWebhook, sendDigestNow, webhookPage } from '#app/.server/services/digest-webhook.ts'
import { feedbackPage, markFeedback } from '#app/.server/services/feedback-digest.ts'
import { FeedbackItems } from '#app/components/admin/FeedbackItems.tsx'
import { Field } from '#app/components/form/Field.tsx'
import { formatDate, formatDateTime, formatNumber, type Locale } from '#app/domain/format.ts'
import { safeRedirectPath } from '#app/domain/safe-redirect.ts'

/**
 * Closing the loop (docs/insight.md): the low ratings and suggestions of the user's units over the last
 * days, marked handled or reopened with a note; administrators also set the province's digest webhook.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  const page = await feedbackPage(context.db, user, new URL(request.url).searchParams)
  if (!page.ok) return adminError(request, page.status, page.error)
  const webhooks = user.role === 'admin' ? await webhookPage(context.db) : null
  return { ...page, webhooks, secretMin: SECRET_MIN }
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request, ['admin', 'manager'])
  const { intent, form } = await formIntent(request, ['handle', 'reopen', 'webhook', 'send'] as const)
  const fields = Object.fromEntries([...form].map(([k, v]) => [k, typeof v === 'string' ? v : '']))
  if (intent === 'handle' || intent === 'reopen') {
    const result = await markFeedback(context.db, user, intent, fields)
    if (!result.ok) return adminError(request, result.status, result.error)
    const back = new URL(safeRedirectPath(fields.back, '/admin/feedback'), 'http://x')
    back.searchParams.set('done', intent)
    return redirect(`${back.pathname}${back.search}`, 303)
  }
  // The webhook is the province's: administrators only.
  if (user.role !== 'admin') return adminError(request, 403, 'common.forbidden')
  if (intent === 'webhook') {
    const saved = await saveDigestWebhook(context.db, user, fields, context.config.webhooks)
    if (!saved.ok) return adminError(request, saved.status, saved.error)
    return redirect('/admin/feedback?webhook=saved#webhook', 303)
  }
  const sent = await sendDigestNow(context.db, user, fields.agencyCode ?? '', {
    ...context.config.webhooks,
    publicUrl: context.config.publicUrl,
  })
  if (!sent) return adminError(request, 404, 'common.notFound')
  return redirect(`/admin/feedback?webhook=${sent.ok ? 'sent' : 'failed'}#webhook`, 303)
}

/** How a delivery went, in words: the receiver's HTTP status, a timeout, a refused address, no connection. */
function useDetailText() {
  const { t } = useTranslation('admin')
  return (detail: string | null) => {
    const http = detail?.match(/^HTTP (\d{3})$/)
    if (http) return t('feedback.webhook.details.http', { status: http[1] })
    if (detail === 'timeout') return t('feedback.webhook.details.timeout')
    if (detail === 'EPRIVATE' || detail === 'privateAddress') return t('feedback.webhook.details.private')
    return t('feedback.webhook.details.network')
  }
}

export default function Feedback() {
  const detailText = useDetailText()
  const { values, agencies, digest, webhooks, secretMin } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation('admin')
  const lng: Locale = i18n.language === 'en' ? 'en' : 'vi'
  const done = params.get('done')
  const webhookDone = params.get('webhook')
  const back = `/admin/feedback?${new URLSearchParams({ status: values.status, ...(values.agency ? { agency: values.agency } : {}) })}`
  return (
    <>
      <h1>{t('feedback.title')}</h1>
      <p>
        {t('feedback.intro', {
          days: digest.window.days,
          from: formatDate(digest.window.from),
          to: formatDate(digest.window.to),
        })}
      </p>
      {(done === 'handle' || done === 'reopen') && (
        <p className="notice" role="status">
          {t(done === 'handle' ? 'feedback.doneHandle' : 'feedback.doneReopen')}
        </p>
      )}
      <p role="status">
        {t('feedback.counts', {
          unhandled: formatNumber(digest.unhandled, lng),
          low: formatNumber(digest.unhandledLowRatings, lng),
          suggestions: formatNumber(digest.unhandledSuggestions, lng),
          handled: formatNumber(digest.handled, lng),
        })}
      </p>
      <h2>{t('feedback.filter')}</h2>
      <Form method="get" className="grid-form" role="search">
        <Field id="fb-status" label={t('feedback.status')}>
          {(control) => (
            <select name="status" defaultValue={values.status} {...control}>
              <option value="unhandled">{t('feedback.statuses.unhandled')}</option>
              <option value="handled">{t('feedback.statuses.handled')}</option>
              <option value="all">{t('feedback.statuses.all')}</option>
            </select>
          )}
        </Field>
        <Field id="fb-agency" label={t('feedback.agency')}>
          {(control) => (
            <select name="agency" defaultValue={values.agency} {...control}>
              <option value="">{t('feedback.allAgencies')}</option>
              {agencies.map((a) => (
                <option key={a.code} value={a.code}>
                  {lng === 'en' ? a.nameEn : a.nameVi}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button className="button" type="submit">
          {t('feedback.apply')}
        </button>
      </Form>
      <h2>{t('feedback.listTitle', { count: digest.total })}</h2>
      {digest.items.length === 0 ? (
        <p>{t('feedback.none')}</p>
      ) : (
        <>
          {digest.total > digest.items.length && (
            <p className="hint">
              {t('feedback.showingFirst', {
                shown: formatNumber(digest.items.length, lng),
                total: formatNumber(digest.total, lng),
              })}
            </p>
          )}
          <FeedbackItems items={digest.items} back={back} />
        </>
      )}
      {webhooks && (
        <section aria-labelledby="webhook">
          <h2 id="webhook">{t('feedback.webhook.title')}</h2>
          <p>{t('feedback.webhook.intro')}</p>
          {webhookDone && (
            <p className="notice" role="status">
              {t(
                `feedback.webhook.done.${webhookDone === 'saved' ? 'saved' : webhookDone === 'sent' ? 'sent' : 'failed'}`,
              )}
            </p>
          )}
          {webhooks.map(({ agency, webhook }) => (
            <div key={agency.code} className="panel">
              <h3>{lng === 'en' ? agency.nameEn : agency.nameVi}</h3>
              {webhook && (
                <p>
                  {webhook.lastStatus === null
                    ? t('feedback.webhook.neverSent')
                    : t(webhook.lastStatus === 'ok' ? 'feedback.webhook.lastOk' : 'feedback.webhook.lastFailed', {
                        at: formatDateTime(webhook.lastAttemptAt!),
                        detail: detailText(webhook.lastDetail),
                      })}
                </p>
              )}
              <Form method="post" className="grid-form">
                <input type="hidden" name="agencyCode" value={agency.code} />
                <Field
                  id={`wh-url-${agency.code}`}
                  label={t('feedback.webhook.url')}
                  hint={t('feedback.webhook.urlHint')}
                  inputProps={{
                    name: 'url',
                    type: 'url',
                    required: true,
                    maxLength: 2000,
                    defaultValue: webhook?.url ?? '',
                    autoComplete: 'off',
                  }}
                />
                <Field
                  id={`wh-secret-${agency.code}`}
                  label={t('feedback.webhook.secret')}
                  hint={t(webhook ? 'feedback.webhook.secretKept' : 'feedback.webhook.secretHint', { min: secretMin })}
                  inputProps={{
                    name: 'secret',
                    type: 'password',
                    required: !webhook,
                    minLength: secretMin,
                    maxLength: 200,
                    autoComplete: 'new-password',
                  }}
                />
                <div className="checkbox">
                  <input
                    id={`wh-enabled-${agency.code}`}
                    type="checkbox"
                    name="enabled"
                    value="on"
                    defaultChecked={webhook?.enabled ?? true}
                  />
                  <label htmlFor={`wh-enabled-${agency.code}`}>{t('feedback.webhook.enabled')}</label>
                </div>
                <button className="button" type="submit" name="intent" value="webhook">
                  {t('feedback.webhook.save')}
                </button>
              </Form>
              {webhook && (
                <Form method="post">
                  <input type="hidden" name="agencyCode" value={agency.code} />
                  <button className="button secondary" type="submit" name="intent" value="send">
                    {t('feedback.webhook.send')}
                  </button>
                </Form>
              )}
            </div>
          ))}
        </section>
      )}
    </>
  )
}
