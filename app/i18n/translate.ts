/**
 * A page's own translations, without the i18n runtime: the citizen's pages receive their strings from
 * their loader and look them up with this (ADR 0055). It reads the same locale files the same way as
 * i18next does for what those pages use: nested keys, `{{value}}` interpolation with counts written with
 * the language's separators, and plural forms (`_one`, `_other`) chosen by the language's plural rules.
 * tests/unit/i18n/translate.test.ts compares it with i18next key by key.
 */
import type { Strings } from '../domain/strings.ts'
import { formatCount, type Language } from './languages.ts'

export type { Strings }

export type Translate = (key: string, values?: Record<string, unknown>) => string

function lookup(strings: Strings, key: string): string | undefined {
  let node: string | Strings | undefined = strings
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** One set of plural rules per language: the layout makes a translator on each render. */
const pluralRules = new Map<Language, Intl.PluralRules>()

function pluralOf(lng: Language, count: number): string {
  let rules = pluralRules.get(lng)
  if (!rules) {
    rules = new Intl.PluralRules(lng)
    pluralRules.set(lng, rules)
  }
  return rules.select(count)
}

export function makeTranslate(strings: Strings, lng: Language): Translate {
  return (key, values = {}) => {
    const count = values.count
    let text: string | undefined
    if (typeof count === 'number') {
      text =
        (count === 0 ? lookup(strings, `${key}_zero`) : undefined) ?? lookup(strings, `${key}_${pluralOf(lng, count)}`)
    }
    text ??= lookup(strings, key)
    if (text === undefined) return key
    return text.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (whole, name: string) =>
      name in values && values[name] !== undefined
        ? String(formatCount(values[name], undefined, lng, { interpolationkey: name }))
        : whole,
    )
  }
}

/** The part of a namespace under the given top-level keys: what one page needs of it. */
export function pick(strings: Strings, keys: readonly string[]): Strings {
  return Object.fromEntries(keys.filter((k) => k in strings).map((k) => [k, strings[k]!]))
}
