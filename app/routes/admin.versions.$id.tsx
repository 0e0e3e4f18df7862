import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { actor, adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import {
  assignVersion,
  newDraftFrom,
  publishDraft,
  saveDraft,
  versionPage,
} from '#app/.server/services/questionnaire-admin.ts'
import { QuestionnaireDesigner } from '#app/components/admin/QuestionnaireDesigner.tsx'
import { ItemField } from '#app/components/survey/ItemField.tsx'
import { allItems } from '#app/domain/questionnaire/definition.ts'
import { useForm } from 'react-hook-form'
import { confirmBefore } from '#app/components/confirm.ts'

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const page = await versionPage(context.db, Number(params.id))
  if (!page) return adminError(request, 404, 'designer.errors.unknownVersion')
  return page
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const versionId = Number(params.id)
  const { intent, form } = await formIntent(request, ['save', 'publish', 'assign', 'newDraft'] as const)
  if (intent === 'save') {
    let raw: unknown
    try {
      raw = JSON.parse(String(form.get('definition') ?? ''))
    } catch {
      return data(
        { ok: false, error: 'designer.errors.invalid', issues: [{ path: '', message: 'designer.errors.invalid' }] },
        { status: 400 },
      )
    }
    const result = await saveDraft(context.db, versionId, raw, actor(user))
    if (!result.ok)
      return data(
        { ok: false, error: result.error, issues: result.issues ?? [{ path: '', message: result.error }] },
        { status: result.status },
      )
    return { ok: true, issues: [] }
  }
  if (intent === 'assign') {
    const ids = form.getAll('agencyId').map(Number).filter(Number.isInteger)
    const result = await assignVersion(context.db, versionId, ids, actor(user))
    if (!result.ok) return adminError(request, result.status, result.error)
    return redirect(`/admin/versions/${versionId}?assigned=${ids.length}`)
  }
  const result =
    intent === 'publish'
      ? await publishDraft(context.db, versionId, actor(user))
      : await newDraftFrom(context.db, versionId, actor(user))
  if (!result.ok) {
    if (result.issues) return data({ ok: false, error: result.error, issues: result.issues }, { status: result.status })
    return adminError(request, result.status, result.error)
  }
  return redirect(`/admin/versions/${result.versionId}`)
}

function ReadOnlyVersion({ definition }: { definition: Parameters<typeof QuestionnaireDesigner>[0]['definition'] }) {
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const preview = useForm<Record<string, unknown>>()
  return (
    <div className="designer-layout">
      <div>
        <p className="notice">{t('questionnaires.immutable')}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('common.code')}</th>
              <th scope="col">{t('designer.labelVi')}</th>
              <th scope="col">{t('designer.type')}</th>
              <th scope="col">{t('designer.countsInIndex')}</th>
            </tr>
          </thead>
          <tbody>
            {allItems(definition).map((i) => (
              <tr key={i.code}>
                <th scope="row">{i.code}</th>
                <td>{en ? i.labelEn : i.labelVi}</td>
                <td>{t(`designer.types.${i.type}`)}</td>
                <td>{i.countsInIndex ? '✓' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="designer-preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t('designer.preview')}</h2>
        <div className="phone">
          {allItems(definition).map((item) => (
            <ItemField key={item.code} item={item} register={preview.register} initial={undefined} error={undefined} />
          ))}
        </div>
      </section>
    </div>
  )
}

export default function VersionPage() {
  const { version, definition, agencies, assigned } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const [params] = useSearchParams()
  const assignedCount = params.get('assigned')
  return (
    <>
      <p>
        <Link to={`/admin/questionnaires/${version.questionnaireId}`}>← {t('questionnaires.history')}</Link>
      </p>
      <h1>
        {definition.code} — {t('questionnaires.version', { number: version.number })} (
        {t(`common.status.${version.status}`)})
      </h1>
      {version.status === 'draft' ? (
        <>
          <QuestionnaireDesigner definition={definition} />
          <Form method="post" onSubmit={confirmBefore(t('questionnaires.confirmPublish'))}>
            <button type="submit" className="button" name="intent" value="publish">
              {t('questionnaires.publish')}
            </button>
          </Form>
        </>
      ) : (
        <>
          <ReadOnlyVersion definition={definition} />
          <Form method="post">
            <button type="submit" className="button secondary" name="intent" value="newDraft">
              {t('questionnaires.newDraft')}
            </button>
          </Form>
          <h2 id="assign">{t('questionnaires.assign')}</h2>
          <p className="hint">{t('questionnaires.assignHint')}</p>
          {assignedCount && (
            <p className="notice" role="status">
              {t('questionnaires.assigned', { count: Number(assignedCount) })}
            </p>
          )}
          <Form method="post" aria-labelledby="assign">
            <fieldset className="item">
              <legend>{t('links.agency')}</legend>
              <div className="choices">
                {agencies.map((a) => (
                  <label key={a.id} className="choice">
                    <input type="checkbox" name="agencyId" value={a.id} defaultChecked={assigned.includes(a.id)} />
                    <span>
                      {a.code} — {en ? a.nameEn : a.nameVi}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <button type="submit" className="button" name="intent" value="assign">
              {t('questionnaires.assign')}
            </button>
          </Form>
        </>
      )}
    </>
  )
}
