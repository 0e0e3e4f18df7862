/**
 * Reading constraint errors of either database (db/dialect.ts). The integration tests provoke the real
 * errors on both databases; these cover the shapes the parser must tell apart.
 */
import { describe, expect, it } from 'vitest'
import { constraintViolation, containsPattern, violationOf } from '#db/dialect.ts'

describe('constraintViolation', () => {
  it('reads SQLite messages, with the table and columns of a unique key', () => {
    expect(
      constraintViolation(new Error('UNIQUE constraint failed: invitation.agency_id, invitation.dossier_hash')),
    ).toEqual({ kind: 'unique', table: 'invitation', columns: ['agency_id', 'dossier_hash'] })
    expect(constraintViolation(new Error('FOREIGN KEY constraint failed'))).toEqual({
      kind: 'foreign_key',
      table: null,
      columns: [],
    })
    expect(constraintViolation(new Error('CHECK constraint failed: weight_micro > 0'))).toEqual({
      kind: 'check',
      table: null,
      columns: [],
    })
    expect(constraintViolation(new Error('NOT NULL constraint failed: response.agency_id'))).toEqual({
      kind: 'not_null',
      table: 'response',
      columns: ['agency_id'],
    })
  })

  it('reads PostgreSQL error codes, with the columns named in the detail', () => {
    const unique = Object.assign(
      new Error('duplicate key value violates unique constraint "invitation_dossier_unique"'),
      {
        code: '23505',
        table: 'invitation',
        detail: 'Key (agency_id, dossier_hash)=(3, abc) already exists.',
      },
    )
    expect(constraintViolation(unique)).toEqual({
      kind: 'unique',
      table: 'invitation',
      columns: ['agency_id', 'dossier_hash'],
    })
    expect(constraintViolation(Object.assign(new Error('x'), { code: '23503', table: 'response' }))).toEqual({
      kind: 'foreign_key',
      table: 'response',
      columns: [],
    })
    expect(constraintViolation(Object.assign(new Error('x'), { code: '23514' }))).toMatchObject({ kind: 'check' })
    expect(constraintViolation(Object.assign(new Error('x'), { code: '23502', column: 'agency_id' }))).toEqual({
      kind: 'not_null',
      table: null,
      columns: ['agency_id'],
    })
  })

  it('is null for anything that is not a constraint violation', () => {
    expect(constraintViolation(new Error('database is locked'))).toBeNull()
    expect(constraintViolation(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBeNull()
    expect(constraintViolation(new Error('published questionnaire version is immutable'))).toBeNull()
    expect(constraintViolation('UNIQUE constraint failed: a.b')).toBeNull()
    expect(constraintViolation(null)).toBeNull()
  })

  it('violationOf returns the violation, null on success, and rethrows other errors', async () => {
    expect(await violationOf(Promise.resolve(1))).toBeNull()
    expect(await violationOf(Promise.reject(new Error('CHECK constraint failed: x')))).toMatchObject({ kind: 'check' })
    await expect(violationOf(Promise.reject(new Error('disk I/O error')))).rejects.toThrow('disk I/O error')
  })
})

describe('containsPattern', () => {
  it('wraps a folded word for LIKE and drops LIKE wildcards so they match nothing special', () => {
    expect(containsPattern('ho tich')).toBe('%ho tich%')
    expect(containsPattern('50%_off\\')).toBe('%50off%')
  })
})
