/** The survey page for both entry points: heading, intro and the form. */
import type { MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { allItems } from '#app/domain/questionnaire/items.ts'
import { timePromise } from '#app/domain/survey/time-promise.ts'
import type { SurveyPageData, SurveyRejection } from '#app/domain/survey/view.ts'
import { DossierInfo } from './DossierInfo.tsx'
import { AnonymityNote, PrivacyLink } from './PrivacyNote.tsx'
import { SurveyForm } from './SurveyForm.tsx'
import { StringsProvider, useStrings } from '../strings.tsx'

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

/** The page ships its own words (ADR 0055): no i18n runtime in the browser here. */
export function SurveyPage() {
  const { strings, lng } = useLoaderData<SurveyPageData>()
  return (
    <StringsProvider strings={strings} lng={lng}>
      <SurveyContent />
    </StringsProvider>
  )
}

function SurveyContent() {
  const { survey, procedures, procedureQuery, submissionId } = useLoaderData<SurveyPageData>()
  const actionData = useActionData<SurveyRejection>()
  const { t, lng } = useStrings()
  const en = lng === 'en'
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
