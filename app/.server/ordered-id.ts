/**
 * Time-ordered UUIDs (the layout of RFC 9562's version 7): the first 48 bits are the Unix time in
 * milliseconds, the rest random but for the version and variant bits. Written as lowercase hex, they sort
 * by the time they were made.
 *
 * Why: submission ids are the primary key of `submission_key`. Random (version 4) ids sent each insert of
 * a group commit to its own leaf page of that B-tree, so a commit of 64 submissions wrote some 64 pages
 * for this table alone; ids made minutes apart now share pages. 74 random bits keep them unguessable and
 * distinct.
 */
import crypto from 'node:crypto'

export function timeOrderedUuid(now = Date.now()): string {
  const bytes = crypto.randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = 0x70 | (bytes[6]! & 0x0f)
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
