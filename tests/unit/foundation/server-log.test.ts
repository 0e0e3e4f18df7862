// The server's log (scripts/server/log.ts): JSON lines, written together once per turn of the event loop.
import { describe, expect, it } from 'vitest'
import { createLog } from '../../../scripts/server/log.ts'

describe('createLog', () => {
  it('writes the lines of one turn in one write, in order, each a JSON object with time and event', async () => {
    const writes: string[] = []
    const { log } = createLog((text) => writes.push(text))
    log('request', { path: '/a', status: 200 })
    log('request', { path: '/b', status: 404 })
    expect(writes).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(1)
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((l) => [l.event, l.path, l.status])).toEqual([
      ['request', '/a', 200],
      ['request', '/b', 404],
    ])
    expect(Number.isNaN(Date.parse(String(lines[0]!.time)))).toBe(false)
    log('stopped')
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(2)
  })

  it('flush writes what is pending at once (before the process exits), and nothing twice', async () => {
    const writes: string[] = []
    const { log, flush } = createLog((text) => writes.push(text))
    log('stopping', { signal: 'SIGTERM' })
    flush()
    expect(writes).toHaveLength(1)
    expect(JSON.parse(writes[0]!)).toMatchObject({ event: 'stopping', signal: 'SIGTERM' })
    flush()
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(1)
  })
})
