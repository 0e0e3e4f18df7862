/**
 * Closing the loop: which responses are digest items (low ratings by scale, non-empty suggestions), their
 * order and counts, masking of the suggestion as the themes mask it, and the handling note's rule.
 */
import { describe, expect, it } from 'vitest'
import {
  buildDigest,
  checkNote,
  type DigestAnswerRow,
  HANDLING_NOTE_MAX,
  isLowRating,
  maskSuggestion,
  windowStart,
} from '#app/domain/insight/digest.ts'

const base = {
  agencyId: 7,
  agencyCode: 'STP',
  agencyNameVi: 'Sở Tư pháp',
  agencyNameEn: 'Department of Justice',
  itemLabelVi: 'Câu hỏi',
  itemLabelEn: 'Question',
  valueText: null,
  handled: null,
}

function rating(responseId: number, at: string, code: string, value: number, type = 'scale5', role = 'criterion') {
  return {
    ...base,
    responseId,
    submittedAt: at,
    itemCode: code,
    itemType: type,
    itemRole: role,
    valueNumber: value,
  } satisfies DigestAnswerRow
}

function suggestion(responseId: number, at: string, text: string): DigestAnswerRow {
  return {
    ...base,
    responseId,
    submittedAt: at,
    itemCode: 'GY',
    itemType: 'text',
    itemRole: 'suggestion',
    valueNumber: null,
    valueText: text,
  }
}

describe('isLowRating', () => {
  it('is "dissatisfied" on each scale: 1–2 of 5, 0 on the three-level and 2/1/0 scales', () => {
    expect([1, 2, 3, 4, 5].map((v) => isLowRating('scale5', 'criterion', v))).toEqual([true, true, false, false, false])
    expect([0, 1, 2].map((v) => isLowRating('scale3', 'overall', v))).toEqual([true, false, false])
    expect([0, 1, 2].map((v) => isLowRating('points210', 'criterion', v))).toEqual([true, false, false])
  })

  it('counts criteria and overall questions, not expectations, profiles or unanswered items', () => {
    expect(isLowRating('scale5', 'element_overall', 1)).toBe(true)
    expect(isLowRating('scale5', 'expectation', 1)).toBe(false)
    expect(isLowRating('single', 'profile', 1)).toBe(false)
    expect(isLowRating('scale5', 'criterion', null)).toBe(false)
  })
})

describe('buildDigest', () => {
  it('makes one item per response with its low criteria and suggestion; others are dropped', () => {
    const digest = buildDigest([
      rating(1, '2026-11-20T02:00:00.000Z', 'C2', 2),
      rating(1, '2026-11-20T02:00:00.000Z', 'C1', 1),
      rating(1, '2026-11-20T02:00:00.000Z', 'C3', 4),
      suggestion(1, '2026-11-20T02:00:00.000Z', 'Cần thêm ghế chờ'),
      rating(2, '2026-11-21T02:00:00.000Z', 'C1', 3),
      suggestion(3, '2026-11-22T02:00:00.000Z', '   '),
      suggestion(4, '2026-11-19T02:00:00.000Z', 'Cán bộ nhiệt tình'),
    ])
    expect(digest.items.map((i) => i.responseId)).toEqual([1, 4])
    expect(digest.items[0]!.lowRatings.map((r) => [r.code, r.value])).toEqual([
      ['C1', 1],
      ['C2', 2],
    ])
    expect(digest.items[0]!.suggestion).toBe('Cần thêm ghế chờ')
    expect(digest.items[1]!.lowRatings).toEqual([])
    expect(digest).toMatchObject({
      unhandled: 2,
      unhandledLowRatings: 1,
      unhandledSuggestions: 2,
      handled: 0,
      total: 2,
    })
  })

  it('lists unhandled items first, newest first, and filters by status without changing the counts', () => {
    const mark = { handled: true, note: 'Đã gọi lại', by: 'a@b.vn', at: '2026-11-25T00:00:00.000Z' }
    const rows = [
      rating(1, '2026-11-20T02:00:00.000Z', 'C1', 1),
      { ...rating(2, '2026-11-23T02:00:00.000Z', 'C1', 2), handled: mark },
      rating(3, '2026-11-21T02:00:00.000Z', 'C1', 1),
      { ...rating(4, '2026-11-22T02:00:00.000Z', 'C1', 1), handled: { ...mark, handled: false, note: null } },
    ]
    const all = buildDigest(rows)
    expect(all.items.map((i) => i.responseId)).toEqual([4, 3, 1, 2])
    expect(all.items[3]).toMatchObject({ handled: true, mark: { note: 'Đã gọi lại', by: 'a@b.vn' } })
    // A reopened item is unhandled again and keeps who reopened it.
    expect(all.items[0]).toMatchObject({ handled: false, mark: { note: null } })
    expect(all).toMatchObject({ unhandled: 3, handled: 1 })
    const handled = buildDigest(rows, { status: 'handled' })
    expect(handled.items.map((i) => i.responseId)).toEqual([2])
    expect(handled).toMatchObject({ unhandled: 3, handled: 1, total: 1 })
    const firstTwo = buildDigest(rows, { status: 'unhandled', limit: 2 })
    expect(firstTwo.items.map((i) => i.responseId)).toEqual([4, 3])
    expect(firstTwo.total).toBe(3)
  })

  it('masks phone, identity, e-mail and names in the suggestion', () => {
    const digest = buildDigest([
      suggestion(
        1,
        '2026-11-20T02:00:00.000Z',
        'Chị Nguyễn Thị Lan nhiệt tình, gọi tôi 0912 345 678, CCCD 001203004567, a.b@gmail.com',
      ),
    ])
    expect(digest.items[0]!.suggestion).toBe('Chị [tên] nhiệt tình, gọi tôi [SĐT], CCCD [CCCD/CMND], [email]')
    expect(maskSuggestion('  anh Hùng  ')).toBe('anh [tên]')
  })
})

describe('the window and the note', () => {
  it('starts 30 days before now', () => {
    expect(windowStart(new Date('2026-11-30T04:00:00.000Z'))).toBe('2026-10-31T04:00:00.000Z')
  })

  it('requires a note to mark handled, not to reopen, and limits its length', () => {
    expect(checkNote('  ', true)).toEqual({ ok: false, error: 'noteRequired' })
    expect(checkNote(undefined, false)).toEqual({ ok: true, note: null })
    expect(checkNote(' Đã trả lời ', true)).toEqual({ ok: true, note: 'Đã trả lời' })
    expect(checkNote('ạ'.repeat(HANDLING_NOTE_MAX), true).ok).toBe(true)
    expect(checkNote('a'.repeat(HANDLING_NOTE_MAX + 1), true)).toEqual({ ok: false, error: 'noteTooLong' })
  })
})
