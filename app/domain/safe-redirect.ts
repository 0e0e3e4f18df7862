/**
 * Where to send a browser after signing in: only a path on this site. Browsers forgive a lot in URLs (they
 * drop tabs and newlines, read "\" as "/"), so "/<TAB>/evil.example" reaches another site although it starts
 * with a single slash. The target is therefore refused when it holds any control character or backslash,
 * then resolved as a URL against a placeholder origin, and kept only if it stays on that origin.
 */
const PLACEHOLDER_ORIGIN = 'http://this-site.invalid'

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/

export function safeRedirectPath(target: unknown, fallback: string): string {
  if (typeof target !== 'string' || !target.startsWith('/') || FORBIDDEN.test(target)) return fallback
  let decoded: string
  try {
    decoded = decodeURIComponent(target)
  } catch {
    return fallback
  }
  // Encoded forms of the same tricks ("/%09/evil.example", "/%5Cevil.example") are refused too.
  if (FORBIDDEN.test(decoded) || decoded.startsWith('//')) return fallback
  const url = new URL(target, PLACEHOLDER_ORIGIN)
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback
  return url.pathname + url.search + url.hash
}
