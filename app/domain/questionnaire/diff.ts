/** What changed between two versions of a questionnaire, for the version history. */
import { allItems, type ItemDefinition, type QuestionnaireDefinition } from './definition.ts'

export type Change =
  | { kind: 'element-added' | 'element-removed'; code: string }
  | { kind: 'element-changed'; code: string; fields: string[] }
  | { kind: 'item-added' | 'item-removed'; code: string }
  | { kind: 'item-changed'; code: string; fields: string[] }
  | { kind: 'item-moved'; code: string }
  | { kind: 'method-changed'; from: string; to: string }

const ITEM_FIELDS: Array<keyof ItemDefinition> = [
  'type',
  'role',
  'labelVi',
  'labelEn',
  'required',
  'countsInIndex',
  'satisfiedThreshold',
  'options',
  'maxLength',
]

type Def = Pick<QuestionnaireDefinition, 'elements' | 'extraItems' | 'indexMethod'>

export function diffDefinitions(before: Def, after: Def): Change[] {
  const changes: Change[] = []
  if (before.indexMethod !== after.indexMethod)
    changes.push({ kind: 'method-changed', from: before.indexMethod, to: after.indexMethod })
  const oldElements = new Map(before.elements.map((e) => [e.code, e]))
  const newElements = new Map(after.elements.map((e) => [e.code, e]))
  for (const [code, e] of newElements) {
    const old = oldElements.get(code)
    if (!old) changes.push({ kind: 'element-added', code })
    else {
      const fields = (['weight', 'titleVi', 'titleEn'] as const).filter((f) => old[f] !== e[f])
      if (fields.length) changes.push({ kind: 'element-changed', code, fields })
    }
  }
  for (const code of oldElements.keys()) if (!newElements.has(code)) changes.push({ kind: 'element-removed', code })

  const home = (def: Def) => {
    const map = new Map<string, string>()
    for (const e of def.elements) for (const i of e.items) map.set(i.code, e.code)
    for (const i of def.extraItems) map.set(i.code, '')
    return map
  }
  const oldHome = home(before)
  const newHome = home(after)
  const oldItems = new Map(allItems(before).map((i) => [i.code, i]))
  for (const item of allItems(after)) {
    const old = oldItems.get(item.code)
    if (!old) {
      changes.push({ kind: 'item-added', code: item.code })
      continue
    }
    const fields = ITEM_FIELDS.filter((f) => JSON.stringify(old[f]) !== JSON.stringify(item[f]))
    if (fields.length) changes.push({ kind: 'item-changed', code: item.code, fields })
    if (oldHome.get(item.code) !== newHome.get(item.code)) changes.push({ kind: 'item-moved', code: item.code })
  }
  for (const code of oldItems.keys()) if (!newHome.has(code)) changes.push({ kind: 'item-removed', code })
  return changes
}

/** An item whose Vietnamese wording (question or answer options) changed under the same code. */
export interface Rewording {
  code: string
  before: string
  after: string
  /** Whether the administrator recorded that it still asks the same question. */
  sameMeaning: boolean
}

const squash = (text: string) => text.trim().replace(/\s+/g, ' ')
const optionWording = (item: ItemDefinition) => (item.options ?? []).map((o) => squash(o.labelVi)).join(' | ')

/**
 * Items reworded since the previous published version. Answers are compared across versions by item code,
 * so a new wording under an old code must be either a new code or a recorded "same meaning"
 * (docs/questionnaires.md); English and whitespace changes are not rewordings.
 */
export function rewordings(before: Pick<Def, 'elements' | 'extraItems'>, after: Pick<Def, 'elements' | 'extraItems'>) {
  const old = new Map(allItems(before).map((i) => [i.code, i]))
  const out: Rewording[] = []
  for (const item of allItems(after)) {
    const prev = old.get(item.code)
    if (!prev) continue
    if (squash(prev.labelVi) === squash(item.labelVi) && optionWording(prev) === optionWording(item)) continue
    out.push({ code: item.code, before: prev.labelVi, after: item.labelVi, sameMeaning: item.sameMeaning === true })
  }
  return out
}
