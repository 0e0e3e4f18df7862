/**
 * The helpers the citizen's page needs of a questionnaire, apart from definition.ts: that module builds
 * zod schemas when it loads, and importing anything from it would bring zod into the browser (ADR 0055).
 */
import type { ElementDefinition, ItemDefinition, ItemType } from './definition.ts'

export function isScale(type: ItemType): boolean {
  return type === 'scale5' || type === 'scale3' || type === 'points210'
}

export function allItems(q: { elements: ElementDefinition[]; extraItems: ItemDefinition[] }): ItemDefinition[] {
  return [...q.elements.flatMap((e) => e.items), ...q.extraItems]
}
