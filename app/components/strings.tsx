/**
 * The translations of a page that ships its own strings (the citizen's survey and thanks pages): its
 * loader sends them, the page provides them here, and its components read them with `useStrings()`.
 * No i18n runtime reaches the browser for these pages (ADR 0055).
 */
import { createContext, type ReactNode, useContext, useMemo } from 'react'
import type { Language } from '#app/i18n/languages.ts'
import { makeTranslate, type Strings, type Translate } from '#app/i18n/translate.ts'

export interface PageStrings {
  t: Translate
  lng: Language
}

const Context = createContext<PageStrings | null>(null)

/** Provides a page's strings; `t` may also be another translator (an admin preview passes i18next's). */
export function StringsProvider({
  strings,
  t,
  lng,
  children,
}: { lng: Language; children: ReactNode } & ({ strings: Strings; t?: never } | { t: Translate; strings?: never })) {
  const value = useMemo(() => ({ t: t ?? makeTranslate(strings ?? {}, lng), lng }), [strings, t, lng])
  return <Context.Provider value={value}>{children}</Context.Provider>
}

export function useStrings(): PageStrings {
  const value = useContext(Context)
  if (!value) throw new Error('useStrings() outside a StringsProvider')
  return value
}

/** The `handle` of a route whose page ships its own strings. */
export const PAGE_STRINGS = { pageStrings: true } as const

/** Whether the matched routes render a page that ships its own strings. */
export function isPageStringsRoute(matches: ReadonlyArray<{ handle?: unknown }>): boolean {
  return matches.some((m) => (m.handle as { pageStrings?: boolean } | undefined)?.pageStrings === true)
}
