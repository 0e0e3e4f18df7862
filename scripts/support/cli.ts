/**
 * Runs a `hailong` command in this process, through the same `main(argv, io)` as the launcher, and
 * captures what it prints. A child process per command cost tests about a second each (tsx compiling
 * the CLI again); the one spawned smoke test of scripts/hailong.mjs covers the launcher itself.
 */
import { main } from '../cli/main.ts'
import { ROOT } from './root.ts'

export interface CliResult {
  status: number
  stdout: string
  stderr: string
}

export interface CliRun {
  /** Added to this process's environment, as a child process would inherit it; undefined unsets a variable. */
  env?: Record<string, string | undefined>
  /** What the command reads on standard input. */
  input?: string
  cwd?: string
}

export async function runCli(argv: string[], { env, input = '', cwd = ROOT }: CliRun = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  // As the process's writers do (scripts/cli/main.ts, processIO): each message ends a line.
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`)
  const status = await main(argv, {
    stdout: (text) => {
      stdout += line(text)
    },
    stderr: (text) => {
      stderr += line(text)
    },
    readStdin: async () => input,
    // As for the servers tests start (server-process.ts): a seeded demo has no synthetic history unless asked.
    env: { ...process.env, HAILONG_DEMO_RESPONSES: '0', ...env },
    cwd,
  })
  return { status, stdout, stderr }
}
