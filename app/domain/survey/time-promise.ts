/**
 * How long a questionnaire takes, computed from its items so that the survey never promises "about one
 * minute" for thirty-five questions. The seconds per kind of item are deliberate round estimates for a
 * phone (read the question, choose, scroll); they are documented in docs/features.md.
 */
import type { ItemDefinition, ItemType } from '#app/domain/questionnaire/definition.ts'

/** Seconds to read and answer one item of each type. */
export const SECONDS_PER_ITEM: Record<ItemType, number> = {
  scale5: 8,
  scale3: 7,
  points210: 8,
  single: 6,
  multiple: 12,
  text: 30,
  number: 8,
}
/** Optional profile questions are quick to answer or to skip. */
export const SECONDS_PER_PROFILE_ITEM = 4
/** Reading the introduction and sending. */
export const SECONDS_OVERHEAD = 15
/** Finding the procedure when the form asks for it. */
export const SECONDS_PROCEDURE_CHOICE = 15
/** Up to this many minutes the survey says "a few minutes" ("ít phút") instead of a number. */
export const BRIEF_MINUTES = 2

export type TimePromise = { kind: 'brief' } | { kind: 'about'; minutes: number }

export function estimateSeconds(
  items: ReadonlyArray<Pick<ItemDefinition, 'type' | 'role'>>,
  choosesProcedure: boolean,
) {
  let seconds = SECONDS_OVERHEAD + (choosesProcedure ? SECONDS_PROCEDURE_CHOICE : 0)
  for (const item of items) seconds += item.role === 'profile' ? SECONDS_PER_PROFILE_ITEM : SECONDS_PER_ITEM[item.type]
  return seconds
}

/** "ít phút" for a short form, otherwise "khoảng N phút" rounded up to a whole minute. */
export function timePromise(
  items: ReadonlyArray<Pick<ItemDefinition, 'type' | 'role'>>,
  choosesProcedure: boolean,
): TimePromise {
  const minutes = Math.ceil(estimateSeconds(items, choosesProcedure) / 60)
  return minutes <= BRIEF_MINUTES ? { kind: 'brief' } : { kind: 'about', minutes }
}
