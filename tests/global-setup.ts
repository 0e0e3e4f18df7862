/**
 * Builds the app once before the suite, so end-to-end tests run the real production server.
 * HAILONG_SKIP_BUILD=1 skips it when a fresh build is known to exist (e.g. running unit tests alone).
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export default function setup() {
  if (process.env.HAILONG_SKIP_BUILD === '1') return
  // Both test projects (sqlite, postgres) list this set-up; one build per run is enough.
  if (process.env.HAILONG_BUILT_THIS_RUN === '1') return
  process.env.HAILONG_BUILT_THIS_RUN = '1'
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  execFileSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    cwd: root,
    stdio: 'ignore',
  })
}
