// SURVEY_FRAME_ORIGINS (app/.server/env.ts): the sites that may frame the survey; none unless listed.
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '#app/.server/env.ts'

const base = { NODE_ENV: 'test' as const, DATABASE_URL: ':memory:', HAILONG_SECRET: 'x'.repeat(32) }

describe('SURVEY_FRAME_ORIGINS', () => {
  it('is empty by default', () => {
    expect(loadConfig(base).surveyFrameOrigins).toEqual([])
  })

  it('reads origins separated by spaces or commas, without a trailing slash', () => {
    const config = loadConfig({
      ...base,
      SURVEY_FRAME_ORIGINS: 'https://dvc.anlac.gov.vn/ http://localhost:8080,https://b.vn',
    })
    expect(config.surveyFrameOrigins).toEqual(['https://dvc.anlac.gov.vn', 'http://localhost:8080', 'https://b.vn'])
  })

  it.each(['*', 'https://*.gov.vn', 'https://a.gov.vn/khao-sat', "'self'", 'javascript:alert(1)', 'a.gov.vn'])(
    'refuses %s at boot with a message naming it',
    (value) => {
      expect(() => loadConfig({ ...base, SURVEY_FRAME_ORIGINS: value })).toThrow(ConfigError)
      expect(() => loadConfig({ ...base, SURVEY_FRAME_ORIGINS: value })).toThrow(/SURVEY_FRAME_ORIGINS/)
    },
  )
})
