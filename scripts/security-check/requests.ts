/**
 * Requests no browser sends, for the security check and the tests: a body streamed without a length
 * for as long as the server takes it, a body trickled a byte at a time, headers that never end. Each
 * reports what the server answered and how much it let through before it cut the connection.
 */
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'

export interface FloodResult {
  /** The status the server answered with, or null when it closed without an answer. */
  status: number | null
  body: string
  /** Bytes of body handed to the socket before the server answered or closed it. */
  written: number
  /** How the exchange ended: "answered" or the socket error's code. */
  ended: string
}

/**
 * POSTs up to `totalBytes` of `pattern` repeated (`a=a&a=a&…`) as a chunked body (no Content-Length), as fast as the server reads
 * it, and stops writing as soon as the server answers. `written` then says how much the server let in
 * (plus what the kernels' buffers held).
 */
export function floodChunked(
  url: string,
  totalBytes: number,
  headers: Record<string, string> = {},
  chunkBytes = 64 * 1024,
  pattern = 'a=a&',
): Promise<FloodResult> {
  const chunk = Buffer.alloc(chunkBytes, pattern)
  const target = new URL(url)
  return new Promise((resolve) => {
    let written = 0
    let status: number | null = null
    let body = ''
    let settled = false
    const settle = (ended: string) => {
      if (settled) return
      settled = true
      request.destroy()
      resolve({ status, body, written, ended })
    }
    const request = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked', ...headers },
    })
    request.on('response', (response) => {
      status = response.statusCode ?? null
      response.setEncoding('utf8')
      response.on('data', (text: string) => {
        body += text
      })
      response.on('end', () => settle('answered'))
      response.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? 'error'))
    })
    // A reset can overtake an answer already on its way: give it a moment to be read.
    request.on('error', (error: NodeJS.ErrnoException) => setTimeout(() => settle(error.code ?? 'error'), 100))
    const pump = () => {
      while (written < totalBytes && status === null && !settled) {
        written += chunk.length
        if (!request.write(chunk)) return void request.once('drain', pump)
      }
      if (status === null && !settled) request.end()
    }
    pump()
  })
}

export interface TrickleResult {
  /** The status line's code, or null when the server closed without answering. */
  status: number | null
  /** When the server closed the connection, from the first byte sent. */
  closedAfterMs: number
}

/**
 * Opens a connection and sends a request slowly: `headers: 'never-end'` sends header lines forever, else
 * the headers go at once and the chunked body gets one byte every `everyMs`. Gives up after `giveUpMs`.
 */
export function trickle(
  url: string,
  {
    path,
    everyMs,
    giveUpMs,
    headers = 'complete',
  }: { path: string; everyMs: number; giveUpMs: number; headers?: 'complete' | 'never-end' },
): Promise<TrickleResult> {
  const target = new URL(url)
  const started = Date.now()
  return new Promise((resolve) => {
    let answer = ''
    const socket = net.connect(Number(target.port), target.hostname, () => {
      const head = `POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
      socket.write(headers === 'never-end' ? head : `${head}Transfer-Encoding: chunked\r\n\r\n`)
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(headers === 'never-end' ? 'X-Slow: 1\r\n' : '1\r\na\r\n')
      }, everyMs)
      const giveUp = setTimeout(() => socket.destroy(), giveUpMs)
      socket.on('close', () => {
        clearInterval(timer)
        clearTimeout(giveUp)
        const code = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]
        resolve({ status: code ? Number(code) : null, closedAfterMs: Date.now() - started })
      })
    })
    socket.setEncoding('utf8')
    socket.on('data', (text: string) => {
      answer += text
    })
    socket.on('error', () => {})
  })
}

/** A process's resident memory in MiB (Linux), or null when it cannot be read. */
export function residentMiB(pid: number): number | null {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kib ? Number(kib) / 1024 : null
  } catch {
    return null
  }
}

/** Runs `work` while sampling the process's resident memory; how far it rose above where it started. */
export async function residentGrowthDuring<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; growthMiB: number | null; beforeMiB: number | null }> {
  const before = residentMiB(pid)
  let peak = before ?? 0
  const timer = setInterval(() => {
    peak = Math.max(peak, residentMiB(pid) ?? 0)
  }, 10)
  try {
    const result = await work()
    peak = Math.max(peak, residentMiB(pid) ?? 0)
    return { result, growthMiB: before === null ? null : peak - before, beforeMiB: before }
  } finally {
    clearInterval(timer)
  }
}

/** A Node stack frame ("    at fn (file.js:1:2)") in a body: what no answer to a visitor may carry. */
export const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+\)?/

export interface RawAnswer {
  /** 0 when the server closed without answering. */
  status: number
  /** Header names in lower case. */
  headers: Record<string, string>
  body: string
}

/**
 * Sends `text` as written, byte for byte, on a new connection and reads the answer until the server
 * closes it: for what fetch would correct first ("/s/../x", a bad Host, an absolute target). The text
 * should ask for `Connection: close`.
 */
export function rawRequest(url: string, text: string): Promise<RawAnswer> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = net.connect(Number(target.port), target.hostname, () => socket.write(text))
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
    })
    socket.on('close', () => {
      const end = answer.indexOf('\r\n\r\n')
      const [statusLine = '', ...lines] = answer.slice(0, end === -1 ? answer.length : end).split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
        headers,
        body: end === -1 ? '' : answer.slice(end + 4),
      })
    })
    socket.on('error', reject)
  })
}

/** A GET of `target` exactly as written. */
export function rawGet(url: string, target: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const host = new URL(url).host
  const lines = Object.entries({ Host: host, ...headers, Connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`)
  return rawRequest(url, `GET ${target} HTTP/1.1\r\n${lines.join('')}\r\n`)
}
