import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export const aliases = {
  '#app': fileURLToPath(new URL('./app', import.meta.url)),
  '#db': fileURLToPath(new URL('./db', import.meta.url)),
  '#tests': fileURLToPath(new URL('./tests', import.meta.url)),
}

// The Remix Vite plugin stays out of the tests: route modules are imported and called directly.
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
})
