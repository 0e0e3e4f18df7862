/**
 * `npm run test:unit`: the unit tests alone, in seconds. The same files run in `npm test` (the sqlite
 * project of vitest.config.ts); here without its global set-up, which builds the app and unpacks Chromium
 * for the end-to-end tests, and without PostgreSQL.
 */
import { defineConfig } from 'vitest/config'
import { aliases, shared } from './vitest.config.ts'

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    ...shared,
    name: 'unit',
    // Pure code and throw-away SQLite files: the files can share a worker thread and its loaded modules,
    // which takes a quarter of the time of a fresh process per file (tests/setup.ts allows for it).
    pool: 'threads',
    isolate: false,
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
  },
})
