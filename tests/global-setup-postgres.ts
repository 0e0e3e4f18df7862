/**
 * The "postgres" project's set-up: finds (or starts) a PostgreSQL server and prepares one migrated,
 * seeded template database per seed level, which each test copies. HAILONG_TEST_POSTGRES_URL names a
 * server to use (CI starts a throw-away cluster and sets it); without it, a throw-away cluster is started
 * from Debian's binaries with scripts/postgres-cluster.sh and stopped afterwards.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { createDb } from '#db/client.ts'
import { postgresTemplateName, postgresUrlFor, prepareDatabase, type SeedLevel } from '#tests/helpers/prepare-db.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string
    postgresTemplatePrefix: string
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const clusterScript = path.join(root, 'scripts/postgres-cluster.sh')
const OWN_PORT = '54330'

export default async function setup(project: TestProject) {
  let adminUrl = process.env.HAILONG_TEST_POSTGRES_URL
  const startedOwn = !adminUrl
  if (!adminUrl)
    adminUrl = execFileSync(clusterScript, ['start', OWN_PORT], { encoding: 'utf8' }).trim().split('\n').pop()!
  const prefix = `hailong_tpl_${process.pid}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  const levels: SeedLevel[] = ['none', 'templates', 'demo']
  for (const level of levels) {
    const name = postgresTemplateName(prefix, level)
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name}`)
    const db = createDb({ dialect: 'postgres', url: postgresUrlFor(adminUrl, name), poolSize: 1 })
    await prepareDatabase(db, level)
    await db.destroy()
  }
  project.provide('postgresAdminUrl', adminUrl)
  project.provide('postgresTemplatePrefix', prefix)

  return async () => {
    for (const level of levels)
      await admin.query(`drop database if exists ${postgresTemplateName(prefix, level)} with (force)`)
    await admin.end()
    if (startedOwn) execFileSync(clusterScript, ['stop', OWN_PORT])
  }
}
