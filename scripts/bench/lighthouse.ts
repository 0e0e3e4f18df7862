/**
 * Lighthouse on the citizen survey page: its default mobile configuration (a Moto G Power-sized screen,
 * simulated slow 4G and a CPU slowed four times, computed by Lantern from one unthrottled load), three runs,
 * and the median of each figure over them.
 *
 * Lighthouse is not a project dependency (ADR 0059): `npm ci` in CI would fetch it and its ~30 MB of
 * dependencies for every test run, and no test needs it. It runs through `npx --yes lighthouse@VERSION`
 * from the system's temporary folder, so npx installs it in its own cache (~/.npm/_npx) and never in the
 * project's node_modules; the first run downloads it, later ones reuse the cache. 12.x is the last line that
 * runs on Node 20 (13 asks for Node ≥ 22.19).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chooseChromium } from '../support/chromium.ts'

export const LIGHTHOUSE_VERSION = process.env.BENCH_LIGHTHOUSE_VERSION ?? '12.8.2'
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3)
/**
 * BENCH_LIGHTHOUSE_NICE (e.g. -15, as root): the browser and the server run at this priority. Lighthouse
 * multiplies the main-thread tasks it observes by four; on a shared machine they are mostly the wait for a
 * core, which this removes. The JSON records it.
 */
export const LIGHTHOUSE_NICE = process.env.BENCH_LIGHTHOUSE_NICE

export interface LighthouseRun {
  performance: number
  totalBlockingTimeMs: number
  largestContentfulPaintMs: number
  firstContentfulPaintMs: number
  cumulativeLayoutShift: number
  speedIndexMs: number
  /** Main-thread work and script evaluation Lighthouse counted (already scaled to its slowed CPU). */
  mainThreadWorkMs: number
  bootupTimeMs: number
  /** Load average over the last minute when the run started: this machine is shared. */
  loadAverage1m: number
  /** Lighthouse's measure of the host's CPU speed (a desktop is ≈ 1,000+); its 4× slowdown assumes a fast one. */
  benchmarkIndex: number
  report: string
}

export interface LighthouseFigures {
  lighthouse: string
  chromium: string
  /** The priority the browser and server ran at (BENCH_LIGHTHOUSE_NICE), if not the default. */
  nice: string | null
  url: string
  runs: LighthouseRun[]
  /** Each figure's median over the runs (not one run's figures). */
  median: Omit<LighthouseRun, 'report'>
}

interface Audit {
  numericValue?: number
}
interface Report {
  lighthouseVersion: string
  environment: { hostUserAgent: string; benchmarkIndex: number }
  categories: { performance: { score: number } }
  audits: Record<string, Audit>
}

/** Runs Lighthouse RUNS times on `url`, keeping each JSON report under `outDir`. */
export async function runLighthouse(url: string, outDir: string): Promise<LighthouseFigures> {
  const { executablePath, env } = await chooseChromium('measure')
  // Lighthouse launches the browser itself (chrome-launcher), from CHROME_PATH, with its own flags added.
  const chromeFlags = ['--headless=new', '--no-sandbox', '--disable-gpu'].join(' ')
  fs.mkdirSync(outDir, { recursive: true })
  const runs: LighthouseRun[] = []
  let version = ''
  let chromium = ''
  for (let i = 1; i <= RUNS; i++) {
    const report = path.join(outDir, `lighthouse-run-${i}.json`)
    const loadAverage1m = Math.round(os.loadavg()[0] * 100) / 100
    await npxLighthouse(
      [
        url,
        '--output=json',
        `--output-path=${report}`,
        '--only-categories=performance',
        `--chrome-flags=${chromeFlags}`,
        '--quiet',
      ],
      { ...env, CHROME_PATH: executablePath },
    )
    const json = JSON.parse(fs.readFileSync(report, 'utf8')) as Report
    version = json.lighthouseVersion
    chromium = json.environment.hostUserAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? ''
    const value = (id: string) => json.audits[id]?.numericValue ?? Number.NaN
    const run: LighthouseRun = {
      performance: json.categories.performance.score,
      totalBlockingTimeMs: Math.round(value('total-blocking-time')),
      largestContentfulPaintMs: Math.round(value('largest-contentful-paint')),
      firstContentfulPaintMs: Math.round(value('first-contentful-paint')),
      cumulativeLayoutShift: Math.round(value('cumulative-layout-shift') * 1000) / 1000,
      speedIndexMs: Math.round(value('speed-index')),
      mainThreadWorkMs: Math.round(value('mainthread-work-breakdown')),
      bootupTimeMs: Math.round(value('bootup-time')),
      loadAverage1m,
      benchmarkIndex: Math.round(json.environment.benchmarkIndex),
      report: path.basename(report),
    }
    console.log(
      `  run ${i}: performance ${run.performance}, TBT ${run.totalBlockingTimeMs} ms, LCP ${run.largestContentfulPaintMs} ms (load ${loadAverage1m})`,
    )
    runs.push(run)
  }
  return { lighthouse: version, chromium, nice: LIGHTHOUSE_NICE ?? null, url, runs, median: medians(runs) }
}

/** Each figure's median over the runs: the middle one of three. */
export function medians(runs: LighthouseRun[]): Omit<LighthouseRun, 'report'> {
  const middle = (pick: (r: LighthouseRun) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b)
    const m = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
  }
  return {
    performance: middle((r) => r.performance),
    totalBlockingTimeMs: middle((r) => r.totalBlockingTimeMs),
    largestContentfulPaintMs: middle((r) => r.largestContentfulPaintMs),
    firstContentfulPaintMs: middle((r) => r.firstContentfulPaintMs),
    cumulativeLayoutShift: middle((r) => r.cumulativeLayoutShift),
    speedIndexMs: middle((r) => r.speedIndexMs),
    mainThreadWorkMs: middle((r) => r.mainThreadWorkMs),
    bootupTimeMs: middle((r) => r.bootupTimeMs),
    loadAverage1m: middle((r) => r.loadAverage1m),
    benchmarkIndex: middle((r) => r.benchmarkIndex),
  }
}

function npxLighthouse(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    // From the temporary folder, so npx never resolves or installs anything in the project.
    const npx = ['npx', '--yes', `lighthouse@${LIGHTHOUSE_VERSION}`, ...args]
    const command = LIGHTHOUSE_NICE ? ['nice', '-n', LIGHTHOUSE_NICE, ...npx] : npx
    const child = spawn(command[0]!, command.slice(1), {
      cwd: os.tmpdir(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lighthouse exited with ${code}`))))
  })
}
