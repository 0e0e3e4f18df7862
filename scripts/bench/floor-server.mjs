// The floor for the submission benchmark: plain node:http and better-sqlite3 doing the same writes as a
// survey submission (one response row and its answers in one transaction, same pragmas), nothing else.
import http from 'node:http'
import Database from 'better-sqlite3'

const [file, versionId, port] = process.argv.slice(2)
const db = new Database(file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
const items = new Map(db.prepare('select id, code from questionnaire_item where version_id = ?').all(Number(versionId)).map((r) => [r.code, r.id]))
const agency = db.prepare('select id from agency order by id limit 1').get().id
const insertResponse = db.prepare(`insert into response (client_submission_id, version_id, agency_id, procedure_id, channel, link_id, invitation_id, submitted_at, period_month, weight_micro, stratum, cluster, external_id, profile_json, source)
  values (?, ?, ?, null, 'counter', null, null, ?, ?, 1000000, null, null, null, null, 'web')`)
const insertAnswer = db.prepare('insert into answer (response_id, item_id, value_number, value_text) values (?, ?, ?, null)')
const store = db.transaction((sid, answers) => {
  const now = new Date()
  const { lastInsertRowid } = insertResponse.run(sid, Number(versionId), agency, now.toISOString(), now.toISOString().slice(0, 7))
  for (const [itemId, value] of answers) insertAnswer.run(lastInsertRowid, itemId, value)
})

http
  .createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      const form = new URLSearchParams(body)
      const answers = []
      for (const [key, value] of form) if (key.startsWith('q:')) answers.push([items.get(key.slice(2).replaceAll(':', '.')), Number(value)])
      store(form.get('_sid'), answers)
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  .listen(Number(port), '127.0.0.1', () => process.send?.('ready'))
