/**
 * Builds the app the way `npm run build` does, for tests and checks that serve their own copy.
 *
 * NODE_ENV is set to production on purpose: vitest sets it to `test`, a child inherits it, and Vite then
 * bundles React's development build — 40 KB more gzip on every page, and checks of the real bundle (the
 * survey page's script budget) measuring something no citizen is sent.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './root.ts'

export async function buildApp(): Promise<void> {
  try {
    await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'production' },
        maxBuffer: 64 * 1024 * 1024,
      },
    )
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`npm run build failed:\n${stderr || stdout || String(error)}`)
  }
}
