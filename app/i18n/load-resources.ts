/**
 * The browser's translations: only the page's language, one chunk per namespace file, fetched in
 * parallel while the server-rendered page is already usable. The other language never downloads.
 */
import { type Language, NAMESPACES } from './languages.ts'

const files = import.meta.glob<{ default: Record<string, unknown> }>('../../locales/*/*.json')

export async function loadResources(lng: Language) {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => {
      const load = files[`../../locales/${lng}/${ns}.json`]
      return [ns, load ? (await load()).default : {}] as const
    }),
  )
  return { [lng]: Object.fromEntries(entries) }
}
