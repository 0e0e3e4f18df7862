// A console.error during a test is a bug the test did not look for: fail loudly.
import { afterEach, vi } from 'vitest'

// This file runs before every test file; without isolation (the unit tests) several files share one
// global scope, so console.error is wrapped once per worker and the errors list is shared.
const ERRORS = Symbol.for('hailong.tests.consoleErrors')
const scope = globalThis as typeof globalThis & { [ERRORS]?: unknown[][] }

function recordConsoleErrors(): unknown[][] {
  const recorded: unknown[][] = []
  const original = console.error
  console.error = (...args: unknown[]) => {
    recorded.push(args)
    original(...args)
  }
  return recorded
}

scope[ERRORS] ??= recordConsoleErrors()
const errors = scope[ERRORS]

afterEach(() => {
  if (errors.length) {
    const first = errors[0]
    errors.length = 0
    throw new Error(`console.error was called during the test: ${first.map(String).join(' ')}`)
  }
  vi.restoreAllMocks()
})
