/**
 * The raw exports' worker thread (started by raw-export-thread.ts through raw-export-worker.mjs). Each
 * export is a job with its own read-only connection to the analytics' database; the thread formats and
 * encodes its CSV, and hands the bytes to the server's thread one piece per credit the job is given, so
 * a slow client holds its reading back. Jobs run side by side, taking turns at each window.
 */
import { parentPort } from 'node:worker_threads'
import { createDb } from '#db/client.ts'
import type { DatabaseConfig } from '#db/config.ts'
import { READ_AHEAD, type RawCsvJob, rawCsvChunks } from './raw-csv-lines.ts'

/** What a job exports, and from where. */
export interface RawExportWork {
  database: DatabaseConfig
  job: RawCsvJob
}

/** From the server's thread: start a job, allow `more` of its pieces, or stop it. */
export type ToWorker = { id: number; start: RawExportWork } | { id: number; more: number } | { id: number; stop: true }

/** To the server's thread: a piece of a job's file, its end, or why it failed. */
export type FromWorker =
  | { id: number; bytes: Uint8Array; rows: number }
  | { id: number; end: true }
  | { id: number; error: string }

interface JobState {
  credit: number
  stopped: boolean
  wake: (() => void) | null
}

const port = parentPort
if (!port) throw new Error('raw-export-worker.ts runs as a worker thread')
const jobs = new Map<number, JobState>()

port.on('message', (message: ToWorker) => {
  if ('start' in message) {
    const state: JobState = { credit: 0, stopped: false, wake: null }
    jobs.set(message.id, state)
    void run(message.id, message.start, state)
    return
  }
  const state = jobs.get(message.id)
  if (!state) return
  if ('more' in message) state.credit += message.more
  else state.stopped = true
  state.wake?.()
  state.wake = null
})

async function run(id: number, { database, job }: RawExportWork, state: JobState) {
  const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port?.postMessage(message, transfer)
  // One pass over the responses gains nothing from a large SQLite page cache, and its memory is the
  // server's; on PostgreSQL a job reads the windows ahead side by side, and finds the next one's end.
  const reader = createDb(database.dialect === 'postgres' ? { ...database, poolSize: READ_AHEAD + 1 } : database, {
    readonly: true,
    cacheMiB: 2,
  })
  try {
    for await (const chunk of rawCsvChunks(reader, job)) {
      while (state.credit === 0 && !state.stopped) await new Promise<void>((resolve) => (state.wake = resolve))
      if (state.stopped) return
      state.credit--
      send({ id, bytes: chunk.bytes, rows: chunk.rows }, [chunk.bytes.buffer as ArrayBuffer])
    }
    send({ id, end: true })
  } catch (error) {
    send({ id, error: error instanceof Error ? error.message : String(error) })
  } finally {
    jobs.delete(id)
    await reader.destroy()
  }
}
