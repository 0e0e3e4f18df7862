/**
 * Fixed-window counters kept in memory. Keys are keyed hashes (never raw IP addresses), and a poster link
 * has its own, larger budget so one office behind one address is not locked out by a single client limit.
 */
export interface RateLimiter {
  /** Counts one hit on each key; false when any of them is over its limit (nothing is counted then). */
  hit(keys: Array<{ key: string; limit: number }>, now?: number): boolean
}

export function createRateLimiter(windowSeconds: number, enabled = true): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>()
  const windowMs = windowSeconds * 1000
  let lastSweep = 0
  return {
    hit(keys, now = Date.now()) {
      if (!enabled) return true
      if (now - lastSweep > windowMs) {
        for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k)
        lastSweep = now
      }
      const current = keys.map(({ key, limit }) => {
        let w = windows.get(key)
        if (!w || now - w.start >= windowMs) {
          w = { start: now, count: 0 }
          windows.set(key, w)
        }
        return { w, limit }
      })
      if (current.some(({ w, limit }) => w.count >= limit)) return false
      for (const { w } of current) w.count++
      return true
    },
  }
}
