/**
 * Where the digest webhook may point (ADR 0052). The server makes the request, so a URL typed by an
 * administrator is a way to make the server call addresses only it can reach (server-side request forgery):
 * the database, a cloud metadata service at 169.254.169.254, an admin port on loopback. Only http(s) URLs
 * without credentials are accepted, and addresses in private, loopback, link-local, shared (carrier NAT),
 * multicast and reserved ranges are refused unless the operator allows them (WEBHOOK_ALLOW_PRIVATE=on: a
 * receiver inside the province's own network; the tests' local receiver). The address is checked again
 * when the request connects, after DNS resolution, so a name that resolves to a private address is
 * refused too.
 */

export type WebhookUrlError = 'badUrl' | 'badScheme' | 'credentials' | 'privateAddress'

/** A URL an administrator typed, checked before anything is stored. Host names are checked at delivery. */
export function checkWebhookUrl(
  raw: string,
  allowPrivate: boolean,
): { ok: true; url: string } | { ok: false; error: WebhookUrlError } {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return { ok: false, error: 'badUrl' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'badScheme' }
  if (url.username || url.password) return { ok: false, error: 'credentials' }
  // "localhost." is localhost too: the trailing dot of a fully qualified name is dropped before comparing.
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)))
    return { ok: false, error: 'privateAddress' }
  return { ok: true, url: url.toString() }
}

function ipv4(text: string): number[] | null {
  const parts = text.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null
  return parts.map(Number)
}

function privateV4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  )
}

/** Expands an IPv6 text form to its eight 16-bit groups; null when it is not one. */
function ipv6Groups(text: string): number[] | null {
  if (!text.includes(':')) return null
  let body = text.split('%')[0]!.toLowerCase()
  // A trailing dotted IPv4 ("::ffff:10.0.0.1") becomes two groups.
  const tail = body.match(/(\d+\.\d+\.\d+\.\d+)$/)
  if (tail) {
    const v4 = ipv4(tail[1]!)
    if (!v4) return null
    body = `${body.slice(0, -tail[1]!.length)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`
  }
  const halves = body.split('::')
  if (halves.length > 2) return null
  const parse = (s: string) => (s ? s.split(':') : [])
  const head = parse(halves[0]!)
  const rest = halves.length === 2 ? parse(halves[1]!) : []
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return null
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest]
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null
  return groups.map((g) => Number.parseInt(g, 16))
}

/**
 * Whether a literal IP address (v4 or v6) lies where a webhook must not go by default. Anything that is
 * not a literal address (a host name) is false: names are checked once resolved.
 */
export function isPrivateAddress(host: string): boolean {
  const v4 = ipv4(host)
  if (v4) return privateV4(v4)
  const g = ipv6Groups(host)
  if (!g) return false
  if (g.every((x) => x === 0)) return true // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true // ::1
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix carry an IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
    return privateV4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff])
  if (g[0] === 0x64 && g[1] === 0xff9b) return privateV4([g[6]! >> 8, g[6]! & 0xff])
  const first = g[0]!
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 old site-local
    (first & 0xff00) === 0xff00 // multicast
  )
}
