/**
 * The QĐ 766/QĐ-TTg satisfaction rate of an agency and the response rates shown beside its score
 * (issue #17, docs/dossiers.md). Pure: the numbers come in already summed over the agency's subtree and
 * the period's months.
 *
 *   rate = (dossiers − dossiers rated dissatisfied, complained about or late) ÷ dossiers × 100
 *
 * The denominator is the dossiers settled in the period. Counts reach us as totals, not as dossiers, so a
 * dossier that is both late and rated dissatisfied cannot be recognised: the three deductions are added,
 * capped at the dossiers settled. The rate is therefore a lower bound, exact when no dossier carries two
 * of the marks.
 */

export interface DossierTotals {
  /** Dossiers settled in the period: the denominator. */
  settled: number
  /** Of them, settled after the legal time limit. */
  late: number
  /** Dossiers complained about (phản ánh, kiến nghị) in the period. */
  complained: number
  /** Dossiers rated "không hài lòng" (see `dissatisfiedCount` for where the count comes from). */
  dissatisfied: number
}

export interface Rate766 {
  /** Percent, rounded to `decimals`; null when no dossier was settled. */
  rate: number | null
  settled: number
  /** Dossiers deducted: late + complained + dissatisfied, at most the dossiers settled. */
  deducted: number
  late: number
  complained: number
  dissatisfied: number
  /** Where the dissatisfied count came from (see `dissatisfiedCount`). */
  dissatisfiedSource: DissatisfiedSource
}

export type DissatisfiedSource = 'one-stop-shop' | 'survey' | 'none'

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a count, got ${value}`)
}

/**
 * Which count of dissatisfied dossiers the rate uses. The one-stop-shop system's own per-dossier rating
 * (Nghị định 61, the portal's "không hài lòng") is the official source: when it reported a count for
 * every month of the period, that count is used. Otherwise the survey's: invitation responses (one
 * invitation per dossier, one response per invitation) whose overall rating is below the satisfaction
 * threshold. The two are never added: they may be the same dossiers rated twice.
 */
export function dissatisfiedCount(input: {
  /** Sum of the one-stop shop's counts; null when at least one month of the period lacks one. */
  oneStopShop: number | null
  /** Invitation responses rated below the threshold on the overall question. */
  survey: number
}): { dissatisfied: number; source: DissatisfiedSource } {
  if (input.oneStopShop !== null) return { dissatisfied: input.oneStopShop, source: 'one-stop-shop' }
  if (input.survey > 0) return { dissatisfied: input.survey, source: 'survey' }
  return { dissatisfied: 0, source: 'none' }
}

/** The QĐ 766 rate from the period's totals; `decimals` as the scores publish (2). */
export function rate766(totals: DossierTotals, source: DissatisfiedSource = 'none', decimals = 2): Rate766 {
  for (const [name, value] of Object.entries(totals)) assertCount(name, value)
  const deducted = Math.min(totals.settled, totals.late + totals.complained + totals.dissatisfied)
  return {
    rate: totals.settled === 0 ? null : round(((totals.settled - deducted) / totals.settled) * 100, decimals),
    settled: totals.settled,
    deducted,
    late: totals.late,
    complained: totals.complained,
    dissatisfied: totals.dissatisfied,
    dissatisfiedSource: source,
  }
}

export interface ResponseRates {
  /** Invitation responses ÷ invitations issued, percent; null when no invitation was issued. */
  perInvitation: number | null
  /** Responses ÷ dossiers settled, percent; null when no dossier count says how many were settled. */
  perDossier: number | null
}

/**
 * Response rates in percent, rounded to `decimals`. They may exceed 100 per dossier: responses through a
 * poster or a kiosk come from people whose dossier was counted elsewhere or not at all.
 */
export function responseRates(
  input: { responses: number; invitationResponses: number; invitations: number; settled: number | null },
  decimals = 2,
): ResponseRates {
  assertCount('responses', input.responses)
  assertCount('invitationResponses', input.invitationResponses)
  assertCount('invitations', input.invitations)
  if (input.settled !== null) assertCount('settled', input.settled)
  const ratio = (numerator: number, denominator: number | null) =>
    denominator ? round((numerator / denominator) * 100, decimals) : null
  return {
    perInvitation: ratio(input.invitationResponses, input.invitations),
    perDossier: ratio(input.responses, input.settled),
  }
}
