import { PAGE_STRINGS } from '#app/components/strings.tsx'
import { ThanksPage, thanksMeta } from '#app/components/survey/ThanksPage.tsx'
import { thanksLoader } from '#app/.server/survey-routes.ts'

export const loader = thanksLoader('r')
export const meta = thanksMeta
export default ThanksPage
/** The page ships its own words: no i18n runtime in the browser (ADR 0055). */
export const handle = PAGE_STRINGS
