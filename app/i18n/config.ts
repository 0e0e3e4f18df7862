/** Every translation, bundled for the server (and tests). The browser loads its language's files on demand. */
import enAdmin from '../../locales/en/admin.json'
import enAnalytics from '../../locales/en/analytics.json'
import enCommon from '../../locales/en/common.json'
import enResults from '../../locales/en/results.json'
import enSurvey from '../../locales/en/survey.json'
import viAdmin from '../../locales/vi/admin.json'
import viAnalytics from '../../locales/vi/analytics.json'
import viCommon from '../../locales/vi/common.json'
import viResults from '../../locales/vi/results.json'
import viSurvey from '../../locales/vi/survey.json'

import type { NAMESPACES } from './languages.ts'

export * from './languages.ts'

export const resources = {
  vi: { common: viCommon, survey: viSurvey, analytics: viAnalytics, admin: viAdmin, results: viResults },
  en: { common: enCommon, survey: enSurvey, analytics: enAnalytics, admin: enAdmin, results: enResults },
} satisfies Record<string, Record<(typeof NAMESPACES)[number], unknown>>
