/** The survey page for both entry points: heading, intro and the form. */
import type { MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { allItems } from '#app/domain/questionnaire/definition.ts'
import { timePromise } from '#app/domain/survey/time-promise.ts'
import type { SurveyPageData, SurveyRejection } from '#app/domain/survey/view.ts'
import { DossierInfo } from './DossierInfo.tsx'
import { AnonymityNote, PrivacyLink } from './PrivacyNote.tsx'
import { SurveyForm } from './SurveyForm.tsx'

/** The loader's shape as Remix's MetaFunction wants it; the server's loader is annotated with the same type. */
type Loader = () => Promise<SurveyPageData>

export const surveyMeta: MetaFunction<Loader> = ({ data }) => {
  const en = data?.lng === 'en'
  const survey = data?.survey
  return [
    {
      title: survey
        ? `${en ? survey.version.nameEn : survey.version.nameVi} — ${en ? survey.agency.nameEn : survey.agency.nameVi}`
        : 'Hài Lòng',
    },
  ]
}

export function SurveyPage() {
  const { survey, procedures, procedureQuery, submissionId } = useLoaderData<SurveyPageData>()
  const actionData = useActionData<SurveyRejection>()
  const { t, i18n } = useTranslation('survey')
  const en = i18n.language === 'en'
  const agency = en ? survey.agency.nameEn : survey.agency.nameVi
  // The promise is computed from this version's items, so a longer form never promises one minute.
  const promise = timePromise(allItems(survey.version), !survey.procedure)
  const duration = promise.kind === 'brief' ? t('duration.brief') : t('duration.about', { count: promise.minutes })
  return (
    <>
      <h1>{en ? survey.version.nameEn : survey.version.nameVi}</h1>
      <p>{t('intro', { agency, duration })}</p>
      <AnonymityNote kind={survey.kind} />
      {survey.procedure && (
        <p>
          <strong>{t('procedure.label')}</strong> {en ? survey.procedure.nameEn : survey.procedure.nameVi}
        </p>
      )}
      {survey.dossier && <DossierInfo dossier={survey.dossier} />}
      <SurveyForm
        // A new server answer (e.g. the no-JS error page) starts the form afresh from its values.
        key={actionData ? JSON.stringify(actionData.values).length : 'new'}
        survey={survey}
        procedures={procedures}
        procedureQuery={procedureQuery}
        submissionId={submissionId}
        serverResult={actionData}
      />
      <PrivacyLink />
    </>
  )
}
