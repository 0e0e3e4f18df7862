/**
 * Codes in words (issue 18): every audit action and entity the server writes has words in both languages,
 * and a designer validation path reads as a sentence.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, AUDIT_ENTITIES, auditActionKey, fieldPathWords, levelKey } from '#app/domain/code-words.ts'
import { resources } from '#app/i18n/config.ts'

const ROOT = path.resolve(import.meta.dirname, '../../..')

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sources(full)
    return /\.tsx?$/.test(e.name) ? [fs.readFileSync(full, 'utf8')] : []
  })
}

/** Looks a dotted key up in a namespace's nested JSON. */
function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree)
}

describe('audit actions and entities', () => {
  const code = sources(path.join(ROOT, 'app/.server')).join('\n')

  it('every action literal the server writes is in the list', () => {
    const literal = [...code.matchAll(/action: (?:[a-z]+ \? )?'([a-z_.]+)'(?: : '([a-z_.]+)')?/g)].flatMap((m) =>
      [m[1], m[2]].filter(Boolean),
    )
    expect(literal.length).toBeGreaterThan(30)
    expect(literal.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a!))).toEqual([])
    // The templated ones: auth.<purpose>_failed/_throttled and export.<kind>.
    for (const a of [
      'auth.sign_in_failed',
      'auth.current_password_throttled',
      'export.api.scores',
      'dossier_count.push',
    ])
      expect(AUDIT_ACTIONS).toContain(a)
  })

  it('every entity literal the server writes is in the list', () => {
    const literal = [...code.matchAll(/entity: '([a-z_]+)'/g)].map((m) => m[1]!)
    expect(literal.filter((e) => !(AUDIT_ENTITIES as readonly string[]).includes(e))).toEqual([])
  })

  it.each(['vi', 'en'] as const)('every action and entity has words in %s', (lng) => {
    const admin = resources[lng].admin
    const missing = [
      ...[...AUDIT_ACTIONS, 'unknown.thing'].map(auditActionKey),
      ...[...AUDIT_ENTITIES, 'other'].map((e) => `audit.entities.${e}`),
    ].filter((key) => typeof lookup(admin, key) !== 'string')
    expect(missing).toEqual([])
  })

  it('an unknown action is "other", not its code', () => {
    expect(auditActionKey('new.thing')).toBe('audit.actions.other')
    expect(auditActionKey('user.microdata.grant')).toBe('audit.actions.user_microdata_grant')
  })
})

describe('levels', () => {
  it.each(['vi', 'en'] as const)('every level has words in %s', (lng) => {
    for (const level of ['province', 'department', 'district', 'commune', 'national'])
      expect(typeof lookup(resources[lng].common, levelKey(level))).toBe('string')
  })

  it('uses the reviewed Vietnamese terms', () => {
    const vi = resources.vi.common.level
    expect(vi).toMatchObject({
      province: 'Tỉnh, thành phố',
      department: 'Sở, ban, ngành',
      district: 'Cấp huyện (trước 01/07/2025)',
      commune: 'Xã, phường, đặc khu',
    })
  })
})

describe('fieldPathWords', () => {
  const t = (key: string, values?: Record<string, unknown>) => {
    const text = lookup(resources.vi.admin, key)
    if (typeof text !== 'string') throw new Error(`missing ${key}`)
    return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values?.[k]))
  }

  it.each([
    ['elements.2.items.7.labelVi', 'Yếu tố 3, tiêu chí 8, nội dung tiếng Việt'],
    ['elements.0.weight', 'Yếu tố 1, trọng số'],
    ['extraItems.1.options', 'Câu hỏi chung 2, phương án trả lời'],
    ['items.E1.1', 'Câu E1.1'],
    ['elements', 'Các yếu tố'],
    ['E2.3', 'Câu E2.3'],
  ])('%s → %s', (path, words) => {
    expect(fieldPathWords(path, t)).toBe(words)
  })
})
