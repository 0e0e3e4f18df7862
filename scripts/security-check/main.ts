/**
 * `npm run security-check`: replays the findings of issue 15 against a production server and reports each
 * as fixed or NOT FIXED with what it measured; exits 1 if any is not fixed.
 *
 *   npm run security-check                      builds, starts a server of its own on a fresh SQLite file
 *   npm run security-check -- http://host:3000  checks a running server instead
 *       --pid N                 its process id, to measure its memory (on this machine)
 *       --email E --password P  an analyst or administrator to sign in as (or SECURITY_CHECK_EMAIL/_PASSWORD)
 *       --public-url URL        its PUBLIC_URL, when it differs from the address checked
 *   --only id,id                only these checks; --no-build  use the existing build
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { buildApp } from '../support/build-app.ts'
import { runCli } from '../support/cli.ts'
import { type RunningServer, startServer } from '../support/server-process.ts'
import type { CheckOutcome, CheckTarget, SecurityCheck } from './check.ts'
import { AREAS } from './checks/index.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pid: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    'public-url': { type: 'string' },
    only: { type: 'string' },
    'no-build': { type: 'boolean' },
  },
})

/** A Cookie header for the user, signed in through the sign-in form as a browser would. */
async function signIn(url: string, email: string, password: string): Promise<string | null> {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: 'manual',
  })
  await res.arrayBuffer()
  const session = res.headers.getSetCookie().find((cookie) => cookie.startsWith('hl_session='))
  return session ? session.split(';')[0]! : null
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => {
    made ??= make()
    return made
  }
}

function targetAt(
  url: string,
  options: {
    pid: number | null
    output: CheckTarget['output']
    publicUrl: string | null
    user: { email: string; password: string } | null
  },
): CheckTarget {
  return {
    url,
    pid: options.pid,
    output: options.output,
    publicUrl: options.publicUrl,
    signedIn: once(async () => (options.user ? signIn(url, options.user.email, options.user.password) : null)),
    credentials: options.user,
    surveyLink: once(async () => {
      const home = await (await fetch(`${url}/`)).text()
      const link = /href="(\/s\/[A-Za-z0-9_-]+)"/.exec(home)?.[1]
      if (!link) throw new Error(`the home page of ${url} lists no survey link`)
      return link
    }),
  }
}

async function build() {
  process.stdout.write('Building the app (npm run build)…\n')
  await buildApp()
}

/** A production server of our own: a fresh SQLite file, an https PUBLIC_URL (for HSTS) and an analyst to sign in as. */
async function ownServer(): Promise<{ server: RunningServer; target: CheckTarget }> {
  if (!values['no-build'] && process.env.HAILONG_SKIP_BUILD !== '1') await build()
  const publicUrl = 'https://hailong.security-check.invalid'
  const server = await startServer({ PUBLIC_URL: publicUrl, RATE_LIMIT: 'off' })
  const user = { email: 'kiem-tra@anlac.example.vn', password: `an toàn ${crypto.randomBytes(12).toString('hex')}` }
  const created = await runCli(['user', 'create', '--email', user.email, '--role', 'analyst', '--agency', 'DEMO-AL'], {
    env: { DATABASE_URL: server.databaseFile },
    input: `${user.password}\n`,
  })
  if (created.status !== 0) {
    await stopOwn(server)
    throw new Error(`could not create the analyst to sign in as: ${created.stderr}`)
  }
  return { server, target: targetAt(server.url, { pid: server.pid, output: server.output, publicUrl, user }) }
}

async function stopOwn(server: RunningServer) {
  await server.stop()
  fs.rmSync(server.dir, { recursive: true, force: true })
}

function remoteTarget(url: string): CheckTarget {
  const email = values.email ?? process.env.SECURITY_CHECK_EMAIL
  const password = values.password ?? process.env.SECURITY_CHECK_PASSWORD
  return targetAt(url.replace(/\/+$/, ''), {
    pid: values.pid ? Number(values.pid) : null,
    output: null,
    publicUrl: values['public-url'] ?? null,
    user: email && password ? { email, password } : null,
  })
}

async function runOne(check: SecurityCheck, target: CheckTarget): Promise<CheckOutcome> {
  try {
    return await check.run(target)
  } catch (error) {
    return {
      status: 'NOT FIXED',
      measured: `the check failed: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}

function line(area: string, check: SecurityCheck, outcome: CheckOutcome) {
  const status = `[${outcome.status}]`.padEnd(12)
  return `${status}${check.finding.padEnd(6)}${`${area}/${check.id}`.padEnd(34)}${check.title}\n${' '.repeat(18)}→ ${outcome.measured}\n`
}

async function main(): Promise<number> {
  const only = values.only?.split(',').map((id) => id.trim())
  const checks = Object.entries(AREAS).flatMap(([area, list]) =>
    list.filter((check) => !only || only.includes(check.id)).map((check) => ({ area, check })),
  )
  const started = positionals[0] ? null : await ownServer()
  const target = started?.target ?? remoteTarget(positionals[0]!)
  process.stdout.write(`Security check of ${target.url}${started ? ' (a server started for the check)' : ''}\n\n`)
  const outcomes: CheckOutcome[] = []
  try {
    // Checks that mostly wait start first and run beside the others; the rest run one at a time, so that
    // what one measures (memory, latency) is its own.
    const waiting = checks
      .filter(({ check }) => check.parallel)
      .map(async ({ area, check }) => ({ area, check, outcome: await runOne(check, target) }))
    for (const { area, check } of checks.filter(({ check }) => !check.parallel)) {
      const outcome = await runOne(check, target)
      outcomes.push(outcome)
      process.stdout.write(line(area, check, outcome))
    }
    for (const { area, check, outcome } of await Promise.all(waiting)) {
      outcomes.push(outcome)
      process.stdout.write(line(area, check, outcome))
    }
  } finally {
    if (started) await stopOwn(started.server)
  }
  const count = (status: CheckOutcome['status']) => outcomes.filter((o) => o.status === status).length
  process.stdout.write(`\n${count('fixed')} fixed, ${count('NOT FIXED')} NOT FIXED, ${count('skipped')} skipped\n`)
  return count('NOT FIXED') ? 1 : 0
}

process.exitCode = await main()
