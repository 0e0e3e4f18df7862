import { PAGE_STRINGS } from '#app/components/strings.tsx'
import { SurveyPage, surveyMeta } from '#app/components/survey/SurveyPage.tsx'
import { surveyAction, surveyLoader } from '#app/.server/survey-routes.ts'

export const loader = surveyLoader('r')
export const action = surveyAction('r')
export const meta = surveyMeta
export default SurveyPage
/** The page ships its own words: no i18n runtime in the browser (ADR 0055). */
export const handle = PAGE_STRINGS
