/** Builds the aggregate sums the score table reads from small hand-written microdata, the way the live path does. */
import type { ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import type { AgencySums, ScoringElement } from '#app/domain/scoring/score-table.ts'
import { addSums, EMPTY_SUMS, observationSums } from '#app/domain/statistics/cell-sums.ts'

export interface Respondent {
  w?: number
  answers: Record<string, number>
}

/** A five-point criterion counted in the index, "satisfied" = 4 or 5; `extra` overrides any field. */
export function scaleItem(code: string, extra: Partial<ItemDefinition> = {}): ItemDefinition {
  return {
    code,
    type: 'scale5',
    role: 'criterion',
    labelVi: code,
    labelEn: code,
    required: true,
    countsInIndex: true,
    satisfiedThreshold: 4,
    options: ['1', '2', '3', '4', '5'].map((v) => ({ value: v, labelVi: v, labelEn: v })),
    maxLength: null,
    ...extra,
  }
}

/** Score-table elements: criteria codes per element, weights as given, "satisfied" = 4 or 5. */
export function elements(spec: Array<[code: string, weight: number, criteria: string[]]>): ScoringElement[] {
  return spec.map(([code, weight, criteria]) => ({
    code,
    weight,
    criteria: criteria.map((c) => ({ code: c, satisfiedThreshold: 4 })),
  }))
}

export function agencySums(els: ScoringElement[], respondents: Respondent[]): AgencySums {
  const contributionElements = els.map((e) => ({
    code: e.code,
    weight: e.weight,
    items: e.criteria.map((c) => scaleItem(c.code)),
  }))
  const sums: AgencySums = { composites: new Map(), answers: new Map() }
  for (const r of respondents) {
    const w = r.w ?? 1
    for (const [key, x] of Object.entries(respondentComposites(contributionElements, r.answers))) {
      if (x === null) continue
      const prev = sums.composites.get(key) ?? { weighted: EMPTY_SUMS, unweighted: EMPTY_SUMS }
      sums.composites.set(key, {
        weighted: addSums(prev.weighted, observationSums(w, x)),
        unweighted: addSums(prev.unweighted, observationSums(1, x)),
      })
    }
    for (const [code, answer] of Object.entries(r.answers)) {
      const rows = sums.answers.get(code) ?? []
      const row = rows.find((x) => x.answer === answer)
      if (row) Object.assign(row, { n: row.n + 1, sw: row.sw + w, sw2: row.sw2 + w * w })
      else rows.push({ answer, n: 1, sw: w, sw2: w * w })
      sums.answers.set(code, rows)
    }
  }
  return sums
}

/** `count` respondents answering every criterion of `els` with `value`, each with weight `w`. */
export function uniform(els: ScoringElement[], count: number, value: number, w = 1): Respondent[] {
  const answers = Object.fromEntries(els.flatMap((e) => e.criteria.map((c) => [c.code, value])))
  return Array.from({ length: count }, () => ({ w, answers }))
}
