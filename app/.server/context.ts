/**
 * What the server hands every loader and action: the databases and the configuration. Passing them in
 * (instead of importing a module-level singleton) lets tests call loaders against their own database.
 */
import type { DB } from '#db/client.ts'
import type { AppConfig } from './env.ts'
import type { RateLimiter } from './rate-limit.ts'

export interface HailongContext {
  /** The primary: every write, and every read that must see what this user just wrote (sessions, admin pages). */
  db: DB
  /**
   * Where analytics read (scores, drivers, themes, exports, published releases): a streaming replica when
   * DATABASE_READ_URL names one, else a read-only pool or connection on the primary, so long reads never
   * hold up survey submissions. It may lag the primary (docs/decisions/0056-analytics-read-from-a-replica.md).
   */
  readDb: DB
  config: AppConfig
  rateLimiter: RateLimiter
  /** The client address as the trusted-proxy setting resolves it; used only for keyed rate-limit hashes. */
  clientAddress: string
  /** This response's Content-Security-Policy nonce, which the page's inline scripts must carry. */
  cspNonce?: string
  /**
   * The outcome of a survey form's action when the server's direct path (scripts/server/app.ts) already
   * ran it and the answer was not a redirect: Remix then renders the page from this outcome instead of
   * running the action a second time, which would count the attempt twice.
   */
  settledSurveyAction?: SettledAction
}

export type SettledAction = { returned: unknown } | { thrown: unknown }

declare module '@remix-run/node' {
  interface AppLoadContext extends HailongContext {}
}
