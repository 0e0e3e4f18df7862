// The floor for the submission benchmark: plain node:http and the database driver doing the same writes
// as a survey submission (one response row, its submission key and its answers in one transaction, the
// app's durability settings), nothing else. Usage: floor-server.mjs DATABASE_URL VERSION_ID PORT, where DATABASE_URL is a
// SQLite file (better-sqlite3, same pragmas as the app) or a postgres:// URL (pg, a pool of
// DATABASE_POOL_SIZE connections like the app's).
import http from 'node:http'
import Database from 'better-sqlite3'
import pg from 'pg'

const RESPONSE_COLUMNS =
  'client_submission_id, version_id, agency_id, procedure_id, channel, link_id, invitation_id, submitted_at, period_month, weight_micro, stratum, cluster, external_id, profile_json, source'

function openSqliteStore(file, versionId) {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  const items = new Map(
    db
      .prepare('select id, code from questionnaire_item where version_id = ?')
      .all(versionId)
      .map((r) => [r.code, r.id]),
  )
  const agency = db.prepare('select id from agency order by id limit 1').get().id
  const insertResponse = db.prepare(
    `insert into response (${RESPONSE_COLUMNS}) values (?, ?, ?, null, 'counter', null, null, ?, ?, 1000000, null, null, null, null, 'web')`,
  )
  const insertKey = db.prepare('insert into submission_key (client_submission_id, response_id) values (?, ?)')
  const insertAnswer = db.prepare(
    'insert into answer (response_id, item_id, value_number, value_text, agency_id, period_month) values (?, ?, ?, null, ?, ?)',
  )
  const store = db.transaction((sid, answers, now) => {
    const month = now.toISOString().slice(0, 7)
    const { lastInsertRowid } = insertResponse.run(sid, versionId, agency, now.toISOString(), month)
    insertKey.run(sid, lastInsertRowid)
    for (const [itemId, value] of answers) insertAnswer.run(lastInsertRowid, itemId, value, agency, month)
  })
  return { items, store: (sid, answers) => store(sid, answers, new Date()) }
}

async function openPostgresStore(url, versionId) {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) })
  const items = new Map(
    (await pool.query('select id, code from questionnaire_item where version_id = $1', [versionId])).rows.map((r) => [
      r.code,
      r.id,
    ]),
  )
  const agency = (await pool.query('select id from agency order by id limit 1')).rows[0].id
  const store = async (sid, answers) => {
    const now = new Date()
    const month = now.toISOString().slice(0, 7)
    const client = await pool.connect()
    try {
      await client.query('begin')
      const { rows } = await client.query(
        `insert into response (${RESPONSE_COLUMNS}) values ($1, $2, $3, null, 'counter', null, null, $4, $5, 1000000, null, null, null, null, 'web') returning id`,
        [sid, versionId, agency, now.toISOString(), month],
      )
      await client.query('insert into submission_key (client_submission_id, response_id) values ($1, $2)', [
        sid,
        rows[0].id,
      ])
      // The answers in one multi-row insert, as the app writes them: a statement per row would add a
      // network round trip each, which SQLite (in process) does not pay.
      const values = answers.map((_, i) => `($1, $${2 * i + 4}, $${2 * i + 5}, null, $2, $3)`).join(', ')
      await client.query(
        `insert into answer (response_id, item_id, value_number, value_text, agency_id, period_month) values ${values}`,
        [rows[0].id, agency, month, ...answers.flat()],
      )
      await client.query('commit')
    } catch (error) {
      await client.query('rollback').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }
  return { items, store }
}

function answersOf(form, items) {
  const answers = []
  for (const [key, value] of form)
    if (key.startsWith('q:')) answers.push([items.get(key.slice(2).replaceAll(':', '.')), Number(value)])
  return answers
}

const [url, versionArg, port] = process.argv.slice(2)
const versionId = Number(versionArg)
const { items, store } = /^postgres(ql)?:\/\//.test(url)
  ? await openPostgresStore(url, versionId)
  : openSqliteStore(url, versionId)

http
  .createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', async () => {
      const form = new URLSearchParams(body)
      try {
        await store(form.get('_sid'), answersOf(form, items))
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end('{"ok":true}')
      } catch (error) {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(String(error))
      }
    })
  })
  .listen(Number(port), '127.0.0.1', () => process.send?.('ready'))
