/**
 * What the administration integration tests share beyond tests/helpers/remix.ts (context, signed-in
 * users): request builders, upload files, id look-ups and the audit trail.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { TestDatabase } from '#tests/helpers/db.ts'
import { BASE } from '#tests/helpers/remix.ts'

export function get(path: string, cookie?: string, headers: Record<string, string> = {}): Request {
  return new Request(BASE + path, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } })
}

/** A same-site form POST (no Origin header, like a non-browser client; see `origin` for a browser one). */
export function post(
  path: string,
  fields: Record<string, string | string[] | File> | FormData,
  cookie?: string,
  headers: Record<string, string> = {},
): Request {
  let body: FormData
  if (fields instanceof FormData) body = fields
  else {
    body = new FormData()
    for (const [k, v] of Object.entries(fields)) {
      if (Array.isArray(v)) for (const x of v) body.append(k, x)
      else body.append(k, v)
    }
  }
  return new Request(BASE + path, {
    method: 'POST',
    body,
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  })
}

/** Route function arguments the way Remix passes them. */
export function args(context: AppLoadContext, request: Request, params: Record<string, string> = {}) {
  return { context, request, params } as never
}

export async function idOf(
  t: TestDatabase,
  table: 'agency' | 'questionnaire' | 'procedure',
  code: string,
): Promise<number> {
  return (await t.db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
}

export function csvFile(name: string, rows: string[][]): File {
  const text = `${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')}\r\n`
  return new File([text], name, { type: 'text/csv' })
}

export async function xlsxFile(name: string, rows: Array<Array<string | number>>): Promise<File> {
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Sheet1')
  for (const r of rows) ws.addRow(r)
  const buffer = await wb.xlsx.writeBuffer()
  return new File([new Uint8Array(buffer as ArrayBuffer)], name, {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  })
}

export async function auditActions(t: TestDatabase, sinceId = 0): Promise<string[]> {
  return (await t.db.selectFrom('audit_log').select('action').where('id', '>', sinceId).orderBy('id').execute()).map(
    (r) => r.action,
  )
}

export async function lastAuditId(t: TestDatabase): Promise<number> {
  const row = await t.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst()
  return Number(row?.m ?? 0)
}
