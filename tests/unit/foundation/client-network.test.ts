/** Client networks: the unit a cap counts (docs/anti-rigging.md). */
import { describe, expect, it } from 'vitest'
import { networkHash, networkOf } from '#app/.server/anti-rigging/client-network.ts'

const DEFAULT = { prefixV4: 32, prefixV6: 64 }

describe('networkOf', () => {
  it('keeps an IPv4 address whole and an IPv4-mapped one as IPv4', () => {
    expect(networkOf('203.0.113.7', DEFAULT)).toBe('203.0.113.7/32')
    expect(networkOf('::ffff:203.0.113.7', DEFAULT)).toBe('203.0.113.7/32')
    expect(networkOf('203.0.113.7', { ...DEFAULT, prefixV4: 24 })).toBe('203.0.113.0/24')
  })

  it('puts every address of an IPv6 /64 in one network, however it is written', () => {
    const one = networkOf('2001:db8:aa:bb::1', DEFAULT)
    expect(one).toBe('2001:db8:aa:bb:0:0:0:0/64')
    expect(networkOf('2001:0db8:00aa:00bb:ffff:1:2:3', DEFAULT)).toBe(one)
    expect(networkOf('2001:db8:aa:bb:1::9%eth0', DEFAULT)).toBe(one)
    expect(networkOf('2001:db8:aa:bc::1', DEFAULT)).not.toBe(one)
    expect(networkOf('2001:db8:aa:bb::1', { ...DEFAULT, prefixV6: 48 })).toBe('2001:db8:aa:0:0:0:0:0/48')
  })

  it('reads anything else as one unknown network', () => {
    expect(networkOf('not-an-address', DEFAULT)).toBe('unknown')
  })

  it('hashes with the secret, never exposing the network', () => {
    const h = networkHash('s'.repeat(32), '2001:db8:aa:bb::1', DEFAULT)
    expect(h).toMatch(/^[0-9a-f]{32}$/)
    expect(h).toBe(networkHash('s'.repeat(32), '2001:db8:aa:bb::2', DEFAULT))
    expect(h).not.toBe(networkHash('t'.repeat(32), '2001:db8:aa:bb::1', DEFAULT))
  })
})
