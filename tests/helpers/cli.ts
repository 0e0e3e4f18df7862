/** Runs the real `hailong` command line in a child process. */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT } from './server.ts'

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/hailong.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
