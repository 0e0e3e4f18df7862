/**
 * The citizen's page goes out with Remix's module script and module preloads held (ADR 0064):
 * holdScripts (app/domain/survey/held-scripts.ts) and its stream (app/.server/held-scripts.ts).
 */
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { heldScriptsHtmlStream } from '#app/.server/held-scripts.ts'
import { HELD_PREFIX, holdScripts } from '#app/domain/survey/held-scripts.ts'

// The shape React writes for Remix's <Scripts> (nonce first, then type and async), around a page's text.
const NONCE = 'q1w2e3r4t5y6u7i8o9p0aa=='
const PAGE = [
  '<!DOCTYPE html><html lang="vi"><head><link rel="stylesheet" href="/assets/app-1.css"/></head><body>',
  '<main><h1>Khảo sát sự hài lòng</h1><p>Góp ý: &lt;link rel=&quot;modulepreload&quot; href=&quot;x&quot;&gt;</p>',
  `<textarea>type=&quot;module&quot; — không phải thẻ</textarea></main>`,
  `<script nonce="${NONCE}">((a, b) => { if (a < b) window.scrollTo(0, a) })(1, 2)</script>`,
  '<link rel="modulepreload" href="/assets/entry.client-Ab1.js"/>',
  '<link rel="modulepreload" href="/assets/components-Cd2.js"/>',
  `<script nonce="${NONCE}">window.__remixContext = {"a":"\\u003cb\\u003e"};</script>`,
  `<script nonce="${NONCE}" type="module" async="">import * as route0 from "/assets/root-Ef3.js";\nimport("/assets/entry.client-Ab1.js");</script>`,
  `<script nonce="${NONCE}">(function () { var ready = 1; })();</script>`,
  '</body></html>',
].join('')

const HELD = PAGE.replaceAll('<link rel="modulepreload"', `<link rel="${HELD_PREFIX}modulepreload"`).replace(
  `<script nonce="${NONCE}" type="module"`,
  `<script nonce="${NONCE}" type="${HELD_PREFIX}module"`,
)

async function throughStream(chunks: Buffer[]): Promise<string> {
  const out: Buffer[] = []
  for await (const piece of Readable.from(chunks).pipe(heldScriptsHtmlStream())) out.push(piece as Buffer)
  return Buffer.concat(out).toString('utf8')
}

describe('holdScripts', () => {
  it('renames the module preloads and the module script, and nothing else', () => {
    expect(holdScripts(PAGE)).toBe(HELD)
    expect(HELD.match(new RegExp(`${HELD_PREFIX}modulepreload`, 'g'))).toHaveLength(2)
    expect(HELD).toContain(`type="${HELD_PREFIX}module" async=""`)
    // The citizen's text that looks like the tags is escaped HTML and stays as it was.
    expect(HELD).toContain('Góp ý: &lt;link rel=&quot;modulepreload&quot;')
    expect(HELD).toContain('type=&quot;module&quot; — không phải thẻ')
    expect(HELD).not.toMatch(/rel="modulepreload"|type="module"/)
  })

  it('leaves a page without module scripts as it was', () => {
    const plain =
      '<html><body><script nonce="n">var a = 1 < 2</script><link rel="preload" href="/x.css"/></body></html>'
    expect(holdScripts(plain)).toBe(plain)
  })

  it('is idempotent', () => {
    expect(holdScripts(HELD)).toBe(HELD)
  })
})

describe('heldScriptsHtmlStream', () => {
  const bytes = Buffer.from(PAGE, 'utf8')

  it('gives the same page whatever byte the renderer split it at, inside tags and characters too', async () => {
    for (let at = 0; at <= bytes.length; at++) {
      expect(await throughStream([bytes.subarray(0, at), bytes.subarray(at)])).toBe(HELD)
    }
  })

  it('gives the same page from many small pieces', async () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces: Buffer[] = []
      for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size))
      expect(await throughStream(pieces)).toBe(HELD)
    }
  })

  it('passes an empty page through', async () => {
    expect(await throughStream([])).toBe('')
  })
})
