/**
 * Successions as pure rules (app/domain/successions.ts) and the history they give a scope
 * (canSeeDuring in app/.server/auth/scope.ts, ADR 0046).
 */
import { describe, expect, it } from 'vitest'
import { canSee, canSeeDuring, type Scope } from '#app/.server/auth/scope.ts'
import { quartersAround } from '#app/domain/before-after.ts'
import { formatPeriod } from '#app/domain/period.ts'
import {
  closesCycle,
  dayBefore,
  finalSuccessors,
  historyGrants,
  isCalendarDate,
  type SuccessionEdge,
} from '#app/domain/successions.ts'

// Province 1 (today) with commune 3; province 10 merged into 1 on 2025-07-01, its district 11 into commune
// 3; an unrelated province 20; district 12 was itself renamed 11 earlier (2020-01-01).
const PATHS = new Map([
  [1, '/1/'],
  [3, '/1/3/'],
  [10, '/10/'],
  [11, '/10/11/'],
  [12, '/10/12/'],
  [20, '/20/'],
])
const EDGES: SuccessionEdge[] = [
  { predecessorId: 10, successorId: 1, effectiveDate: '2025-07-01' },
  { predecessorId: 11, successorId: 3, effectiveDate: '2025-07-01' },
  { predecessorId: 12, successorId: 11, effectiveDate: '2020-01-01' },
]

describe('closesCycle', () => {
  it('refuses a unit succeeding itself', () => {
    expect(closesCycle(EDGES, 3, 3)).toBe(true)
  })
  it('refuses an edge back along a chain (12 → 11 → 3, then 3 → 12)', () => {
    expect(closesCycle(EDGES, 3, 12)).toBe(true)
    expect(closesCycle(EDGES, 1, 10)).toBe(true)
  })
  it('accepts an edge that loops nothing', () => {
    expect(closesCycle(EDGES, 20, 1)).toBe(false)
    expect(closesCycle(EDGES, 12, 3)).toBe(false)
  })
})

describe('historyGrants', () => {
  it('gives a successor’s subtree its predecessors, each before its date, chains at the earliest date', () => {
    expect(historyGrants('/1/', EDGES, PATHS)).toEqual([
      { path: '/10/', before: '2025-07-01' },
      { path: '/10/11/', before: '2025-07-01' },
      { path: '/10/12/', before: '2020-01-01' },
    ])
  })
  it('gives a commune only its own predecessors, not the rest of the merged province', () => {
    expect(historyGrants('/1/3/', EDGES, PATHS)).toEqual([
      { path: '/10/11/', before: '2025-07-01' },
      { path: '/10/12/', before: '2020-01-01' },
    ])
  })
  it('gives an unrelated unit nothing', () => {
    expect(historyGrants('/20/', EDGES, PATHS)).toEqual([])
  })
})

describe('canSeeDuring', () => {
  const merged: Scope = { scopePath: '/1/', history: historyGrants('/1/', EDGES, PATHS) }
  it('reads a predecessor for periods that start before the merger, not after', () => {
    expect(canSeeDuring(merged, { path: '/10/' }, '2024-01')).toBe(true)
    expect(canSeeDuring(merged, { path: '/10/11/' }, '2025-06')).toBe(true)
    expect(canSeeDuring(merged, { path: '/10/' }, '2025-07')).toBe(false)
    expect(canSeeDuring(merged, { path: '/10/' }, '2025-07-01')).toBe(false)
  })
  it('along a chain, the earliest date: a commune reads the district renamed into its predecessor before 2020', () => {
    const commune: Scope = { scopePath: '/1/3/', history: historyGrants('/1/3/', EDGES, PATHS) }
    expect(canSeeDuring(commune, { path: '/10/12/' }, '2019-12')).toBe(true)
    expect(canSeeDuring(commune, { path: '/10/12/' }, '2024-01')).toBe(false)
    expect(canSeeDuring(commune, { path: '/10/11/' }, '2024-01')).toBe(true)
    expect(canSeeDuring(commune, { path: '/10/' }, '2024-01')).toBe(false)
  })
  it('still refuses unrelated agencies, and the tree rule alone (canSee) ignores history', () => {
    expect(canSeeDuring(merged, { path: '/20/' }, '2024-01')).toBe(false)
    expect(canSee(merged, { path: '/10/' })).toBe(false)
    expect(canSeeDuring(merged, { path: '/1/3/' }, '2030-01')).toBe(true)
  })
  it('without history it is the tree rule', () => {
    expect(canSeeDuring({ scopePath: '/1/' }, { path: '/10/' }, '2024-01')).toBe(false)
    expect(canSeeDuring({ scopePath: null }, { path: '/10/' }, '2030-01')).toBe(true)
  })
})

describe('dates', () => {
  it('the day before a merger is the predecessor’s last day', () => {
    expect(dayBefore('2025-07-01')).toBe('2025-06-30')
    expect(dayBefore('2024-03-01')).toBe('2024-02-29')
  })
  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2025-07-01')).toBe(true)
    expect(isCalendarDate('2025-02-30')).toBe(false)
    expect(isCalendarDate('01/07/2025')).toBe(false)
    expect(isCalendarDate('')).toBe(false)
  })
})

describe('finalSuccessors', () => {
  const agencies = [
    { id: 1, path: '/1/', validTo: null },
    { id: 3, path: '/1/3/', validTo: null },
    { id: 10, path: '/10/', validTo: '2025-06-30' },
    { id: 11, path: '/10/11/', validTo: '2025-06-30' },
    { id: 12, path: '/10/12/', validTo: '2019-12-31' },
    { id: 13, path: '/10/13/', validTo: '2025-06-30' },
    { id: 14, path: '/10/14/', validTo: null },
  ]
  it('follows chains to their end, and an ended unit without its own takeover follows its ancestor', () => {
    const final = finalSuccessors(
      EDGES.map((e) => ({ predecessorId: e.predecessorId, successorId: e.successorId })),
      agencies,
    )
    expect(Object.fromEntries(final)).toEqual({ 10: 1, 11: 3, 12: 3, 13: 1 })
    // A unit still in force is its own (14): nothing moves it silently.
    expect(final.has(14)).toBe(false)
  })
})

describe('quartersAround', () => {
  it('1 July 2025: Q1 and Q2 before, Q3 and Q4 after (those begun by today)', () => {
    const q = quartersAround('2025-07-01', '2026-11')
    expect(q.before.map(formatPeriod)).toEqual(['2025-Q1', '2025-Q2'])
    expect(q.after.map(formatPeriod)).toEqual(['2025-Q3', '2025-Q4'])
    expect(quartersAround('2025-07-01', '2025-08').after.map(formatPeriod)).toEqual(['2025-Q3'])
  })
  it('a date inside a quarter leaves that quarter out on both sides', () => {
    const q = quartersAround('2025-08-15', '2026-11')
    expect(q.before.map(formatPeriod)).toEqual(['2025-Q1', '2025-Q2'])
    expect(q.after.map(formatPeriod)).toEqual(['2025-Q4', '2026-Q1'])
  })
  it('crosses years', () => {
    expect(quartersAround('2025-01-01', '2026-11').before.map(formatPeriod)).toEqual(['2024-Q3', '2024-Q4'])
  })
})
