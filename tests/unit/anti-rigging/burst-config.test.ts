import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '#app/.server/env.ts'
import { DEFAULT_BURST_SETTINGS } from '#app/domain/anti-rigging/bursts.ts'

const base = { NODE_ENV: 'test' as const, DATABASE_URL: ':memory:', HAILONG_SECRET: 'x'.repeat(32) }

describe('BURST_* and SHIFT_P_VALUE', () => {
  it('default to a 60-minute window, 28 days of history, 15 responses and p < 1e-6', () => {
    expect(loadConfig(base).linkFlags).toEqual(DEFAULT_BURST_SETTINGS)
    expect(DEFAULT_BURST_SETTINGS).toEqual({
      windowMinutes: 60,
      historyDays: 28,
      minResponses: 15,
      burstPValue: 1e-6,
      shiftPValue: 1e-6,
    })
  })

  it('are read from the environment', () => {
    const config = loadConfig({
      ...base,
      BURST_WINDOW_MINUTES: '30',
      BURST_HISTORY_DAYS: '14',
      BURST_MIN_RESPONSES: '25',
      BURST_P_VALUE: '1e-4',
      SHIFT_P_VALUE: '0.001',
    })
    expect(config.linkFlags).toEqual({
      windowMinutes: 30,
      historyDays: 14,
      minResponses: 25,
      burstPValue: 1e-4,
      shiftPValue: 0.001,
    })
  })

  it('stop the start with a line naming the variable when wrong', () => {
    const wrong: Array<[string, string]> = [
      ['BURST_WINDOW_MINUTES', '0'],
      ['BURST_WINDOW_MINUTES', 'an hour'],
      ['BURST_WINDOW_MINUTES', '2.5'],
      ['BURST_HISTORY_DAYS', '-3'],
      ['BURST_MIN_RESPONSES', '0'],
      ['BURST_P_VALUE', '0'],
      ['BURST_P_VALUE', '1'],
      ['BURST_P_VALUE', 'tiny'],
      ['SHIFT_P_VALUE', '1.5'],
    ]
    for (const [name, value] of wrong) {
      expect(() => loadConfig({ ...base, [name]: value }), `${name}=${value}`).toThrow(ConfigError)
      expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`^${name}: `))
    }
  })
})
