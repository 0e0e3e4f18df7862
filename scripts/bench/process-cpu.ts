/**
 * CPU time of processes under load, read from /proc: steadier than requests per second on a shared
 * machine, where other work takes cores away but does not add to our processes' own CPU time.
 */
import fs from 'node:fs'
import pg from 'pg'

/** The process's CPU time so far (user and system), in seconds; 0 once it has exited. */
export function cpuSeconds(pid: number): number {
  let stat: string
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return 0
  }
  // The fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Samples the CPU time of a set of processes that may change between samples (a pool's backends). */
export interface CpuMeter {
  /** CPU seconds spent since the last call (or since the meter was made), by the processes seen then or now. */
  sample(): Promise<number>
  close(): Promise<void>
}

/** A meter of one process. */
export function processMeter(pid: number): CpuMeter {
  let last = cpuSeconds(pid)
  return {
    async sample() {
      const now = cpuSeconds(pid)
      const spent = now - last
      last = now
      return spent
    },
    async close() {},
  }
}

/**
 * A meter of the PostgreSQL backends serving one database (on this machine), found in pg_stat_activity at
 * each sample. A backend that started since the last sample counts in full; one that exited since is lost,
 * which a busy pool rarely does within a load level.
 */
export async function postgresBackendsMeter(url: string): Promise<CpuMeter> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const database = decodeURIComponent(new URL(url).pathname.slice(1))
  const backends = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    )
    return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]))
  }
  let last = await backends()
  return {
    async sample() {
      const now = await backends()
      let spent = 0
      for (const [pid, seconds] of now) spent += seconds - (last.get(pid) ?? 0)
      last = now
      return spent
    },
    close: () => client.end(),
  }
}
