export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  readStdin(): Promise<string>
  env: NodeJS.ProcessEnv
  cwd: string
}
/** Bad arguments or input the user can fix: printed as a message, exit status 2. */
export class UsageError extends Error {}
export interface Command {
  name: string
  summary: string
  usage: string
  run(argv: string[], io: CliIO): Promise<number>
}
