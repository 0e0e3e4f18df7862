// A console.error during a test is a bug the test did not look for: fail loudly.
import { afterEach, vi } from 'vitest'

const errors: unknown[][] = []
const original = console.error
console.error = (...args: unknown[]) => {
  errors.push(args)
  original(...args)
}
afterEach(() => {
  if (errors.length) {
    const first = errors[0]
    errors.length = 0
    throw new Error(`console.error was called during the test: ${first.map(String).join(' ')}`)
  }
  vi.restoreAllMocks()
})
