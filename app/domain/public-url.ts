/**
 * Whether a public address only works on the machine or network it was typed on: a poster printed with
 * http://localhost:3000 or http://192.168.1.20 sends every citizen's phone nowhere. The poster page warns
 * the administrator (issue 18) when PUBLIC_URL is one of these.
 */

/** Loopback, unspecified, private (RFC 1918), carrier-grade NAT and link-local IPv4 ranges. */
function isLocalIpv4(host: string): boolean {
  const parts = host.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false
  const [a, b] = parts as [number, number, number, number]
  return (
    a === 127 ||
    a === 10 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  )
}

/** Loopback, unspecified, unique-local (fc00::/7) and link-local (fe80::/10) IPv6, and IPv4-mapped forms. */
function isLocalIpv6(host: string): boolean {
  const h = host.toLowerCase()
  if (h === '::1' || h === '::') return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)
  if (mapped) return isLocalIpv4(mapped[1]!)
  // The URL parser writes an IPv4-mapped address in hex: [::ffff:127.0.0.1] becomes ::ffff:7f00:1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h)
  if (hex) {
    const high = Number.parseInt(hex[1]!, 16)
    const low = Number.parseInt(hex[2]!, 16)
    return isLocalIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`)
  }
  return /^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h)
}

export function isLocalAddress(publicUrl: string): boolean {
  let host: string
  try {
    host = new URL(publicUrl).hostname
  } catch {
    return true
  }
  host = host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    (!host.includes('.') && !host.includes(':'))
  )
    return true
  return isLocalIpv4(host) || (host.includes(':') && isLocalIpv6(host))
}
