/**
 * Loaders and actions shared by the two survey entry points, /s/:code (links) and /r/:code (invitations).
 * The routes stay one line each; the work is in survey-entry and survey-submission.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import type { Kysely } from 'kysely'
import type { ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import type { SurveyPageData, SurveyRejection, SurveyView, ThanksPageData } from '#app/domain/survey/view.ts'
import type { Database } from '#db/schema.ts'
import type { LoadedItem } from './repos/questionnaires.ts'
import { issuePageToken } from './anti-rigging/issue-page-token.ts'
import { RESPONSE_REFERENCE, responseReference } from './codes.ts'
import { jsonResponse } from './http/json-response.ts'
import { getLanguage, getTranslator } from './i18n.ts'
import { surveyStrings, thanksStrings } from './page-strings.ts'
import { findProcedureOption, procedureLevelOf, searchProceduresForAgency } from './repos/procedures.ts'
import { findAgencyById } from './repos/agencies.ts'
import { isEnrolledKiosk } from './services/kiosk-enrolment.ts'
import { type EntryKind, resolveEntry, type SurveyTarget } from './services/survey-entry.ts'
import { handleSubmission, newSubmissionId, type SubmissionOutcome } from './services/survey-submission.ts'

/** What the page needs of a target, and nothing more: it is serialised into the HTML for hydration. */
export function surveyView(target: SurveyTarget): SurveyView {
  return {
    kind: target.kind,
    code: target.code,
    kiosk: target.kiosk,
    agency: { nameVi: target.agency.nameVi, nameEn: target.agency.nameEn },
    procedure: target.procedure && { nameVi: target.procedure.nameVi, nameEn: target.procedure.nameEn },
    version: {
      versionId: target.version.versionId,
      nameVi: target.version.nameVi,
      nameEn: target.version.nameEn,
      elements: target.version.elements.map(({ code, weight, titleVi, titleEn, items }) => ({
        code,
        weight,
        titleVi,
        titleEn,
        items: items.map(strip),
      })),
      extraItems: target.version.extraItems.map(strip),
    },
    ...(target.dossier ? { dossier: target.dossier } : {}),
  }
}
/** Database ids stay on the server: the form speaks in item codes. */
function strip({
  id: _id,
  elementId: _elementId,
  ...item
}: ItemDefinition & Partial<Pick<LoadedItem, 'id' | 'elementId'>>): ItemDefinition {
  return item
}

const kioskParam = (request: Request) => new URL(request.url).searchParams.get('kiosk') === '1'

async function problemResponse(request: Request, status: number, message: string) {
  const t = await getTranslator(request, 'survey')
  return data(t(message.replace(/^survey\./, '')), { status })
}

export function surveyLoader(kind: EntryKind) {
  return async ({ context, params, request }: LoaderFunctionArgs) => {
    const entry = await resolveEntry(context.db, kind, params.code ?? '', kioskParam(request))
    // A dossier that was already rated is thanked, not shown an error (issue #18).
    if (!entry.ok && entry.problem.message === 'survey.errors.invitationUsed')
      throw redirect(alreadyRatedUrl(params.code ?? '', new URL(request.url).searchParams.get('lng')))
    if (!entry.ok) throw await problemResponse(request, entry.problem.status, entry.problem.message)
    const url = new URL(request.url)
    const query = url.searchParams.get('tthc')?.slice(0, 100) ?? ''
    const chosenCode = url.searchParams.get('procedure')?.slice(0, 60) ?? ''
    const choosing = entry.target.procedure === null
    // The agency's own procedures first, then the others (docs/procedures.md).
    const agency = choosing ? await findAgencyById(context.db, entry.target.agency.id) : undefined
    const procedures = agency
      ? await searchProceduresForAgency(context.db, agency.id, procedureLevelOf(agency.level), query, 12)
      : []
    const chosenProcedure =
      choosing && chosenCode ? ((await findProcedureOption(context.db, chosenCode)) ?? null) : null
    const { linkId, linkKind } = entry.target
    // An enrolled tablet's pages are not counted against its network; its token says it is a kiosk.
    const kiosk =
      linkKind === 'kiosk' &&
      linkId !== null &&
      (await isEnrolledKiosk(context.db, context.config, request.headers.get('Cookie'), linkId))
    const token = await issuePageToken(context.db, context.config, {
      kind,
      code: params.code ?? '',
      linkId,
      clientAddress: context.clientAddress,
      kiosk,
    })
    if (!token.ok) throw await problemResponse(request, 429, 'survey.errors.rateLimited')
    const lng = await getLanguage(request)
    return data<SurveyPageData>(
      {
        survey: surveyView(entry.target),
        procedures,
        procedureQuery: query,
        chosenProcedure,
        submissionId: newSubmissionId(),
        formToken: token.token,
        lng,
        strings: surveyStrings(lng),
      },
      // A survey page carries a fresh submission id: it must never come from a cache.
      { headers: { 'Cache-Control': 'no-store' } },
    )
  }
}

/** The thank-you page, with the response's short reference code (a keyed hash: it reveals nothing). */
function thanksUrl(kind: EntryKind, code: string, kiosk: boolean, reference?: string) {
  const query = new URLSearchParams()
  if (kiosk) query.set('kiosk', '1')
  if (reference) query.set('ref', reference)
  return `/${kind}/${encodeURIComponent(code)}/thanks${query.size ? `?${query}` : ''}`
}

/** The thanks for a dossier already rated; a first visit's `?lng=` goes along, as no cookie holds it yet. */
function alreadyRatedUrl(code: string, lng: string | null = null) {
  return `/r/${encodeURIComponent(code)}/thanks?rated=1${lng === 'en' || lng === 'vi' ? `&lng=${lng}` : ''}`
}

const isAlreadyRated = (outcome: SubmissionOutcome) =>
  'problem' in outcome && outcome.problem.message === 'survey.errors.invitationUsed'

async function outcomeToHtml(
  db: Kysely<Database>,
  request: Request,
  kind: EntryKind,
  code: string,
  outcome: SubmissionOutcome,
) {
  switch (outcome.status) {
    case 303:
      return redirect(thanksUrl(kind, code, outcome.kiosk), 303)
    case 404:
    case 410:
      throw await problemResponse(request, outcome.status, outcome.problem.message)
    case 413:
      throw await problemResponse(request, 413, outcome.message)
    case 429:
      throw await problemResponse(request, 429, outcome.message)
    default: {
      const t = await getTranslator(request, 'survey')
      // The chosen procedure stays chosen on the page again, even when the first list does not hold it.
      const chosen = [outcome.values._procedure].flat()[0]
      const procedure = chosen ? ((await findProcedureOption(db, chosen)) ?? null) : null
      return data<SurveyRejection>(
        {
          message: t(outcome.message.replace(/^survey\./, '')),
          errors: outcome.errors,
          values: outcome.values,
          procedure,
        },
        { status: outcome.status },
      )
    }
  }
}

/** The no-JS path: a native form post answered with a redirect or the page with errors. */
export function surveyAction(kind: EntryKind) {
  return async ({ context, params, request }: ActionFunctionArgs) => {
    const settled = context.settledSurveyAction
    if (settled) {
      if ('thrown' in settled) throw settled.thrown
      return settled.returned
    }
    const outcome = await handleSubmission(context, kind, params.code ?? '', request)
    if (outcome.status === 303) {
      const reference = responseReference(context.config.secret, outcome.responseId)
      return redirect(thanksUrl(kind, params.code ?? '', outcome.kiosk, reference), 303)
    }
    if (isAlreadyRated(outcome)) return redirect(alreadyRatedUrl(params.code ?? ''), 303)
    return outcomeToHtml(context.db, request, kind, params.code ?? '', outcome)
  }
}

/** The JavaScript path: the same fields, answered with JSON so the page can retry and show errors inline. */
export function surveySubmitAction(kind: EntryKind) {
  return async ({ context, params, request }: ActionFunctionArgs) => {
    const code = params.code ?? ''
    const outcome = await handleSubmission(context, kind, code, request)
    if (outcome.status === 303) {
      const reference = responseReference(context.config.secret, outcome.responseId)
      return jsonResponse({
        ok: true,
        redirectTo: thanksUrl(kind, code, outcome.kiosk, reference),
        duplicate: outcome.duplicate,
      })
    }
    if (isAlreadyRated(outcome)) return jsonResponse({ ok: true, redirectTo: alreadyRatedUrl(code), duplicate: true })
    // Translations are loaded only for the answers that need words: the success path stays lean.
    const t = await getTranslator(request, 'survey')
    const say = (key: string) => t(key.replace(/^survey\./, ''))
    if ('problem' in outcome)
      return jsonResponse(
        { ok: false, message: say(outcome.problem.message), reload: true },
        { status: outcome.status },
      )
    const errors = 'errors' in outcome ? outcome.errors : {}
    return jsonResponse(
      { ok: false, message: say(outcome.message), errors, reload: outcome.status === 409 },
      { status: outcome.status },
    )
  }
}

export function thanksLoader(kind: EntryKind) {
  return async ({ context, params, request }: LoaderFunctionArgs): Promise<ThanksPageData> => {
    const code = params.code ?? ''
    const agency =
      kind === 's'
        ? await context.db
            .selectFrom('survey_link as l')
            .innerJoin('agency as a', 'a.id', 'l.agency_id')
            .select(['a.name_vi', 'a.name_en', 'l.kind'])
            .where('l.code', '=', code)
            .executeTakeFirst()
        : await context.db
            .selectFrom('invitation as i')
            .innerJoin('agency as a', 'a.id', 'i.agency_id')
            .select(['a.name_vi', 'a.name_en'])
            .where('i.code', '=', code)
            .executeTakeFirst()
    if (!agency)
      throw await problemResponse(
        request,
        404,
        kind === 's' ? 'survey.errors.linkNotFound' : 'survey.errors.invitationNotFound',
      )
    const kiosk = kioskParam(request) || ('kind' in agency && agency.kind === 'kiosk')
    const search = new URL(request.url).searchParams
    const reference = search.get('ref') ?? ''
    const lng = await getLanguage(request)
    return {
      agency: { nameVi: agency.name_vi, nameEn: agency.name_en },
      kiosk,
      surveyUrl: kind === 's' ? `/s/${encodeURIComponent(code)}${kiosk ? '?kiosk=1' : ''}` : null,
      // Only a code of the right shape is shown: the page echoes nothing else from its address.
      reference: RESPONSE_REFERENCE.test(reference) ? reference : null,
      alreadyRated: kind === 'r' && search.get('rated') === '1',
      contact: context.config.feedbackContact || null,
      lng,
      strings: thanksStrings(lng),
    }
  }
}
