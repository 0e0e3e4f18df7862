/** The designer's preview keys: stable while codes are typed, unique even when two codes are the same. */
import { describe, expect, it } from 'vitest'
import { keyedByCode } from '#app/components/admin/designer-form.ts'

describe('keyedByCode', () => {
  it('keys each entry by its code', () => {
    expect(keyedByCode([{ code: 'Q1' }, { code: 'Q2' }]).map((k) => k.key)).toEqual(['Q1', 'Q2'])
  })

  it('numbers later occurrences of a repeated code, so keys stay unique', () => {
    expect(keyedByCode([{ code: 'Q1' }, { code: 'Q1' }, { code: '' }, { code: 'Q1' }]).map((k) => k.key)).toEqual([
      'Q1',
      'Q1#2',
      '',
      'Q1#3',
    ])
  })

  it('keeps a key with its entry when entries are reordered', () => {
    const a = { code: 'A' }
    const b = { code: 'B' }
    expect(keyedByCode([b, a])).toEqual([
      { key: 'B', value: b },
      { key: 'A', value: a },
    ])
  })
})
