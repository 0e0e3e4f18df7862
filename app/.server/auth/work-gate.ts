/**
 * A small semaphore for costly work (scrypt). A flood of sign-ins must not take every core and the libuv
 * threads the survey pages need: at most `permits` runs at once, and at most `maxWaiting` wait for a turn.
 * Callers that can refuse cheaply (sign-in) ask `full()` first; callers that must finish (setting a
 * password) just wait.
 */
export interface WorkGate {
  run<T>(work: () => Promise<T>): Promise<T>
  /** True when a new caller would wait beyond the queue's bound: refuse instead of queueing. */
  full(): boolean
  /** Runs started since the gate was made, and the most that ever ran at once (for tests and the bench). */
  stats(): { started: number; peak: number; running: number; waiting: number }
}

export function createWorkGate(permits: number, maxWaiting: number): WorkGate {
  let running = 0
  let started = 0
  let peak = 0
  const waiting: Array<() => void> = []
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  return {
    async run(work) {
      if (running < permits) running++
      else await new Promise<void>((resolve) => waiting.push(resolve))
      // A released permit passes straight to the next waiter, so `running` already counts this run.
      started++
      peak = Math.max(peak, running)
      try {
        return await work()
      } finally {
        release()
      }
    },
    full: () => running >= permits && waiting.length >= maxWaiting,
    stats: () => ({ started, peak, running, waiting: waiting.length }),
  }
}
