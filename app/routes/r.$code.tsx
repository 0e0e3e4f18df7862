import { SurveyPage, surveyMeta } from '#app/components/survey/SurveyPage.tsx'
import { surveyAction, surveyLoader } from '#app/.server/survey-routes.ts'

export const loader = surveyLoader('r')
export const action = surveyAction('r')
export const meta = surveyMeta
export default SurveyPage
