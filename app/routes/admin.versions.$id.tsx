import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { actor, adminError, formIntent, requireAdmin } from '#app/.server/admin/guard.ts'
import {
  assignVersion,
  newDraftFrom,
  publishDraft,
  type RolloutChoice,
  rolloutVersion,
  saveDraft,
  versionPage,
} from '#app/.server/services/questionnaire-admin.ts'
import { RolloutFields } from '#app/components/admin/RolloutFields.tsx'
import { fieldPathWords } from '#app/domain/code-words.ts'
import { formatDate } from '#app/domain/format.ts'
import { inLanguage } from '#app/domain/questionnaire/definition.ts'
import { vietnamToday } from '#app/domain/questionnaire/rollout.ts'
import { QuestionnaireDesigner } from '#app/components/admin/QuestionnaireDesigner.tsx'
import { StringsProvider } from '#app/components/strings.tsx'
import { ItemField } from '#app/components/survey/ItemField.tsx'
import { allItems } from '#app/domain/questionnaire/definition.ts'
import { useForm } from 'react-hook-form'
import { confirmBefore } from '#app/components/confirm.ts'

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  await requireAdmin(context, request)
  const page = await versionPage(context.db, Number(params.id))
  if (!page) return adminError(request, 404, 'designer.errors.unknownVersion')
  return { ...page, today: vietnamToday() }
}

/** The agencies (each optionally with its subtree) and the day chosen in a rollout form. */
function rolloutChoice(form: FormData): RolloutChoice {
  const ids = (name: string) => form.getAll(name).map(Number).filter(Number.isInteger)
  const subtree = new Set(ids('rolloutSubtree'))
  // Ticking "and the units below" alone picks the unit too.
  return {
    agencies: [...new Set([...ids('rolloutAgency'), ...subtree])].map((id) => ({
      id,
      includeSubtree: subtree.has(id),
    })),
    date: String(form.get('effectiveDate') ?? ''),
  }
}

export async function action({ context, params, request }: ActionFunctionArgs) {
  const user = await requireAdmin(context, request)
  const versionId = Number(params.id)
  const { intent, form } = await formIntent(request, ['save', 'publish', 'assign', 'newDraft', 'rollout'] as const)
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
    return { ok: true, issues: [], rewordings: result.rewordings ?? [] }
  }
  if (intent === 'rollout') {
    const result = await rolloutVersion(context.db, versionId, rolloutChoice(form), actor(user))
    if (!result.ok) return adminError(request, result.status, result.error)
    return redirect(`/admin/versions/${versionId}?rolledOut=1`)
  }
  if (intent === 'assign') {
    const ids = form.getAll('agencyId').map(Number).filter(Number.isInteger)
    const result = await assignVersion(context.db, versionId, ids, actor(user))
    if (!result.ok) return adminError(request, result.status, result.error)
    return redirect(`/admin/versions/${versionId}?assigned=${ids.length}`)
  }
  // "chosen": only the agencies picked, from the day picked; anything else publishes to every agency.
  const rollout = form.get('audience') === 'chosen' ? rolloutChoice(form) : null
  const result =
    intent === 'publish'
      ? await publishDraft(context.db, versionId, actor(user), rollout)
      : await newDraftFrom(context.db, versionId, actor(user))
  if (!result.ok) {
    if (result.issues) return data({ ok: false, error: result.error, issues: result.issues }, { status: result.status })
    return adminError(request, result.status, result.error)
  }
  return redirect(`/admin/versions/${result.versionId}`)
}

function ReadOnlyVersion({ definition }: { definition: Parameters<typeof QuestionnaireDesigner>[0]['definition'] }) {
  const { t, i18n } = useTranslation('admin')
  const { t: ts } = useTranslation('survey')
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
                <td>{inLanguage(en ? 'en' : 'vi', i.labelVi, i.labelEn)}</td>
                <td>{t(`designer.types.${i.type}`)}</td>
                <td>{i.countsInIndex ? '✓' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="designer-preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t('designer.preview')}</h2>
        <StringsProvider t={(key, v) => ts(key, v)} lng={en ? 'en' : 'vi'}>
          <div className="phone">
            {allItems(definition).map((item) => (
              <ItemField
                key={item.code}
                item={item}
                register={preview.register}
                initial={undefined}
                error={undefined}
              />
            ))}
          </div>
        </StringsProvider>
      </section>
    </div>
  )
}

export default function VersionPage() {
  const { version, definition, agencies, assigned, rollouts, previous, today } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const [params] = useSearchParams()
  const assignedCount = params.get('assigned')
  // Publishing refused with reasons (e.g. a reworded item without a decision) comes back as action data.
  const refused = useActionData<{ ok: boolean; error?: string; issues?: Array<{ path: string; message: string }> }>()
  const agencyName = (a: { nameVi: string; nameEn: string }) => inLanguage(i18n.language, a.nameVi, a.nameEn)
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
          <QuestionnaireDesigner definition={definition} previous={previous} />
          <h2 id="publish-heading">{t('rollout.publishHeading')}</h2>
          {refused && !refused.ok && refused.issues && (
            <div className="error-summary" role="alert">
              <h3>{t(refused.error ?? 'common.errors')}</h3>
              <ul>
                {refused.issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>
                    {fieldPathWords(i.path, t)}: {t(i.message)}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <Form
            method="post"
            aria-labelledby="publish-heading"
            onSubmit={confirmBefore(t('questionnaires.confirmPublish'))}
          >
            <fieldset className="item">
              <legend>{t('rollout.audience')}</legend>
              <div className="choices">
                <label className="choice">
                  <input type="radio" name="audience" value="all" defaultChecked />
                  <span>{t('rollout.all')}</span>
                </label>
                <label className="choice">
                  <input type="radio" name="audience" value="chosen" />
                  <span>{t('rollout.chosen')}</span>
                </label>
              </div>
            </fieldset>
            <RolloutFields agencies={agencies} today={today} idPrefix="publish" />
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
          {rollouts.length > 0 && (
            <>
              <h2 id="rollouts">{t('rollout.inForce')}</h2>
              <ul>
                {rollouts.map((r) => (
                  <li key={r.id}>
                    {t(r.includeSubtree ? 'rollout.rowSubtree' : 'rollout.row', {
                      agency: `${r.agency.code} — ${agencyName(r.agency)}`,
                      date: formatDate(r.effectiveDate),
                    })}
                  </li>
                ))}
              </ul>
              {params.get('rolledOut') && (
                <p className="notice" role="status">
                  {t('rollout.saved')}
                </p>
              )}
              <Form method="post" aria-labelledby="rollout-more">
                <h3 id="rollout-more">{t('rollout.more')}</h3>
                <RolloutFields agencies={agencies} today={today} idPrefix="more" />
                <button type="submit" className="button" name="intent" value="rollout">
                  {t('rollout.submit')}
                </button>
              </Form>
            </>
          )}
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
                      {a.code} — {agencyName(a)}
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
