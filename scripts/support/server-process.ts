/**
 * Starts the real server as a child process on a free port with its own database, and waits until it
 * answers /healthz: the production server on the built app (`npm start`), or the development server
 * (`npm run dev`, Vite in middleware mode). Used by tests, benchmarks and the crash test.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { SERVER_NODE_FLAGS } from '../server-flags.ts'
import { freePort } from './free-port.ts'
import { ROOT } from './root.ts'
import { tempDir } from './temp-dir.ts'

export interface RunningServer {
  url: string
  pid: number
  port: number
  databaseFile: string
  dir: string
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface StartOptions {
  /** `npm run dev` instead of the built production server. */
  dev?: boolean
  /** The folder for the database and the server secret (a restart after a crash reuses it); else a new one. */
  dir?: string
}

export async function startServer(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const port = await freePort()
  const dir = options.dir ?? tempDir('hailong-server-')
  const databaseFile = env.DATABASE_URL ?? path.join(dir, 'server.sqlite')
  const command = options.dev ? ['scripts/dev.mjs'] : [...SERVER_NODE_FLAGS, 'scripts/start.mjs']
  let output = ''
  const child: ChildProcess = spawn(process.execPath, command, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseFile,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      NODE_ENV: options.dev ? 'development' : 'production',
      // Tests, benchmarks and the crash test count responses: their servers seed the demo province without
      // its synthetic history unless they ask for it.
      HAILONG_DEMO_RESPONSES: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  // The development server's first request waits for Vite to transform the server build.
  const deadline = Date.now() + (options.dev ? 120_000 : 60_000)
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not become healthy:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    pid: child.pid!,
    port,
    databaseFile,
    dir,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode)
        child.once('exit', (code) => resolve(code))
        child.kill(signal)
      }),
  }
}
