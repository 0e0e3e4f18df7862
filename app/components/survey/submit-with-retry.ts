/**
 * Posts the survey form with retries. The body carries the same client submission id on every attempt,
 * so a retry after a lost answer can never store a second response: the server answers "already stored".
 */
export interface SubmitAnswer {
  ok: boolean
  status: number
  body: { ok: boolean; redirectTo?: string; message?: string; errors?: Record<string, string>; reload?: boolean }
}

export interface RetryOptions {
  attempts?: number
  timeoutMs?: number
  backoffMs?: (attempt: number) => number
  onRetry?: (attempt: number) => void
  fetchImpl?: typeof fetch
  sleep?: (ms: number) => Promise<void>
}

/** Network failures, timeouts and server errors are worth retrying; a 4xx answer is final. */
export async function submitWithRetry(url: string, body: FormData, options: RetryOptions = {}): Promise<SubmitAnswer> {
  const attempts = options.attempts ?? 5
  const fetchImpl = options.fetchImpl ?? fetch
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
  const backoff = options.backoffMs ?? ((attempt) => Math.min(8000, 500 * 2 ** attempt))
  let lastError: unknown
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) {
      options.onRetry?.(attempt)
      await sleep(backoff(attempt))
    }
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000)
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        body: new URLSearchParams(body as unknown as Record<string, string>),
        signal: controller.signal,
        headers: { Accept: 'application/json' },
      })
      if (res.status >= 500) {
        lastError = new Error(`server answered ${res.status}`)
        continue
      }
      return { ok: res.ok, status: res.status, body: await res.json() }
    } catch (error) {
      lastError = error
    } finally {
      clearTimeout(timer)
    }
  }
  throw lastError instanceof Error ? lastError : new Error('network')
}
