/** The demo province's synthetic history (db/seeds/demo-responses.ts): deterministic and shaped like real data. */
import { describe, expect, it } from 'vitest'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { DEMO_AGENCIES, REORGANISATION_DATE } from '#db/seeds/demo-province.ts'
import { generateDemoHistory } from '#db/seeds/demo-responses.ts'

const NOW = new Date('2026-11-30T05:00:00Z')
const history = generateDemoHistory(DEMO_AGENCIES, SIPAS_2017, { count: 4000, seed: 5, now: NOW })
const vietnamDate = (d: Date) => new Date(d.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10)
const criteria = SIPAS_2017.elements.flatMap((e) => e.items.filter((i) => i.role === 'criterion').map((i) => i.code))
const satisfied = (rows: typeof history, codes = criteria) => {
  let yes = 0
  let all = 0
  for (const r of rows)
    for (const code of codes)
      if (typeof r.answers[code] === 'number') {
        all += 1
        if ((r.answers[code] as number) >= 4) yes += 1
      }
  return (100 * yes) / all
}

describe('generateDemoHistory', () => {
  it('returns exactly the count asked, in time order, from January 2024 to now', () => {
    expect(history).toHaveLength(4000)
    for (let i = 1; i < history.length; i++)
      expect(history[i]!.submittedAt.getTime()).toBeGreaterThanOrEqual(history[i - 1]!.submittedAt.getTime())
    expect(vietnamDate(history[0]!.submittedAt) >= '2024-01-01').toBe(true)
    expect(history.at(-1)!.submittedAt.getTime()).toBeLessThanOrEqual(NOW.getTime())
  })

  it('is the same for the same seed and different for another', () => {
    const again = generateDemoHistory(DEMO_AGENCIES, SIPAS_2017, { count: 4000, seed: 5, now: NOW })
    expect(again).toEqual(history)
    const other = generateDemoHistory(DEMO_AGENCIES, SIPAS_2017, { count: 4000, seed: 6, now: NOW })
    expect(other).not.toEqual(history)
  })

  it('attaches each response to a unit open that day, never to a province itself', () => {
    const byCode = new Map(DEMO_AGENCIES.map((a) => [a.code, a]))
    for (const r of history) {
      const agency = byCode.get(r.agencyCode)!
      const date = vietnamDate(r.submittedAt)
      expect(agency.level).not.toBe('province')
      expect(agency.validFrom <= date && (agency.validTo === null || date <= agency.validTo)).toBe(true)
    }
    const before = history.filter((r) => vietnamDate(r.submittedAt) < REORGANISATION_DATE)
    const after = history.filter((r) => vietnamDate(r.submittedAt) >= REORGANISATION_DATE)
    expect(before.length).toBeGreaterThan(1000)
    expect(after.length).toBeGreaterThan(1000)
    expect(new Set(before.map((r) => r.agencyCode))).toContain('DEMO-BS-H-BINHMINH')
    expect(new Set(after.map((r) => r.agencyCode))).toContain('DEMO-AL-X-BINHMINH')
  })

  it('answers every required criterion on the five levels', () => {
    const off = history.flatMap((r) => criteria.filter((code) => ![1, 2, 3, 4, 5].includes(r.answers[code] as number)))
    expect(off).toEqual([])
  })

  it('makes element 2 (time and fees) the weakest, and rises over time', () => {
    const elementShare = (code: string) =>
      satisfied(
        history,
        criteria.filter((c) => c.startsWith(`${code}.`)),
      )
    const e2 = elementShare('E2')
    for (const other of ['E1', 'E3', 'E4', 'E5']) expect(e2).toBeLessThan(elementShare(other) - 3)
    const first = history.filter((r) => r.submittedAt < new Date('2024-07-01'))
    const last = history.filter((r) => r.submittedAt >= new Date('2026-05-01'))
    expect(satisfied(last)).toBeGreaterThan(satisfied(first) + 2)
  })

  it('writes Vietnamese suggestions for some respondents, with no digits that could look like personal data', () => {
    const texts = history.flatMap((r) =>
      typeof r.answers['S.suggestion'] === 'string' ? [r.answers['S.suggestion']] : [],
    )
    expect(texts.length).toBeGreaterThan(history.length * 0.08)
    expect(texts.length).toBeLessThan(history.length * 0.4)
    expect(new Set(texts).size).toBeGreaterThan(50)
    for (const text of texts) expect(text).not.toMatch(/\d/)
    expect(texts.some((t) => /trực tuyến/.test(t))).toBe(true)
    expect(texts.some((t) => /để xe/.test(t))).toBe(true)
  })
})
