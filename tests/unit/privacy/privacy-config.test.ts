// RETENTION_MONTHS and PRIVACY_CONTACT (app/.server/env.ts): the retention period and the contact the
// privacy notice shows and `hailong purge` applies.
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '#app/.server/env.ts'

const base = { NODE_ENV: 'test' as const, DATABASE_URL: ':memory:', HAILONG_SECRET: 'x'.repeat(32) }

describe('privacy settings', () => {
  it('keep personal answers 24 months by default, with no contact named', () => {
    expect(loadConfig(base).privacy).toEqual({ retentionMonths: 24, contact: '' })
  })

  it('read the period and the contact from the environment', () => {
    const config = loadConfig({ ...base, RETENTION_MONTHS: '36', PRIVACY_CONTACT: ' Văn phòng UBND, 0203 3825 000 ' })
    expect(config.privacy).toEqual({ retentionMonths: 36, contact: 'Văn phòng UBND, 0203 3825 000' })
  })

  it.each(['0', '-1', '1.5', 'two'])('refuse RETENTION_MONTHS=%s at boot', (value) => {
    expect(() => loadConfig({ ...base, RETENTION_MONTHS: value })).toThrow(ConfigError)
  })
})
