/**
 * The server's structured log: one JSON object per line on standard output. The lines of one turn of
 * the event loop go out in one write: with a write per request line, logging took 2–3% of the server's
 * CPU at 2,000 submissions a second. A line is at most one turn late; `flush` writes what is pending
 * (the server calls it before it exits, and on 'exit'). What a SIGKILL can lose is the current turn's
 * request lines, never data.
 */
import type express from 'express'
import { loggedPath, routedPath } from '#app/.server/http/request-path.ts'

export type Log = (event: string, fields?: Record<string, unknown>) => void

export function createLog(write: (text: string) => void = (text) => process.stdout.write(text)) {
  let pending: string[] = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (!pending.length) return
    const text = pending.join('')
    pending = []
    write(text)
  }
  const log: Log = (event, fields = {}) => {
    pending.push(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
  return { log, flush }
}

/**
 * One line per answered request: method, path, status and time. No address, query string or body, and the
 * path with invitation codes and set-up tokens masked (loggedPath): nothing that identifies a citizen or
 * opens an account goes to the log. Static files are left out; they would drown the pages.
 */
export function requestLog(log: Log): express.RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      if (res.locals.staticFile) return
      log('request', {
        method: req.method,
        path: loggedPath(routedPath(req.originalUrl) ?? '/…'),
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      })
    })
    next()
  }
}
