/** The JavaScript path's sender: retries lost answers and server errors with the very same body, never a 4xx. */
import { describe, expect, it } from 'vitest'
import { submitWithRetry } from '#app/components/survey/submit-with-retry.ts'

function form() {
  const f = new FormData()
  f.append('_sid', 'abcdefghijklmnop-1234')
  f.append('_version', '7')
  f.append('q:E1:1', '5')
  f.append('q:X:expectations', 'time')
  f.append('q:X:expectations', 'online')
  f.append('q:S:suggestion', 'Cần thêm ghế & bàn = tốt')
  return f
}

type Step = Response | Error
function fakeFetch(steps: Step[]) {
  const calls: Array<{ url: string; method?: string; body: string; accept: string | null }> = []
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method, body: String(init.body), accept: new Headers(init.headers).get('Accept') })
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!
    if (step instanceof Error) throw step
    return step.clone()
  }) as unknown as typeof fetch
  return { impl, calls }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const noSleep = (slept: number[]) => async (ms: number) => void slept.push(ms)

describe('submitWithRetry', () => {
  it('returns the first answer when it succeeds', async () => {
    const { impl, calls } = fakeFetch([json(200, { ok: true, redirectTo: '/s/X/thanks' })])
    const slept: number[] = []
    const answer = await submitWithRetry('/s/X/submit', form(), { fetchImpl: impl, sleep: noSleep(slept) })
    expect(answer).toEqual({ ok: true, status: 200, body: { ok: true, redirectTo: '/s/X/thanks' } })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ url: '/s/X/submit', method: 'POST', accept: 'application/json' })
    expect(slept).toEqual([])
  })

  it('sends every field, repeated ones included, URL-encoded', async () => {
    const { impl, calls } = fakeFetch([json(200, { ok: true })])
    await submitWithRetry('/s/X/submit', form(), { fetchImpl: impl, sleep: noSleep([]) })
    const sent = new URLSearchParams(calls[0]!.body)
    expect(sent.get('_sid')).toBe('abcdefghijklmnop-1234')
    expect(sent.getAll('q:X:expectations')).toEqual(['time', 'online'])
    expect(sent.get('q:S:suggestion')).toBe('Cần thêm ghế & bàn = tốt')
  })

  it('retries after network errors and 5xx answers with the same body, then returns the answer', async () => {
    const { impl, calls } = fakeFetch([
      new TypeError('Failed to fetch'),
      json(502, {}),
      json(503, { ok: false }),
      json(200, { ok: true, redirectTo: '/t' }),
    ])
    const slept: number[] = []
    const retries: number[] = []
    const answer = await submitWithRetry('/s/X/submit', form(), {
      fetchImpl: impl,
      sleep: noSleep(slept),
      onRetry: (n) => retries.push(n),
    })
    expect(answer.ok).toBe(true)
    expect(answer.body.redirectTo).toBe('/t')
    expect(calls).toHaveLength(4)
    expect(new Set(calls.map((c) => c.body)).size).toBe(1)
    expect(retries).toEqual([1, 2, 3])
    expect(slept).toHaveLength(3)
    expect(slept.every((ms) => ms > 0)).toBe(true)
  })

  it.each([400, 404, 409, 410, 413, 429])('stops at a %i answer and returns it', async (status) => {
    const { impl, calls } = fakeFetch([json(status, { ok: false, message: 'no' }), json(200, { ok: true })])
    const answer = await submitWithRetry('/s/X/submit', form(), { fetchImpl: impl, sleep: noSleep([]) })
    expect(answer).toEqual({ ok: false, status, body: { ok: false, message: 'no' } })
    expect(calls).toHaveLength(1)
  })

  it('gives up after the given number of attempts with the last error', async () => {
    const { impl, calls } = fakeFetch([new TypeError('offline')])
    await expect(
      submitWithRetry('/s/X/submit', form(), { fetchImpl: impl, sleep: noSleep([]), attempts: 3 }),
    ).rejects.toThrow('offline')
    expect(calls).toHaveLength(3)
  })

  it('gives up after repeated 5xx answers with an error naming the status', async () => {
    const { impl, calls } = fakeFetch([json(500, {})])
    await expect(submitWithRetry('/s/X/submit', form(), { fetchImpl: impl, sleep: noSleep([]) })).rejects.toThrow(/500/)
    expect(calls).toHaveLength(5)
    expect(new Set(calls.map((c) => c.body)).size).toBe(1)
  })

  it('aborts an attempt that takes longer than the timeout and retries it', async () => {
    let n = 0
    const impl = ((_url: string, init: RequestInit) => {
      n += 1
      if (n === 1)
        return new Promise((_, reject) =>
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        )
      return Promise.resolve(json(200, { ok: true }))
    }) as unknown as typeof fetch
    const answer = await submitWithRetry('/s/X/submit', form(), { fetchImpl: impl, sleep: noSleep([]), timeoutMs: 20 })
    expect(answer.ok).toBe(true)
    expect(n).toBe(2)
  })
})
