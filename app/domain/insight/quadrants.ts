/**
 * The importance–performance reading of drivers (docs/insight.md): each item is placed by its importance
 * (share of R²) against its published score. The dividing lines are the equal share (1/p: what each item
 * would explain if all mattered alike) and the mean of the items' scores, so the quadrants say "more
 * important than average" and "scored below the others", whatever the agency's level.
 */

export type Quadrant = 'fixFirst' | 'keepUp' | 'lowerPriority' | 'possibleOverkill'

export interface PlottedItem {
  code: string
  importance: number
  /** The published score in [0, 1]; null when not published (the item is not placed). */
  score: number | null
}

export interface PlacedItem extends PlottedItem {
  quadrant: Quadrant | null
  /** 1 = most important, among all items. */
  importanceRank: number
  /** 1 = lowest score, among the items with a score; null without a score. */
  scoreRankFromLowest: number | null
}

export interface QuadrantReading {
  /** The lines dividing the chart: importance 1/p, score the mean of the published scores. */
  importanceLine: number
  scoreLine: number | null
  items: PlacedItem[]
}

export function quadrantOf(importance: number, score: number, importanceLine: number, scoreLine: number): Quadrant {
  const important = importance >= importanceLine
  const low = score < scoreLine
  if (important) return low ? 'fixFirst' : 'keepUp'
  return low ? 'lowerPriority' : 'possibleOverkill'
}

export function placeItems(items: readonly PlottedItem[]): QuadrantReading {
  const importanceLine = items.length ? 1 / items.length : 0
  const scored = items.filter((i) => i.score !== null && Number.isFinite(i.score))
  const scoreLine = scored.length ? scored.reduce((s, i) => s + i.score!, 0) / scored.length : null
  const byImportance = [...items].sort((a, b) => b.importance - a.importance)
  const byScore = [...scored].sort((a, b) => a.score! - b.score!)
  return {
    importanceLine,
    scoreLine,
    items: items.map((item) => ({
      ...item,
      quadrant:
        item.score !== null && scoreLine !== null && Number.isFinite(item.importance)
          ? quadrantOf(item.importance, item.score, importanceLine, scoreLine)
          : null,
      importanceRank: byImportance.indexOf(item) + 1,
      scoreRankFromLowest: item.score === null ? null : byScore.indexOf(item) + 1,
    })),
  }
}

/**
 * The items a plain-words summary names, most important first: those to fix first, then the most
 * important item whatever its quadrant (so the summary is never empty when anything was placed).
 */
export function summaryItems(reading: QuadrantReading, limit = 3): PlacedItem[] {
  const placed = reading.items.filter((i) => i.quadrant !== null).sort((a, b) => a.importanceRank - b.importanceRank)
  const fixFirst = placed.filter((i) => i.quadrant === 'fixFirst')
  const chosen = fixFirst.length ? fixFirst : placed.slice(0, 1)
  return chosen.slice(0, limit)
}
