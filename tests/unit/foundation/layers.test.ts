/**
 * The layers as docs and ARCHITECTURE draw them: routes parse input, call a service and return data; queries
 * live in app/.server/repos. Biome checks the import boundaries; this checks what an import rule cannot see.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROUTES = path.resolve(import.meta.dirname, '../../../app/routes')
const QUERY_BUILDER = /\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\b|\bsql`/

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? routeFiles(full) : /\.tsx?$/.test(entry.name) ? [full] : []
  })
}

describe('route modules', () => {
  it('are found', () => {
    expect(routeFiles(ROUTES).length).toBeGreaterThan(20)
  })

  it('build no queries (they call services, which call repos)', () => {
    const offenders = routeFiles(ROUTES).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          QUERY_BUILDER.test(line) ? [`${path.relative(ROUTES, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    )
    expect(offenders).toEqual([])
  })
})
