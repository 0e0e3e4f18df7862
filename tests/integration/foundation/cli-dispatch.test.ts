/**
 * The `hailong` command line: help, dispatch, exit statuses and usage errors, through `main` in this
 * process; and once as users run it, a child process started from the launcher.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '#scripts/support/cli.ts'
import { ROOT } from '#scripts/support/root.ts'
import { tempDir } from '#tests/helpers/db.ts'

const EXPECTED_COMMANDS = ['migrate', 'seed', 'user', 'links', 'aggregates']

/** The command names listed by `hailong --help`. */
async function listedCommands(): Promise<string[]> {
  const { stdout } = await runCli(['--help'])
  const section = stdout.split(/^Commands:\s*$/m)[1] ?? ''
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\s{2,}\S/gm)].map((m) => m[1]!)
}

// A database path that must never be created: --help and usage errors exit before opening it.
let dir: string
let untouched: string
beforeAll(() => {
  dir = tempDir('hailong-cli-dispatch-')
  untouched = path.join(dir, 'never', 'created.sqlite')
})
afterAll(() => {
  expect(fs.existsSync(path.join(dir, 'never'))).toBe(false)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('hailong (dispatch)', () => {
  it('--help exits 0 and lists every command with a summary', async () => {
    const r = await runCli(['--help'])
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^Usage: hailong <command> \[options\]/)
    const listed = await listedCommands()
    for (const name of EXPECTED_COMMANDS) expect(listed).toContain(name)
  })

  it('-h and help behave like --help', async () => {
    const help = (await runCli(['--help'])).stdout
    for (const alias of ['-h', 'help']) {
      const r = await runCli([alias])
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(help)
    }
  })

  it('no command prints the usage and exits 2', async () => {
    const r = await runCli([])
    expect(r.status).toBe(2)
    expect(r.stdout).toMatch(/Usage: hailong <command>/)
  })

  it('an unknown command exits 2 with a message on stderr naming it', async () => {
    const r = await runCli(['frobnicate'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('unknown command "frobnicate"')
    expect(r.stderr).toContain('Usage: hailong')
    expect(r.stdout).toBe('')
  })

  it('every listed command accepts --help (exit 0, its own usage, no database touched)', async () => {
    const commands = await listedCommands()
    expect(commands.length).toBeGreaterThanOrEqual(EXPECTED_COMMANDS.length)
    const env = { DATABASE_URL: untouched }
    for (const name of commands) {
      const r = await runCli([name, '--help'], { env })
      expect({ name, status: r.status, stderr: r.stderr }).toEqual({ name, status: 0, stderr: '' })
      expect(r.stdout, name).toMatch(new RegExp(`^Usage: hailong ${name}\\b`))
      expect(fs.existsSync(untouched), name).toBe(false)
    }
  })

  it.each([
    [['migrate', '--bogus'], /hailong migrate: Unknown option '--bogus'/],
    [['seed', '--demo-responses'], /hailong seed: .*--demo-responses.*argument/i],
    [['seed', '--nope'], /hailong seed: Unknown option '--nope'/],
    [['links', '--json=yes'], /hailong links: .*--json/],
    [['user', 'create', '--email'], /hailong user: .*--email.*argument/i],
    [['user', 'delete', '--email', 'a@b.vn', '--role', 'admin'], /hailong user: expected the subcommand "create"/],
    [['user', 'create', '--role', 'admin'], /hailong user: --email is required/],
    [['user', 'create', '--email', 'a@b.vn'], /hailong user: --role is required/],
    [['aggregates'], /hailong aggregates: expected the subcommand "rebuild"/],
    [['aggregates', 'rebuild', 'now'], /hailong aggregates: expected the subcommand "rebuild"/],
    [['migrate', 'extra'], /hailong migrate: .*positional argument/i],
  ])('%j exits 2 with a clear message on stderr', async (args, message) => {
    const r = await runCli(args, { env: { DATABASE_URL: untouched } })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).toContain(`Run "hailong ${args[0]} --help" for usage.`)
    expect(r.stdout).toBe('')
    expect(fs.existsSync(untouched)).toBe(false)
  })
})

// The only test that spawns the CLI: what `main` cannot show is the launcher itself (tsx registration,
// argv, the exit status of the process). The other CLI tests call `main` in-process.
describe('node scripts/hailong.mjs', () => {
  const hailong = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['scripts/hailong.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    })

  it('exits 0 with the usage for --help, runs a real command, and exits 2 on an unknown command', async () => {
    const file = path.join(dir, 'launched.sqlite')
    // Side by side: each child spends most of its time starting tsx.
    const [help, migrated, unknown] = await Promise.all([
      hailong(['--help']),
      hailong(['migrate'], { DATABASE_URL: file }),
      hailong(['frobnicate']).catch((error: { code: number; stderr: string }) => error),
    ])
    expect(help.stdout).toBe((await runCli(['--help'])).stdout)
    expect(migrated.stdout).toMatch(/^Applied: /)
    expect(fs.existsSync(file)).toBe(true)
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') })
  })
})
