/**
 * The objective indicators of a dossier under Nghị định 61/2018 (amended by 107/2021), computed from what the
 * one-stop-shop system knows, not asked of the citizen (issue #18 point 4): processing time against the legal
 * limit, how many times the citizen had to contact the agency, how many agencies were involved. Points as the
 * decree scores them, 2 / 1 / 0 (docs/domain.md): returned before the due date 2, on it 1, after it 0;
 * no further contact 2, one 1, more 0; one agency 2, two 1, three or more 0.
 */

export interface DossierData {
  /** Dates as 'YYYY-MM-DD' (the one-stop shop's calendar dates). */
  receivedOn: string
  /** The due date on the receipt (ngày hẹn trả), which the legal processing time fixes. */
  dueOn: string
  /** Null while the result has not been returned. */
  returnedOn: string | null
  /** Times the citizen had to come back or be contacted to complete the dossier; null when not sent. */
  contacts: number | null
  /** The agencies that handled the dossier, by name; empty when not sent. */
  agencies: string[]
}

export type Timeliness = 'early' | 'on_time' | 'late' | 'pending'
export type Points = 0 | 1 | 2

export interface DossierIndicators {
  /** Calendar days from receipt to return; null while pending. */
  processingDays: number | null
  /** Calendar days from receipt to the due date: the time the law allowed. */
  allowedDays: number
  timeliness: Timeliness
  timePoints: Points | null
  contactPoints: Points | null
  agencyPoints: Points | null
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a real calendar date written 'YYYY-MM-DD' (no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === text
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

export function dossierIndicators(d: DossierData): DossierIndicators {
  const allowedDays = daysBetween(d.receivedOn, d.dueOn)
  const processingDays = d.returnedOn === null ? null : daysBetween(d.receivedOn, d.returnedOn)
  const timeliness: Timeliness =
    d.returnedOn === null ? 'pending' : d.returnedOn < d.dueOn ? 'early' : d.returnedOn === d.dueOn ? 'on_time' : 'late'
  const timePoints: Points | null =
    timeliness === 'pending' ? null : timeliness === 'early' ? 2 : timeliness === 'on_time' ? 1 : 0
  const contactPoints: Points | null = d.contacts === null ? null : d.contacts === 0 ? 2 : d.contacts === 1 ? 1 : 0
  const n = d.agencies.length
  const agencyPoints: Points | null = n === 0 ? null : n === 1 ? 2 : n === 2 ? 1 : 0
  return { processingDays, allowedDays, timeliness, timePoints, contactPoints, agencyPoints }
}

/** What the per-dossier form shows of the dossier, read-only ("Thông tin hồ sơ"). */
export interface DossierView {
  code: string | null
  data: DossierData | null
  indicators: DossierIndicators | null
}

/** The form's view of an invitation's stored dossier code and data (JSON written by the app). */
export function dossierView(code: string | null, json: string | null): DossierView | null {
  if (code === null && json === null) return null
  const data = json === null ? null : (JSON.parse(json) as DossierData)
  return { code, data, indicators: data && dossierIndicators(data) }
}
