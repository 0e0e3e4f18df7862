import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export const aliases = {
  '#app': fileURLToPath(new URL('./app', import.meta.url)),
  '#db': fileURLToPath(new URL('./db', import.meta.url)),
  '#tests': fileURLToPath(new URL('./tests', import.meta.url)),
}

/**
 * The integration tests that talk to the database through the app run twice: on SQLite and on
 * PostgreSQL. These are the exceptions, about SQLite files themselves (backup, pragmas, the CLI's
 * file handling) or needing no database.
 */
const SQLITE_ONLY = [
  'tests/integration/backup-restore.test.ts',
  'tests/integration/cli-analyze.test.ts',
  'tests/integration/cli-analyze-r-reference.test.ts',
  // The API against R on a raw export: the statistics are dialect-free, and the raw export and the scores
  // API have their own tests on PostgreSQL; one Rscript run is enough.
  'tests/integration/analytics/scores-r-reference.test.ts',
  // The change interval against R: each period's SE is checked on PostgreSQL by the scores tests.
  'tests/integration/analytics/change-r-reference.test.ts',
  'tests/integration/foundation/migrations.test.ts',
  'tests/integration/foundation/cli-dispatch.test.ts',
  'tests/integration/foundation/server-start-errors.test.ts',
  // Creates SQLite files by several URL forms (file:, sqlite:, relative paths) and inspects them.
  'tests/integration/foundation/cli-seed.test.ts',
  // The dev server's load context does not depend on the dialect; the production server's test covers PostgreSQL.
  'tests/integration/foundation/dev-server.test.ts',
]

/** The exceptions the other way: tests about PostgreSQL itself (the copy into it, several servers on it). */
const POSTGRES_ONLY = ['tests/integration/migrate-data/**', 'tests/integration/postgres/**']

export const shared = {
  globalSetup: [] as string[],
  // Cheap password hashes in the test processes and the CLI they start (app/.server/auth/password.ts says
  // why); the servers they start run as production, at full cost.
  env: { HAILONG_TEST_SCRYPT_N: '1024' } as Record<string, string>,
  setupFiles: ['tests/setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 180_000,
  pool: 'forks' as const,
}

const UNIT = ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx']

/**
 * The unit tests: pure code and throw-away SQLite files. The files share a worker thread and its loaded
 * modules, which takes a quarter of the time of a fresh process per file (tests/setup.ts allows for it).
 */
export const unitProject = {
  ...shared,
  pool: 'threads' as const,
  isolate: false,
  // A project cannot turn isolation off in a run of several projects; one thread for all the files does.
  poolOptions: { threads: { singleThread: true } },
  include: UNIT,
}

// The Remix Vite plugin stays out of the tests: route modules are imported and called directly.
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    // Vitest's default is one fork fewer than the cores: one on CI's two. Most of a test file's time is
    // spent waiting on another process (the app server, Chromium, PostgreSQL, Rscript), so a second fork
    // keeps both cores busy (docs/testing.md, "How long it takes").
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      // Pure code and throw-away SQLite files, sharing workers and their loaded modules (vitest.unit.config.ts).
      { resolve: { alias: aliases }, test: { ...unitProject, name: 'unit' } },
      {
        resolve: { alias: aliases },
        test: {
          ...shared,
          name: 'sqlite',
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
          exclude: [...POSTGRES_ONLY, ...UNIT],
          globalSetup: ['tests/global-setup.ts'],
        },
      },
      // Always runs: without a server named or Debian's, the set-up starts the one npm installed.
      {
        resolve: { alias: aliases },
        test: {
          ...shared,
          name: 'postgres',
          include: ['tests/integration/**/*.test.ts'],
          exclude: SQLITE_ONLY,
          globalSetup: ['tests/global-setup.ts', 'tests/global-setup-postgres.ts'],
          env: { ...shared.env, HAILONG_TEST_DATABASE: 'postgres' },
        },
      },
    ],
  },
})
