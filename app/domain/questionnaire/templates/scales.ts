/** Answer scales as bilingual options, shared by the templates and the designer. */
import type { ItemOption } from '../definition.ts'

export const FIVE_LEVEL_SCALE: ItemOption[] = [
  { value: '1', labelVi: 'Rất không hài lòng', labelEn: 'Very dissatisfied' },
  { value: '2', labelVi: 'Không hài lòng', labelEn: 'Dissatisfied' },
  { value: '3', labelVi: 'Bình thường', labelEn: 'Neutral' },
  { value: '4', labelVi: 'Hài lòng', labelEn: 'Satisfied' },
  { value: '5', labelVi: 'Rất hài lòng', labelEn: 'Very satisfied' },
]
/** "Satisfied" on the five-level scale means Hài lòng (4) or Rất hài lòng (5). */
export const FIVE_LEVEL_SATISFIED = 4

/** The Nghị định 61 overall rating: 2 / 1 / 0 points. */
export const THREE_LEVEL_SCALE: ItemOption[] = [
  { value: '2', labelVi: 'Rất hài lòng', labelEn: 'Very satisfied' },
  { value: '1', labelVi: 'Hài lòng', labelEn: 'Satisfied' },
  { value: '0', labelVi: 'Không hài lòng', labelEn: 'Dissatisfied' },
]
export const THREE_LEVEL_SATISFIED = 1
