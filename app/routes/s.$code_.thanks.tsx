import { ThanksPage, thanksMeta } from '#app/components/survey/ThanksPage.tsx'
import { thanksLoader } from '#app/.server/survey-routes.ts'

export const loader = thanksLoader('s')
export const meta = thanksMeta
export default ThanksPage
