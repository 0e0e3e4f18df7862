/** The production server refuses to start with one clear line, not a stack trace, when it cannot begin. */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '#scripts/support/root.ts'
import { tempDir } from '#scripts/support/temp-dir.ts'

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PORT: '39999', HAILONG_SECRET: 's'.repeat(40), NODE_ENV: 'production', ...env },
  })
}

describe('server start-up errors', () => {
  it('no server build → exit 1 and a line saying to build (the server runs built, not through tsx)', () => {
    const dir = tempDir()
    try {
      // A build of the pages alone, as before the server was built beside them.
      fs.mkdirSync(path.join(dir, 'server'), { recursive: true })
      fs.copyFileSync(path.join(ROOT, 'build/server/index.js'), path.join(dir, 'server/index.js'))
      const r = start({ DATABASE_URL: ':memory:', HAILONG_BUILD_DIR: dir })
      expect(r.status).toBe(1)
      expect(r.stderr.trim()).toBe(
        `No server build at ${path.join(dir, 'server', 'server.mjs')}: run \`npm run build\` first (\`npm start\` does).`,
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an unreachable PostgreSQL server → exit 1 and a line naming the step and DATABASE_URL', () => {
    const r = start({ DATABASE_URL: 'postgres://hailong@127.0.0.1:9/hailong' })
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toMatch(
      /^Hài Lòng cannot start: migrating the database \(check DATABASE_URL\): connect ECONNREFUSED 127\.0\.0\.1:9$/,
    )
  })

  it('a bad pool size → exit 1 and the reason', () => {
    const r = start({ DATABASE_URL: 'postgres://hailong@127.0.0.1:9/hailong', DATABASE_POOL_SIZE: 'many' })
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      'Hài Lòng cannot start: configuration: DATABASE_POOL_SIZE must be a whole number from 1 to 1000, not "many"',
    )
  })

  it('a read replica beside SQLite → exit 1 and the reason, not a server that ignores it', () => {
    const r = start({ DATABASE_URL: ':memory:', DATABASE_READ_URL: 'postgres://hailong@127.0.0.1:9/hailong' })
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      'Hài Lòng cannot start: configuration: DATABASE_READ_URL names a read replica, which only PostgreSQL has: unset it, or set DATABASE_URL to a postgres:// URL',
    )
  })
})
