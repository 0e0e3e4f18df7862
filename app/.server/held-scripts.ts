/**
 * The citizen's pages go out with their scripts held (app/domain/survey/held-scripts.ts, ADR 0064). React
 * streams its HTML in pieces; a tag cut between two of them is kept back until its end arrives, so the
 * rewrite never depends on where the renderer split its output.
 */
import { Transform } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { holdScripts } from '#app/domain/survey/held-scripts.ts'

export function heldScriptsHtmlStream(): Transform {
  // A character cut between two chunks is decoded whole, with the next one.
  const decoder = new StringDecoder('utf8')
  let pending = ''
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = pending + decoder.write(chunk)
      const open = text.lastIndexOf('<')
      const cut = open !== -1 && text.indexOf('>', open) === -1 ? open : text.length
      pending = text.slice(cut)
      done(null, Buffer.from(holdScripts(text.slice(0, cut)), 'utf8'))
    },
    flush(done) {
      const rest = pending + decoder.end()
      done(null, rest ? Buffer.from(holdScripts(rest), 'utf8') : null)
    },
  })
}
