/**
 * The short SIPAS form for poster and kiosk links: one question per element (the element's overall
 * satisfaction, counting in the index), the overall question and one open suggestion — seven items, under
 * two minutes on a phone. The full 22-criterion SIPAS_2017 form is for sampled survey rounds. Element codes
 * and the per-element item codes are those of the full form, so an analyst can set the two side by side.
 */
import type { ElementDefinition, QuestionnaireDefinition } from '../definition.ts'
import { SIPAS_2017, SIPAS_2017_ELEMENTS, SUGGESTION_ITEM } from './sipas2017.ts'

export const SIPAS_SHORT_CODE = 'SIPAS-SHORT'
/** The short form stays short: at most this many items. */
export const SIPAS_SHORT_MAX_ITEMS = 8

const elements: ElementDefinition[] = SIPAS_2017_ELEMENTS.map((element) => {
  const overall = element.items.find((i) => i.role === 'element_overall')!
  return {
    ...element,
    // The element's one question is its criterion: required, and counted in the index.
    items: [{ ...overall, role: 'criterion', required: true, countsInIndex: true }],
  }
})

const overall = SIPAS_2017.extraItems.find((i) => i.role === 'overall')!

export const SIPAS_SHORT: QuestionnaireDefinition = {
  code: SIPAS_SHORT_CODE,
  nameVi: 'Khảo sát nhanh sự hài lòng về sự phục vụ hành chính (SIPAS rút gọn)',
  nameEn: 'Quick satisfaction survey of public administrative services (short SIPAS)',
  indexMethod: 'respondent-composite',
  elements,
  extraItems: [{ ...overall, required: true }, SUGGESTION_ITEM],
}
