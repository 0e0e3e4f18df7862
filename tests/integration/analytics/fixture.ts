/**
 * One known data set for the analytics integration tests, with every expected number worked out by hand.
 *
 * 2026-Q1 (Jan–Mar 2026, Vietnam time), under DEMO-AL:
 *   DEMO-AL-SNV    20 × S (weight 1; one of them at 2025-12-31T17:30Z = 2026-01-01 00:30 in Vietnam),
 *                  10 × U (weight 2), 10 × H (weight 3).
 *                  W = 20 + 20 + 30 = 70; overall = (20·1 + 20·0 + 30·0.6)/70 = 38/70 = 0.542857 → 54,29 %
 *                  E1 (and each E1/E3/E5 criterion) = (20 + 30)/70 = 5/7; E2/E4 = 20/70 = 2/7
 *                  Σw² = 20 + 40 + 90 = 150 → n_eff = 70²/150 = 32.67; unweighted overall = (20 + 6)/40 = 0.65
 *   DEMO-AL-STP    30 × S → 100 %; plus 1 × U at 2026-03-31T17:30Z = 2026-04-01 in Vietnam (2026-Q2, not counted)
 *   DEMO-AL-SXD    10 × S → n = 10: insufficient, not ranked
 *   DEMO-AL-SNNMT  30 × S → 100 % (ties with STP)
 *   DEMO-AL-P-ANLAC 28 × S + 7 × U → 0.8
 *   DEMO-AL        W = 70 + 30 + 10 + 30 + 35 = 175; Σw·x = 38 + 30 + 10 + 30 + 28 = 136 → 0.777143 → 77,71 %
 *   Ranks among DEMO-AL's children: STP 1, SNNMT 1, P-ANLAC 3, SNV 4 — of 4.
 *
 * 2025-Q4 (the previous quarter):
 *   DEMO-AL-SNV    30 × S + 1 × U (at 2025-12-31T16:30Z = 23:30 in Vietnam) → 30/31 → 96,77 %  ⇒ change −42,48
 *   DEMO-AL-P-ANLAC 27 × S + 3 × U → 90 %  ⇒ change −10,00
 *   DEMO-AL        (30 + 27)/61 → 93,44 %  ⇒ change 77,71 − 93,44 = −15,73
 *
 * 2024 (before the 2025-07-01 merger):
 *   DEMO-BS-H-BINHMINH 24 × S + 6 × U → 0.8 (current boundaries: counts for DEMO-AL-X-BINHMINH and DEMO-AL)
 *   DEMO-AL-H-ANLAC    30 × S → 1 (current: DEMO-AL-P-ANLAC)
 *   DEMO-BS-SNV        5 × S (current: DEMO-AL-SNV, n = 5)
 */
import type { TestDatabase } from '#tests/helpers/db.ts'
import { type Batch, seed } from './support.ts'

export const BATCHES: Batch[] = [
  { agency: 'DEMO-AL-SNV', at: '2025-12-31T17:30:00Z', profile: 'S', count: 1 },
  { agency: 'DEMO-AL-SNV', at: '2026-02-10T03:00:00Z', profile: 'S', count: 19 },
  { agency: 'DEMO-AL-SNV', at: '2026-03-05T03:00:00Z', profile: 'U', count: 10, weight: 2 },
  { agency: 'DEMO-AL-SNV', at: '2026-01-20T03:00:00Z', profile: 'H', count: 10, weight: 3 },
  { agency: 'DEMO-AL-STP', at: '2026-01-15T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-AL-STP', at: '2026-03-31T17:30:00Z', profile: 'U', count: 1 },
  { agency: 'DEMO-AL-SXD', at: '2026-02-15T03:00:00Z', profile: 'S', count: 10 },
  { agency: 'DEMO-AL-SNNMT', at: '2026-03-15T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2026-02-20T03:00:00Z', profile: 'S', count: 28 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2026-02-21T03:00:00Z', profile: 'U', count: 7 },
  { agency: 'DEMO-AL-SNV', at: '2025-11-10T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-AL-SNV', at: '2025-12-31T16:30:00Z', profile: 'U', count: 1 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2025-10-10T03:00:00Z', profile: 'S', count: 27 },
  { agency: 'DEMO-AL-P-ANLAC', at: '2025-10-11T03:00:00Z', profile: 'U', count: 3 },
  { agency: 'DEMO-BS-H-BINHMINH', at: '2024-05-10T03:00:00Z', profile: 'S', count: 24 },
  { agency: 'DEMO-BS-H-BINHMINH', at: '2024-05-11T03:00:00Z', profile: 'U', count: 6 },
  { agency: 'DEMO-AL-H-ANLAC', at: '2024-06-10T03:00:00Z', profile: 'S', count: 30 },
  { agency: 'DEMO-BS-SNV', at: '2024-03-10T03:00:00Z', profile: 'S', count: 5 },
]

export const SNV = {
  W: 70,
  overall: 38 / 70,
  satisfiedElement: 50 / 70,
  unsatisfiedElement: 20 / 70,
  nEff: (70 * 70) / 150,
  // A domain of the full design (all 145 respondents of 2026-Q1, one stratum): v = n/(n−1) · Σw²(x − θ)² / W²
  // with n = 145, not SNV's own 40 (docs/statistics.md, "Domains").
  variance:
    ((145 / 144) * (20 * 1 * (1 - 38 / 70) ** 2 + 10 * 4 * (38 / 70) ** 2 + 10 * 9 * (0.6 - 38 / 70) ** 2)) / (70 * 70),
}

export async function seedFixture(t: TestDatabase) {
  return seed(t, BATCHES)
}
