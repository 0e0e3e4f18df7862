import { surveySubmitAction } from '#app/.server/survey-routes.ts'

export const action = surveySubmitAction('r')
