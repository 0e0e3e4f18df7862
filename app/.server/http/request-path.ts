/**
 * What a request's path means to the server's own guards (framing, body budgets, the request log). They
 * must judge the path the router will serve, not the raw one: "/s/../admin/tokens" is the tokens page.
 * The router resolves dot segments the way URL parsing does (%2e included), so this does the same.
 */

/** The request target as the router resolves it: dot segments removed; null for a target that is no path. */
export function routedPath(target: string): string | null {
  // The security headers, the request gate and the log each ask for one request's path, one after the other:
  // the last answer is kept rather than parsing a URL three times per request.
  if (target === lastTarget) return lastPath
  lastPath = parsedPath(target)
  lastTarget = target
  return lastPath
}
let lastTarget: string | undefined
let lastPath: string | null = null

function parsedPath(target: string): string | null {
  if (!target.startsWith('/')) return null
  try {
    // The same construction as @remix-run/express: a placeholder origin followed by the raw target.
    return new URL(`http://placeholder.invalid${target}`).pathname
  } catch {
    return null
  }
}

/** Remix's data requests ("/login.data", "/_root.data") answer for the page of the same path. */
function pagePath(path: string): string {
  if (path === '/_root.data') return '/'
  return path.endsWith('.data') ? path.slice(0, -'.data'.length) : path
}

/** Path segments decoded as the router decodes them before matching; an undecodable one stays as sent. */
function segments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment)
      } catch {
        return segment
      }
    })
}

const CODE = /^[A-Za-z0-9_-]{1,100}$/

/**
 * The citizen-facing survey pages: a link or invitation form, its thank-you page, and its JSON submit.
 * Only these exact shapes count (codes are plain letters, digits, "-" and "_"), so anything unusual
 * is treated as an ordinary page and gets the stricter rules.
 */
export type SurveyPage = 'form' | 'thanks' | 'submit'

export function surveyPage(path: string): SurveyPage | null {
  const [kind, code, rest, ...more] = pagePath(path).split('/').slice(1)
  if ((kind !== 's' && kind !== 'r') || !code || !CODE.test(code) || more.length) return null
  if (rest === undefined) return 'form'
  if (rest === 'thanks' || rest === 'submit') return rest
  return null
}

/** The pages that take a password or a set-up link: the smallest bodies of all. */
export function isCredentialPage(path: string): boolean {
  const parts = segments(pagePath(path))
  const [first, second, ...more] = parts
  if (more.length) return false
  if (parts.length === 1) return first === 'login' || first === 'logout'
  if (first === 'setup') return second !== undefined
  return first === 'account' && second === 'password'
}

export const isApiPath = (path: string) => segments(path)[0] === 'api'

/**
 * The path as the request log shows it: invitation codes and set-up tokens are secrets of one person
 * (an invitation is linked to a dossier; a set-up link makes an administrator), so they become "…".
 * Public poster link codes stay: they are printed on walls, and the log is useless without them.
 */
export function loggedPath(path: string): string {
  const [first, second] = segments(path)
  if ((first === 'r' || first === 'setup') && second !== undefined) {
    const parts = path.split('/')
    parts[2] = '…'
    return parts.join('/')
  }
  return path
}
