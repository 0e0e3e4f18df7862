/**
 * `npm run test:unit`: the unit tests alone, in seconds: the `unit` project of `npm test` (vitest.config.ts),
 * without the global set-up of the other projects, which builds the app and unpacks Chromium for the
 * end-to-end tests, and without PostgreSQL.
 */
import { defineConfig } from 'vitest/config'
import { aliases, unitProject } from './vitest.config.ts'

export default defineConfig({
  resolve: { alias: aliases },
  test: { ...unitProject, name: 'unit' },
})
