/**
 * A query built and compiled once, then run with new parameters. Kysely builds an operation tree and
 * compiles it to SQL on every call; for the statement a busy morning runs once per citizen, that costs
 * several times what SQLite takes to run it. The compiled SQL depends only on the dialect, so it is kept
 * per dialect and shared by every handle and transaction.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely'
import { markPrepared } from './prepared-statements.ts'

/** Stands for the k-th argument while the query is built; never reaches a database. */
class Slot {
  constructor(readonly index: number) {}
}

interface Template {
  compiled: CompiledQuery
  /** For each parameter of the compiled query: the argument it takes, or -1 for a constant. */
  slots: number[]
}

/**
 * `build` receives stand-ins for the arguments and must use each as a plain value (`where(c, '=', x)`,
 * an inserted value), not as a list or inside a function: Kysely must pass it through untouched.
 */
export function reusableQuery<DB, Args extends unknown[], Row>(
  build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>,
) {
  const templates = new Map<unknown, Template>()

  function template(db: Kysely<DB>, arity: number): Template {
    const dialect = db.getExecutor().adapter.constructor
    let found = templates.get(dialect)
    if (!found) {
      const stand = Array.from({ length: arity }, (_, k) => new Slot(k)) as unknown as Args
      const compiled = build(db, ...stand).compile()
      const slots = compiled.parameters.map((p) => (p instanceof Slot ? p.index : -1))
      for (let k = 0; k < arity; k++)
        if (!slots.includes(k))
          throw new Error(`reusableQuery: argument ${k + 1} does not reach the compiled query as a value`)
      // Prepared on PostgreSQL: such a query runs often, and its text never changes (ADR 0066).
      found = { compiled: CompiledQuery.raw(markPrepared(compiled.sql), [...compiled.parameters]), slots }
      templates.set(dialect, found)
    }
    return found
  }

  return async (db: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    const { compiled, slots } = template(db, args.length)
    const parameters = slots.map((slot, i) => (slot < 0 ? compiled.parameters[i] : args[slot]))
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters))
    return result.rows
  }
}
