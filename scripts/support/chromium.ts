/**
 * Which Chromium the end-to-end tests drive: CHROMIUM_PATH when set, else Debian's (its headless shell
 * when installed, ADR 0065), else the headless Chromium shipped inside the @sparticuz/chromium npm package,
 * so that `npm install && npm test` needs no system browser. The npm one is unpacked once per installed
 * version into node_modules/.cache. The benchmarks measure pages as a phone's browser shows them, so they
 * skip the headless shell for Debian's full browser.
 * No vitest import: the global set-up runs this in vitest's main process to unpack before any test file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ChromiumChoice {
  executablePath: string
  args: string[]
  /** Variables added to the browser's environment. */
  env: Record<string, string>
  source: 'CHROMIUM_PATH' | 'debian-headless-shell' | 'debian' | 'npm'
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium'
/**
 * Debian's `chromium-headless-shell`: the same engine without the full browser's windowing and services
 * ("old headless"). It ran the end-to-end files in 128 s where the full browser took 230 s (ADR 0065).
 * The binary itself, not the /usr/bin wrapper, so that closing the browser ends its process.
 */
const DEBIAN_HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell'

/** What the browser is for: the tests' checks, or a benchmark's measurement of how a page loads. */
export type ChromiumUse = 'test' | 'measure'

/** Quiet and offline: nothing a test did not ask for talks to the network or slows the first page. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules')

export async function chooseChromium(use: ChromiumUse = 'test'): Promise<ChromiumChoice> {
  const named = process.env.CHROMIUM_PATH
  if (named) {
    if (!fs.existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist`)
    return { executablePath: named, args: QUIET_FLAGS, env: {}, source: 'CHROMIUM_PATH' }
  }
  if (use === 'test' && fs.existsSync(DEBIAN_HEADLESS_SHELL))
    return { executablePath: DEBIAN_HEADLESS_SHELL, args: QUIET_FLAGS, env: {}, source: 'debian-headless-shell' }
  if (fs.existsSync(DEBIAN_CHROMIUM))
    return { executablePath: DEBIAN_CHROMIUM, args: QUIET_FLAGS, env: {}, source: 'debian' }
  return npmChromium()
}

/**
 * The package's recommended flags are written for AWS Lambda; three of them would change what the tests
 * observe and are left out: --single-process (the browser dies when a test closes its second context),
 * --disable-web-security and --allow-running-insecure-content (they would hide same-origin and
 * mixed-content mistakes). Playwright sets --headless itself.
 */
const DROPPED_NPM_FLAGS = [
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--headless',
]

async function npmChromium(): Promise<ChromiumChoice> {
  const { default: Chromium } = await import('@sparticuz/chromium')
  // No test draws with WebGL: Chromium starts without the package's software GL (SwiftShader) flags.
  Chromium.setGraphicsMode = false
  // The package's exports hide its package.json; its version names the unpacked copy.
  const manifest = fs.readFileSync(path.join(NODE_MODULES, '@sparticuz/chromium/package.json'), 'utf8')
  const { version } = JSON.parse(manifest) as { version: string }
  const dir = path.join(NODE_MODULES, '.cache', `hailong-chromium-${version}`)
  if (!fs.existsSync(path.join(dir, 'chromium'))) await unpack(Chromium, dir)
  const args = [
    ...Chromium.args.filter((flag) => !DROPPED_NPM_FLAGS.some((dropped) => flag.startsWith(dropped))),
    ...QUIET_FLAGS,
  ]
  return {
    executablePath: path.join(dir, 'chromium'),
    args: [...new Set(args)],
    env: { FONTCONFIG_FILE: path.join(dir, 'fonts.conf') },
    source: 'npm',
  }
}

/**
 * The package unpacks into os.tmpdir() (a fixed /tmp/chromium that a half-finished unpack leaves looking
 * complete). Unpacking into a private folder renamed into place makes it atomic: test runs started at the
 * same time each unpack, and the first rename wins.
 */
async function unpack(Chromium: typeof import('@sparticuz/chromium').default, dir: string): Promise<void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true })
  const staging = fs.mkdtempSync(`${dir}.partial-`)
  const tmpdir = process.env.TMPDIR
  try {
    process.env.TMPDIR = staging
    await Chromium.executablePath()
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = tmpdir
  }
  // The package's own fonts.conf names /tmp/fonts. Ours keeps the system's fonts when there are any and
  // adds the packaged Open Sans, which covers Vietnamese, for machines that have none.
  fs.writeFileSync(
    path.join(staging, 'fonts.conf'),
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${dir}/fonts</dir>
  <cachedir>${dir}/fonts-cache</cachedir>
</fontconfig>
`,
  )
  try {
    fs.renameSync(staging, dir)
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true })
    if (!fs.existsSync(path.join(dir, 'chromium'))) throw error
  }
}
