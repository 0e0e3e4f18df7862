/**
 * The client network a request comes from: IPv4 /32 and IPv6 /64 by default, since one IPv6 customer
 * holds a whole /64 and can rotate addresses inside it at will. Only a keyed hash of the network leaves
 * this module: an address is personal data and is never stored.
 */
import { isIPv4, isIPv6 } from 'node:net'
import { keyedHash } from '../codes.ts'

export interface NetworkPrefixes {
  prefixV4: number
  prefixV6: number
}

/** The 8 groups of an IPv6 address as numbers, "::" expanded; null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0]!
  // An IPv4 tail ("64:ff9b::1.2.3.4") is written as its two groups first.
  const v4 = text.match(/^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/)
  if (v4) {
    const [a, b, c, d] = v4.slice(2).map(Number) as [number, number, number, number]
    text = `${v4[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return null
  const parse = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : [])
  const left = parse(halves[0]!)
  const right = halves.length === 2 ? parse(halves[1]!) : []
  const fill = 8 - left.length - right.length
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null
  return [...left, ...Array<number>(fill).fill(0), ...right]
}

/** The network of an address as text ("203.0.113.7/32", "2001:db8:0:1::/64"); "unknown" when unreadable. */
export function networkOf(address: string, prefixes: NetworkPrefixes): string {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)
  const v4 = mapped ? mapped[1]! : address
  if (isIPv4(v4)) {
    const bits = v4.split('.').reduce((n, b) => n * 256 + Number(b), 0)
    const size = 2 ** (32 - prefixes.prefixV4)
    const base = Math.floor(bits / size) * size
    const text = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')
    return `${text}/${prefixes.prefixV4}`
  }
  if (isIPv6(address)) {
    const groups = ipv6Groups(address)
    if (!groups) return 'unknown'
    let left = prefixes.prefixV6
    const kept = groups.map((g) => {
      const take = Math.max(0, Math.min(16, left))
      left -= take
      return take === 16 ? g : take === 0 ? 0 : g & (0xffff << (16 - take)) & 0xffff
    })
    return `${kept.map((g) => g.toString(16)).join(':')}/${prefixes.prefixV6}`
  }
  return 'unknown'
}

/** The keyed hash stored and counted for the client's network. */
export function networkHash(secret: string, address: string, prefixes: NetworkPrefixes): string {
  return keyedHash(secret, `network:${networkOf(address, prefixes)}`).slice(0, 32)
}
