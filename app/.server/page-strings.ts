/**
 * What each page that ships its own strings sends to the browser (ADR 0055): the parts of the locale files
 * it shows, in its language only. Built once per language.
 */
import { type Language, resources } from '#app/i18n/config.ts'
import { pick, type Strings } from '#app/i18n/translate.ts'

type Common = (typeof resources)['vi']['common']

const once = <T>(build: (lng: Language) => T) => {
  const built = new Map<Language, T>()
  return (lng: Language): T => {
    if (!built.has(lng)) built.set(lng, build(lng))
    return built.get(lng)!
  }
}

/** The survey page: its namespace but the privacy notice's text and the thank-you page. */
export const surveyStrings = once((lng): Strings => {
  const survey = resources[lng].survey as Strings
  return pick(
    survey,
    Object.keys(survey).filter((key) => key !== 'privacy' && key !== 'thanks'),
  )
})

/** The thank-you page. */
export const thanksStrings = once((lng): Strings => {
  const survey = resources[lng].survey as Strings
  return { ...pick(survey, ['thanks', 'privacyLink']), errors: pick(survey.errors as Strings, ['invitationUsed']) }
})

/** The layout and the error page around every page: the header, the language switch, the error texts. */
export const rootStrings = once((lng): Strings => {
  const common = resources[lng].common as Common
  return {
    ...pick(common as unknown as Strings, ['appName', 'skipToContent']),
    language: { switchTo: common.language.switchTo },
    nav: pick(common.nav, ['home', 'analytics', 'admin']),
    auth: pick(common.auth as unknown as Strings, ['changePassword', 'signOut']),
    errors: pick(common.errors as unknown as Strings, [
      'title',
      'notFound',
      'badRequest',
      'server',
      'backHome',
      'whatNext',
    ]),
  }
})
