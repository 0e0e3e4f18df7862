import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { actor, adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import {
  deleteDraft,
  isVersionOf,
  newDraftFrom,
  publishDraft,
  questionnairePage,
} from '#app/.server/services/questionnaire-admin.ts'
import { formatDate } from '#app/domain/format.ts'
import { confirmBefore } from '#app/components/confirm.ts'

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const page = await questionnairePage(context.db, Number(params.id))
  if (!page) return adminError(request, 404, 'common.notFound')
  return page
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const { intent, form } = await formIntent(request, ['newDraft', 'publish', 'deleteDraft'] as const)
  const versionId = Number(form.get('versionId'))
  if (!(await isVersionOf(context.db, Number(params.id), versionId)))
    return adminError(request, 404, 'designer.errors.unknownVersion')
  const result =
    intent === 'newDraft'
      ? await newDraftFrom(context.db, versionId, actor(user))
      : intent === 'publish'
        ? await publishDraft(context.db, versionId, actor(user))
        : await deleteDraft(context.db, versionId, actor(user))
  if (!result.ok) return adminError(request, result.status, result.error)
  return redirect(intent === 'newDraft' ? `/admin/versions/${result.versionId}` : `/admin/questionnaires/${params.id}`)
}

export default function QuestionnaireVersions() {
  const { questionnaire, history } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  return (
    <>
      <h1>
        {questionnaire.code} — {en ? questionnaire.nameEn || questionnaire.nameVi : questionnaire.nameVi}
      </h1>
      <h2>{t('questionnaires.history')}</h2>
      <ol reversed>
        {history.map((v) => (
          <li key={v.id} className="panel">
            <h3>
              {t('questionnaires.version', { number: v.number })} — {t(`common.status.${v.status}`)}
              {v.publishedAt ? ` · ${t('questionnaires.publishedAt', { date: formatDate(v.publishedAt) })}` : ''}
              {v.basedOn ? ` · ${t('questionnaires.basedOn', { number: v.basedOn })}` : ''}
            </h3>
            {v.changes === null ? (
              <p>{t('questionnaires.first')}</p>
            ) : v.changes.length === 0 ? (
              <p>{t('questionnaires.noChanges')}</p>
            ) : (
              <ul>
                {v.changes.map((c) => (
                  // A diff names each element or item once per kind of change.
                  <li key={`${c.kind}:${'code' in c ? c.code : ''}`}>
                    {t(`questionnaires.change.${c.kind}`, {
                      code: 'code' in c ? c.code : '',
                      fields: 'fields' in c ? c.fields.join(', ') : '',
                      from: 'from' in c ? c.from : '',
                      to: 'to' in c ? c.to : '',
                    })}
                  </li>
                ))}
              </ul>
            )}
            <div className="row-actions">
              <Link className="button small secondary" to={`/admin/versions/${v.id}`}>
                {v.status === 'draft' ? t('questionnaires.edit') : t('questionnaires.view')}
              </Link>
              {v.status === 'draft' ? (
                <>
                  <Form
                    method="post"
                    className="inline-form"
                    onSubmit={confirmBefore(t('questionnaires.confirmPublish'))}
                  >
                    <input type="hidden" name="versionId" value={v.id} />
                    <button type="submit" className="button small" name="intent" value="publish">
                      {t('questionnaires.publish')}
                    </button>
                  </Form>
                  <Form
                    method="post"
                    className="inline-form"
                    onSubmit={confirmBefore(t('questionnaires.confirmDeleteDraft'))}
                  >
                    <input type="hidden" name="versionId" value={v.id} />
                    <button type="submit" className="button small secondary" name="intent" value="deleteDraft">
                      {t('questionnaires.deleteDraft')}
                    </button>
                  </Form>
                </>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="versionId" value={v.id} />
                  <button type="submit" className="button small secondary" name="intent" value="newDraft">
                    {t('questionnaires.newDraft')}
                  </button>
                </Form>
              )}
            </div>
          </li>
        ))}
      </ol>
    </>
  )
}
