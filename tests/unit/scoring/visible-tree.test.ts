// The scores table folds below the first level; expanding is a link (no JavaScript needed).
import { describe, expect, it } from 'vitest'
import { visibleTreeRows } from '#app/.server/analytics/load-scores.ts'

const row = (id: number, code: string, parentId: number | null, depth: number) => ({
  agency: { id, code, parentId },
  depth,
})
const rows = [row(1, 'P', null, 0), row(2, 'A', 1, 1), row(3, 'A1', 2, 2), row(4, 'A1x', 3, 3), row(5, 'B', 1, 1)]
const codes = (r: { rows: Array<{ agency: { code: string } }> }) => r.rows.map((x) => x.agency.code)

describe('visibleTreeRows', () => {
  it('shows the root and its children by default, and marks which can be expanded', () => {
    const v = visibleTreeRows(rows, null)
    expect(codes(v)).toEqual(['P', 'A', 'B'])
    expect(v.toggles).toEqual({
      P: { expandable: false, expanded: false },
      A: { expandable: true, expanded: false },
      B: { expandable: false, expanded: false },
    })
  })

  it('shows the children of expanded agencies only when their parents are visible too', () => {
    expect(codes(visibleTreeRows(rows, 'A'))).toEqual(['P', 'A', 'A1', 'B'])
    expect(codes(visibleTreeRows(rows, 'A1'))).toEqual(['P', 'A', 'B'])
    expect(codes(visibleTreeRows(rows, 'A,A1'))).toEqual(['P', 'A', 'A1', 'A1x', 'B'])
    expect(visibleTreeRows(rows, 'A,A1').toggles.A1).toEqual({ expandable: true, expanded: true })
  })

  it('shows everything with expand=all, and ignores unknown codes', () => {
    expect(codes(visibleTreeRows(rows, 'all'))).toEqual(['P', 'A', 'A1', 'A1x', 'B'])
    expect(codes(visibleTreeRows(rows, 'NOPE,,'))).toEqual(['P', 'A', 'B'])
  })
})
