/**
 * The wording of each question as a period's answers were given to it (issue #18): analytics label a
 * period with the versions answered in it, not with today's version, and say so when one code was asked
 * in two wordings within the period (a rewording recorded as "same meaning").
 */
import { allItems, type QuestionnaireDefinition } from './definition.ts'

export interface AnsweredDefinition {
  versionNumber: number
  responses: number
  definition: Pick<QuestionnaireDefinition, 'elements' | 'extraItems'>
}

export interface Wording {
  labelVi: string
  labelEn: string
  /** Every distinct wording answered in the period, oldest version first; more than one means "say so". */
  variants: Array<{ versionNumbers: number[]; labelVi: string; labelEn: string; responses: number }>
}

/**
 * By item code: the label of the newest version answered in the period, and the distinct wordings the
 * period's answers were given to (Vietnamese text decides what is distinct, as for rewordings).
 */
export function wordingInPeriod(answered: AnsweredDefinition[]): Map<string, Wording> {
  const out = new Map<string, Wording>()
  const sorted = [...answered].sort((a, b) => a.versionNumber - b.versionNumber)
  for (const version of sorted) {
    for (const item of allItems(version.definition)) {
      const entry = out.get(item.code) ?? { labelVi: item.labelVi, labelEn: item.labelEn, variants: [] }
      const text = item.labelVi.trim().replace(/\s+/g, ' ')
      const same = entry.variants.find((v) => v.labelVi.trim().replace(/\s+/g, ' ') === text)
      if (same) {
        same.versionNumbers.push(version.versionNumber)
        same.responses += version.responses
      } else
        entry.variants.push({
          versionNumbers: [version.versionNumber],
          labelVi: item.labelVi,
          labelEn: item.labelEn,
          responses: version.responses,
        })
      // The newest answered version names the row.
      entry.labelVi = item.labelVi
      entry.labelEn = item.labelEn
      out.set(item.code, entry)
    }
  }
  return out
}
