// HAILONG_DEMO_RESPONSES (app/.server/env.ts): how many synthetic responses come with a new demo province.
import { describe, expect, it } from 'vitest'
import { ConfigError, demoResponsesSetting, loadConfig } from '#app/.server/env.ts'

const base = { NODE_ENV: 'test' as const, DATABASE_URL: ':memory:', HAILONG_SECRET: 'x'.repeat(32) }

describe('HAILONG_DEMO_RESPONSES', () => {
  it('is 15,000 by default and 0 turns the history off', () => {
    expect(loadConfig(base).demoResponses).toBe(15_000)
    expect(loadConfig({ ...base, HAILONG_DEMO_RESPONSES: '0' }).demoResponses).toBe(0)
    expect(demoResponsesSetting({})).toBe(15_000)
    expect(demoResponsesSetting({ HAILONG_DEMO_RESPONSES: '250' })).toBe(250)
  })

  it.each(['-1', '1.5', 'many', '200001'])('refuses %s at boot and in the CLI', (value) => {
    expect(() => loadConfig({ ...base, HAILONG_DEMO_RESPONSES: value })).toThrow(ConfigError)
    expect(() => demoResponsesSetting({ HAILONG_DEMO_RESPONSES: value })).toThrow(/HAILONG_DEMO_RESPONSES/)
  })
})
