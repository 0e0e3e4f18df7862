/**
 * React 18.3's streaming renderer writes its whole 2 KB buffer when a multibyte character does not fit at its
 * end, unused trailing bytes included (facebook/react#31134, fixed in React 19), so Vietnamese pages carry
 * NUL bytes. Browsers hide them; scrapers, archives and checksums of published pages do not. Dropping every
 * 0x00 byte is exact: no UTF-8 encoding of any character but U+0000 contains one, and HTML forbids U+0000.
 */
import { Transform } from 'node:stream'

export function dropNulBytes(chunk: Buffer): Buffer {
  if (chunk.indexOf(0) === -1) return chunk
  return Buffer.from(chunk.filter((byte) => byte !== 0))
}

/** A pass-through stream that removes NUL bytes from React's HTML. */
export function nulFreeHtmlStream(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, dropNulBytes(chunk))
    },
  })
}
