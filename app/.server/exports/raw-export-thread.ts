/**
 * The raw export's bytes as a stream, made in a worker thread (ADR 0062). Formatting a million rows
 * allocates a great deal that lives a little while, and in the server's thread that grew V8's young
 * generation to the 64 MiB semi-spaces the submit path is given (scripts/server-flags.ts): the server's
 * memory rose by a hundred MiB or more during an export. The export thread has a young generation of its
 * own, kept small, and a bound on its whole heap, so exports cannot grow the server past it; the server's
 * thread only passes the bytes on. One thread serves every export, each through its own connection, and
 * stops when idle. A database no other thread can open (SQLite in memory, a handle not made by
 * `createDb`) is exported in the server's thread.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'
import { Worker } from 'node:worker_threads'
import { connectionOf, type DB } from '#db/client.ts'
import { type RawCsvJob, rawCsvChunks } from './raw-csv-lines.ts'
import type { FromWorker, RawExportWork, ToWorker } from './raw-export-worker.ts'

/** A piece of the file and the rows it carries. */
interface Piece {
  bytes: Uint8Array
  rows: number
}

/** Where the pieces come from: the next one (null at the end), or stop early. */
interface PieceSource {
  next(): Promise<Piece | null>
  stop(): Promise<void>
}

/**
 * The export thread's heap, in MiB. Its young generation: 8 MiB in all (the server's semi-spaces alone
 * are 64), which in the benchmark cost no more CPU than the server's own and kept the server under
 * 256 MiB through a million rows; 4 MiB saved 10 MiB more and cost a fifth more CPU (docs/performance.md).
 * The old generation holds a window or two of rows (a few MiB, tens with long texts); past the bound the
 * thread stops and its downloads fail, instead of the server.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }

/**
 * The file in pieces, audited once: with `complete` when its last piece has been made (before the stream
 * ends, so a download that was not logged never completes), or not when the client stops early.
 */
export function rawCsvStream(
  reader: DB,
  job: RawCsvJob,
  audit: (rows: number, complete: boolean) => Promise<void>,
): ReadableStream<Uint8Array> {
  let source: PieceSource | null = null
  let rows = 0
  let audited = false
  const auditOnce = async (complete: boolean) => {
    if (audited) return
    audited = true
    await audit(rows, complete)
  }
  return new ReadableStream<Uint8Array>({
    start() {
      source = piecesFrom(reader, job)
    },
    // Pull-based: the next piece is asked for only when the client has taken the previous one
    // (backpressure, which the server passes on from the socket: scripts/server/remix-handler.ts).
    async pull(controller) {
      try {
        const piece = await source?.next()
        if (!piece) {
          await auditOnce(true)
          controller.close()
          return
        }
        rows += piece.rows
        controller.enqueue(piece.bytes)
      } catch (error) {
        await source?.stop()
        controller.error(error)
      }
    },
    async cancel() {
      await source?.stop()
      await auditOnce(false)
    },
  })
}

function piecesFrom(reader: DB, job: RawCsvJob): PieceSource {
  const database = connectionOf(reader)
  const shareable = database && !(database.dialect === 'sqlite' && database.file === ':memory:')
  return shareable ? workerPieces({ database, job }) : threadPieces(reader, job)
}

/** In this thread, for a database no worker can open. */
function threadPieces(reader: DB, job: RawCsvJob): PieceSource {
  const chunks = rawCsvChunks(reader, job)
  return {
    async next() {
      const { done, value } = await chunks.next()
      return done ? null : value
    },
    async stop() {
      await chunks.return(undefined)
    },
  }
}

/** In the export thread, one piece ahead of the client: it makes the next piece while this one is sent. */
function workerPieces(work: RawExportWork): PieceSource {
  const thread = exportThread()
  const id = thread.nextId++
  const inbox: FromWorker[] = []
  let waiting: ((message: FromWorker) => void) | null = null
  let ended = false
  thread.start(id, work, (message) => {
    const waiter = waiting
    waiting = null
    if (waiter) waiter(message)
    else inbox.push(message)
  })
  // The header and the first window.
  thread.send({ id, more: 2 })
  const finish = () => {
    ended = true
    thread.finish(id)
  }
  return {
    async next() {
      if (ended) return null
      const message = inbox.shift() ?? (await new Promise<FromWorker>((resolve) => (waiting = resolve)))
      if ('end' in message) {
        finish()
        return null
      }
      if ('error' in message) {
        finish()
        throw new Error(message.error)
      }
      thread.send({ id, more: 1 })
      return message
    },
    async stop() {
      if (ended) return
      thread.send({ id, stop: true })
      finish()
    },
  }
}

/**
 * How long the thread outlives its last job. Starting it (loading the database drivers, and tsx in the
 * source tree) takes 0.6 s or more, which a user clicking through exports, or a test suite, should not pay
 * each time; an idle thread still holds memory, so it does not stay for good.
 */
const IDLE_MS = 30_000

interface ExportThread {
  nextId: number
  start(id: number, work: RawExportWork, deliver: (message: FromWorker) => void): void
  send(message: ToWorker): void
  /** The job is over (ended, failed or stopped): its messages are no longer wanted. */
  finish(id: number): void
  terminate(): Promise<void>
}

let current: ExportThread | null = null

/**
 * V8's flags belong to the process: the server's --max-semi-space-size=64 (scripts/server-flags.ts) would
 * size the export thread's young generation too, over its resource limits (measured: 64 MiB of new space
 * with a limit of 8). The flag is read only when a heap is set up, so clearing it now leaves the server's
 * own heap as it was set up at start and lets the limits apply to the threads started from here on.
 */
function youngGenerationByResourceLimits() {
  v8.setFlagsFromString('--max-semi-space-size=0')
}

/** The one export thread, started on first use; a thread that died is replaced by the next export. */
function exportThread(): ExportThread {
  if (current) return current
  youngGenerationByResourceLimits()
  const worker = new Worker(workerEntry(), { resourceLimits: WORKER_LIMITS })
  const mailboxes = new Map<number, (message: FromWorker) => void>()
  let idle: NodeJS.Timeout | undefined
  const thread: ExportThread = {
    nextId: 1,
    start(id, work, deliver) {
      clearTimeout(idle)
      // Only a running job keeps the process alive; an idle thread never holds up its exit.
      if (!mailboxes.size) worker.ref()
      mailboxes.set(id, deliver)
      worker.postMessage({ id, start: work } satisfies ToWorker)
    },
    send(message) {
      worker.postMessage(message)
    },
    async terminate() {
      await worker.terminate()
    },
    finish(id) {
      if (!mailboxes.delete(id) || mailboxes.size) return
      worker.unref()
      idle = setTimeout(() => {
        if (current === thread) current = null
        void worker.terminate()
      }, IDLE_MS)
      idle.unref()
    },
  }
  const fail = (why: string) => {
    if (current === thread) current = null
    clearTimeout(idle)
    for (const [id, deliver] of mailboxes) deliver({ id, error: why })
    mailboxes.clear()
  }
  worker.on('message', (message: FromWorker) => mailboxes.get(message.id)?.(message))
  worker.on('error', (error) => fail(error.message))
  worker.on('exit', (code) => fail(`the export thread stopped (exit code ${code})`))
  current = thread
  return thread
}

/**
 * Stops the export thread at once, as if it had died: the downloads it serves fail with an error, and the
 * next export starts a new one. What a crashed thread does to a download is tested this way.
 */
export async function stopExportThread(): Promise<void> {
  const thread = current
  current = null
  await thread?.terminate()
}

/**
 * The worker's entry, beside this module wherever it runs: in the server build, the worker built into one
 * file (vite.config.ts); in the source tree (tests, the development server), a start that loads it through
 * tsx. The path is built, not a `new URL` literal, which Vite would take for an asset of the build.
 */
function workerEntry(): URL {
  return pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'raw-export-worker.mjs'))
}
