/** Every translation exists in both languages, with the same keys and placeholders, and none is empty. */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '#scripts/support/root.ts'

const LOCALES = path.join(ROOT, 'locales')
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/

function jsonFiles(lang: string): string[] {
  return fs
    .readdirSync(path.join(LOCALES, lang))
    .filter((f) => f.endsWith('.json'))
    .sort()
}

function load(lang: string, file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(LOCALES, lang, file), 'utf8'))
}

/** Flattens nested keys to "a.b.c" → value, with plural suffixes removed (Vietnamese has only _other). */
function flatten(value: unknown, prefix = '', out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else {
    const key = prefix.replace(PLURAL_SUFFIX, '')
    out.set(key, [...(out.get(key) ?? []), value])
  }
  return out
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort()

const viFiles = jsonFiles('vi')
const enFiles = jsonFiles('en')

describe('locale parity', () => {
  it('has the same namespace files in vi and en', () => {
    expect(viFiles.length).toBeGreaterThan(0)
    expect(enFiles).toEqual(viFiles)
  })

  describe.each(viFiles)('%s', (file) => {
    const vi = flatten(load('vi', file))
    const en = fs.existsSync(path.join(LOCALES, 'en', file)) ? flatten(load('en', file)) : new Map<string, unknown[]>()

    it('every vi key exists in en', () => {
      expect([...vi.keys()].filter((k) => !en.has(k))).toEqual([])
    })

    it('every en key exists in vi', () => {
      expect([...en.keys()].filter((k) => !vi.has(k))).toEqual([])
    })

    it('has no empty or non-string values', () => {
      for (const [lang, map] of [
        ['vi', vi],
        ['en', en],
      ] as const) {
        const bad = [...map]
          .filter(([, values]) => values.some((v) => typeof v !== 'string' || v.trim() === ''))
          .map(([k]) => `${lang}:${k}`)
        expect(bad).toEqual([])
      }
    })

    it('uses the same {{placeholders}} in both languages', () => {
      const mismatched = [...vi.keys()]
        .filter((k) => en.has(k))
        .filter((k) => {
          const viSet = [...new Set(vi.get(k)!.flatMap((v) => placeholders(String(v))))].sort()
          const enSet = [...new Set(en.get(k)!.flatMap((v) => placeholders(String(v))))].sort()
          return JSON.stringify(viSet) !== JSON.stringify(enSet)
        })
      expect(mismatched).toEqual([])
    })
  })

  it('loads every locale file in app/i18n/config.ts resources', async () => {
    const { resources, NAMESPACES } = await import('#app/i18n/config.ts')
    expect([...NAMESPACES].map((ns) => `${ns}.json`).sort()).toEqual(viFiles)
    for (const lang of ['vi', 'en'] as const) {
      for (const ns of NAMESPACES) expect(resources[lang][ns]).toEqual(load(lang, `${ns}.json`))
    }
  })
})
