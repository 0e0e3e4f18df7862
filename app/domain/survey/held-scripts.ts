/**
 * The citizen's pages hold their scripts until the citizen first acts (ADR 0064). This is the markup both
 * sides agree on: the server renames Remix's module script and module preloads with a prefix no browser
 * knows (app/.server/held-scripts.ts); the page's loader removes it (app/components/held-scripts.tsx).
 *
 * Only the opening tags change: `rel="modulepreload"` and `type="module"`. Everything else, the inline data
 * scripts included, stays as it was. Safe on React's HTML: a `<` in text or in an attribute is escaped there
 * (`&lt;`, and `\u003c` inside Remix's script data), so these two patterns can only be real tags.
 */

/** What a held element's type or rel starts with until the loader releases it. */
export const HELD_PREFIX = 'x-held-'

const PRELOAD = /<link rel="modulepreload"/g
const MODULE = /(<script\b[^>]*?) type="module"/g

/** The same HTML with its module scripts and module preloads held. */
export function holdScripts(html: string): string {
  return html
    .replace(PRELOAD, `<link rel="${HELD_PREFIX}modulepreload"`)
    .replace(MODULE, `$1 type="${HELD_PREFIX}module"`)
}
