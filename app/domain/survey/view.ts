/**
 * What the survey pages receive from the server, declared once for both sides: the loaders and actions
 * in app/.server annotate their results with these types, and the components read them back through
 * `useLoaderData`. Everything here is serialised into the HTML, so it carries no database ids.
 */
import type { DossierView } from '#app/domain/dossier/indicators.ts'
import type { ElementDefinition, ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import type { Strings } from '#app/domain/strings.ts'

/** `s`: a link posted at an agency (/s/:code); `r`: a one-time invitation (/r/:code). */
export type SurveyEntryKind = 's' | 'r'

export interface BilingualName {
  nameVi: string
  nameEn: string
}

/** The questionnaire version a citizen answers, with item codes only: database ids stay on the server. */
export interface SurveyVersionView extends BilingualName {
  versionId: number
  elements: ElementDefinition[]
  extraItems: ItemDefinition[]
}

export interface SurveyView {
  kind: SurveyEntryKind
  code: string
  kiosk: boolean
  agency: BilingualName
  /** Fixed by the link or invitation; null when the citizen chooses it on the form. */
  procedure: BilingualName | null
  version: SurveyVersionView
  /** An invitation's dossier (code, dates, computed indicators), shown read-only; absent for links. */
  dossier?: DossierView
}

export interface ProcedureOption extends BilingualName {
  code: string
  /** True for a procedure the survey's agency handles (listed first), false for the others. */
  own?: boolean
}

/** The survey page's loader data. */
export interface SurveyPageData {
  survey: SurveyView
  /** The first matches for `procedureQuery`, so the chooser works without JavaScript. */
  procedures: ProcedureOption[]
  procedureQuery: string
  /** The procedure chosen before a reload (`?procedure=` in the URL), shown chosen again. */
  chosenProcedure?: ProcedureOption | null
  /** Fresh per page view: a resent form is recognised as the same response. */
  submissionId: string
  /** Signed, single-use: a response is counted only when it comes back with the page's token. */
  formToken: string
  lng: 'vi' | 'en'
  /** The page's words in its language: the browser has no i18n runtime on this page (ADR 0055). */
  strings: Strings
}

/** A refused no-JavaScript submission: the page again, with the message, the field errors and the answers. */
export interface SurveyRejection {
  message: string
  errors: Record<string, string>
  values: Record<string, string | string[]>
  /** The chosen procedure's names, so the page shows it chosen even when it is not in the first list. */
  procedure?: ProcedureOption | null
}

/** The thank-you page's loader data. */
export interface ThanksPageData {
  agency: BilingualName
  kiosk: boolean
  /** Where a kiosk returns for the next citizen; null for an invitation, which is used once. */
  surveyUrl: string | null
  /** The response's short reference code ("K7QM-4XPD"), to quote when calling; null when unknown. */
  reference: string | null
  /** An invitation opened again after its dossier was rated: thanked, not refused. */
  alreadyRated: boolean
  /** The province's hotline or feedback channel (FEEDBACK_CONTACT); null when not configured. */
  contact: string | null
  lng: 'vi' | 'en'
  /** The page's words in its language (ADR 0055). */
  strings: Strings
}
