import { SurveyPage, surveyMeta } from '#app/components/survey/SurveyPage.tsx'
import { surveyAction, surveyLoader } from '#app/.server/survey-routes.ts'

export const loader = surveyLoader('s')
export const action = surveyAction('s')
export const meta = surveyMeta
export default SurveyPage
