/** databaseConfig (db/config.ts): how DATABASE_URL picks the database, and DATABASE_READ_URL its replica. */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '#app/.server/env.ts'
import { databaseConfig, DEFAULT_SQLITE_FILE } from '#db/config.ts'

const CWD = path.resolve('/srv/hailong')
/** A process environment with only these variables. */
const env = (vars: Record<string, string> = {}) => vars as unknown as NodeJS.ProcessEnv

describe('databaseConfig', () => {
  it('defaults to data/hailong.sqlite under the working directory', () => {
    expect(DEFAULT_SQLITE_FILE).toBe('data/hailong.sqlite')
    expect(databaseConfig(env(), CWD)).toEqual({ dialect: 'sqlite', file: path.join(CWD, 'data', 'hailong.sqlite') })
  })

  it('uses process.cwd() when no directory is given', () => {
    expect(databaseConfig(env())).toEqual({
      dialect: 'sqlite',
      file: path.join(process.cwd(), 'data', 'hailong.sqlite'),
    })
  })

  it('treats an empty or blank DATABASE_URL as unset', () => {
    expect(databaseConfig(env({ DATABASE_URL: '' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: path.join(CWD, 'data', 'hailong.sqlite'),
    })
    expect(databaseConfig(env({ DATABASE_URL: '   ' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: path.join(CWD, 'data', 'hailong.sqlite'),
    })
  })

  it('resolves a plain relative path against the working directory', () => {
    expect(databaseConfig(env({ DATABASE_URL: 'var/survey.sqlite' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: path.join(CWD, 'var', 'survey.sqlite'),
    })
  })

  it('keeps a plain absolute path', () => {
    expect(databaseConfig(env({ DATABASE_URL: '/var/lib/hailong/db.sqlite' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/hailong/db.sqlite',
    })
  })

  it('accepts file:///absolute URLs', () => {
    expect(databaseConfig(env({ DATABASE_URL: 'file:///var/lib/hailong/db.sqlite' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/hailong/db.sqlite',
    })
  })

  it('decodes percent-escapes in file:/// URLs', () => {
    expect(databaseConfig(env({ DATABASE_URL: 'file:///var/lib/h%C3%A0i%20l%C3%B2ng/db.sqlite' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/hài lòng/db.sqlite',
    })
  })

  it('accepts file:relative paths, resolved against the working directory', () => {
    expect(databaseConfig(env({ DATABASE_URL: 'file:data/other.sqlite' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: path.join(CWD, 'data', 'other.sqlite'),
    })
  })

  it('accepts sqlite: prefixed paths', () => {
    expect(databaseConfig(env({ DATABASE_URL: 'sqlite:x/y.sqlite' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: path.join(CWD, 'x', 'y.sqlite'),
    })
  })

  it('keeps :memory: as is', () => {
    expect(databaseConfig(env({ DATABASE_URL: ':memory:' }), CWD)).toEqual({ dialect: 'sqlite', file: ':memory:' })
  })

  it('trims surrounding whitespace', () => {
    expect(databaseConfig(env({ DATABASE_URL: '  db.sqlite \n' }), CWD)).toEqual({
      dialect: 'sqlite',
      file: path.join(CWD, 'db.sqlite'),
    })
  })

  it('recognises postgres:// and postgresql:// URLs, with a default pool of 10', () => {
    const url = 'postgres://hailong:secret@db.example.vn:5432/hailong'
    expect(databaseConfig(env({ DATABASE_URL: url }), CWD)).toEqual({ dialect: 'postgres', url, poolSize: 10 })
    const url2 = 'postgresql://hailong@localhost/hailong'
    expect(databaseConfig(env({ DATABASE_URL: url2 }), CWD)).toEqual({ dialect: 'postgres', url: url2, poolSize: 10 })
  })

  it('refuses a pool size that is not a whole number from 1 to 1000', () => {
    for (const bad of ['0', '-2', '2.5', 'ten', '1001']) {
      expect(() => databaseConfig(env({ DATABASE_URL: 'postgres://h/db', DATABASE_POOL_SIZE: bad }), CWD)).toThrow(
        /DATABASE_POOL_SIZE must be a whole number from 1 to 1000/,
      )
    }
  })

  it('reads the pool size from DATABASE_POOL_SIZE', () => {
    expect(databaseConfig(env({ DATABASE_URL: 'postgres://h/db', DATABASE_POOL_SIZE: '4' }), CWD)).toEqual({
      dialect: 'postgres',
      url: 'postgres://h/db',
      poolSize: 4,
    })
  })

  it('reads a streaming replica for the analytics from DATABASE_READ_URL, PostgreSQL only', () => {
    const readUrl = 'postgres://reader@replica.example.vn:5432/hailong'
    expect(databaseConfig(env({ DATABASE_URL: 'postgres://h/db', DATABASE_READ_URL: ` ${readUrl} ` }), CWD)).toEqual({
      dialect: 'postgres',
      url: 'postgres://h/db',
      poolSize: 10,
      readUrl,
    })
    expect(databaseConfig(env({ DATABASE_URL: 'postgres://h/db', DATABASE_READ_URL: '' }), CWD)).not.toHaveProperty(
      'readUrl',
    )
    expect(() =>
      databaseConfig(env({ DATABASE_URL: 'postgres://h/db', DATABASE_READ_URL: 'replica.example.vn' }), CWD),
    ).toThrow('DATABASE_READ_URL must be a postgres:// URL of a streaming replica of DATABASE_URL')
  })

  it('the server refuses DATABASE_READ_URL beside a SQLite database instead of ignoring it', () => {
    const vars = { HAILONG_SECRET: 's'.repeat(40), DATABASE_READ_URL: 'postgres://reader@replica/hailong' }
    for (const DATABASE_URL of ['', 'data/hailong.sqlite', ':memory:'])
      expect(() => loadConfig(env({ ...vars, DATABASE_URL }), CWD)).toThrow(
        'DATABASE_READ_URL names a read replica, which only PostgreSQL has: unset it, or set DATABASE_URL to a postgres:// URL',
      )
    expect(loadConfig(env({ ...vars, DATABASE_URL: 'postgres://h/db' }), CWD).database).toMatchObject({
      readUrl: 'postgres://reader@replica/hailong',
    })
  })
})
