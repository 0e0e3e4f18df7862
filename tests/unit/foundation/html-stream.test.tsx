/** nulFreeHtmlStream (app/.server/html-stream.ts): React 18.3's streamed Vietnamese HTML without NUL bytes. */
import { PassThrough, type Transform } from 'node:stream'
import { renderToPipeableStream } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { dropNulBytes, nulFreeHtmlStream } from '#app/.server/html-stream.ts'

const SENTENCE = 'Hài lòng về sự phục vụ hành chính của cơ quan nhà nước. '

const PARAGRAPHS = Array.from({ length: 400 }, (_, i) => ({ id: `p${i}`, text: SENTENCE.slice(0, 20 + (i % 37)) }))

/** Many short text nodes of Vietnamese, so multibyte characters land on React's 2 KB buffer boundaries. */
function page() {
  return (
    <main>
      {PARAGRAPHS.map(({ id, text }) => (
        <p key={id}>{text}</p>
      ))}
    </main>
  )
}

async function render(through: Transform): Promise<Buffer> {
  const chunks: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page(), {
      onAllReady() {
        through.on('data', (chunk: Buffer) => chunks.push(chunk))
        through.on('end', resolve)
        pipe(through)
      },
      onShellError: reject,
    })
  })
  return Buffer.concat(chunks)
}

const nulCount = (bytes: Buffer) => bytes.filter((b) => b === 0).length

describe('nulFreeHtmlStream', () => {
  it('is needed: React 18.3 alone emits NUL bytes on this page', async () => {
    expect(nulCount(await render(new PassThrough()))).toBeGreaterThan(0)
  })

  it('leaves no NUL byte, and the text decodes to exactly what was rendered', async () => {
    const html = await render(nulFreeHtmlStream())
    expect(nulCount(html)).toBe(0)
    const text = html.toString('utf8')
    expect(text).not.toContain('\uFFFD')
    expect(text.match(/<p>/g)).toHaveLength(400)
    expect(text).toContain(`<p>${SENTENCE.slice(0, 56)}</p>`)
  })
})

describe('dropNulBytes', () => {
  it('returns the same buffer when there is nothing to drop', () => {
    const chunk = Buffer.from('Hài lòng', 'utf8')
    expect(dropNulBytes(chunk)).toBe(chunk)
  })

  it('drops NUL bytes and keeps every multibyte character whole', () => {
    const chunk = Buffer.concat([Buffer.from('Hài', 'utf8'), Buffer.from([0, 0]), Buffer.from(' lòng', 'utf8')])
    expect(dropNulBytes(chunk).toString('utf8')).toBe('Hài lòng')
  })
})
