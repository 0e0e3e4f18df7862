import { describe, expect, it } from 'vitest'
import { jsonResponse, jsonResponseText } from '#app/.server/http/json-response.ts'

describe('JSON answers the server sends without reading them back', () => {
  it('read like Response.json, status and headers included', async () => {
    const body = { ok: false, message: 'Câu trả lời không hợp lệ.', errors: { 'E1.1': 'survey.errors.invalid' } }
    const ours = jsonResponse(body, { status: 400, headers: { 'Cache-Control': 'no-store' } })
    const theirs = Response.json(body, { status: 400, headers: { 'Cache-Control': 'no-store' } })
    expect(ours.status).toBe(theirs.status)
    expect(ours.headers.get('content-type')).toBe(theirs.headers.get('content-type'))
    expect(ours.headers.get('cache-control')).toBe('no-store')
    expect(await ours.json()).toEqual(await theirs.json())
  })

  it('remember their text, and only theirs', () => {
    const body = { ok: true, redirectTo: '/s/abc/thanks?ref=ABCD-EFGH', duplicate: false }
    expect(jsonResponseText(jsonResponse(body))).toBe(JSON.stringify(body))
    expect(jsonResponseText(Response.json(body))).toBeUndefined()
  })
})
