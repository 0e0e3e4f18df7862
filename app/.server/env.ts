/**
 * Configuration from the environment, checked once with zod so a typo fails at boot with a clear message.
 * The server secret (keyed hashes, cookies) comes from HAILONG_SECRET; without it, one is generated on
 * first start and kept next to the database, so links and sessions survive restarts.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { BurstSettings } from '#app/domain/anti-rigging/bursts.ts'
import { databaseConfig, type DatabaseConfig, readReplicaWithoutPostgres } from '#db/config.ts'

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  HAILONG_SECRET: z.string().min(32, 'HAILONG_SECRET must be at least 32 characters').optional(),
  RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_PER_CLIENT: z.coerce.number().int().positive().default(20),
  RATE_LIMIT_PER_LINK: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(600),
  TRUST_PROXY: z.string().default('loopback'),
  /** How long a survey page's form token stays valid: long enough to fill the form at a counter. */
  FORM_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 3600),
  /** Client networks (docs/anti-rigging.md): one household or office is one network, not one address. */
  NETWORK_PREFIX_V4: z.coerce.number().int().min(8).max(32).default(32),
  NETWORK_PREFIX_V6: z.coerce.number().int().min(16).max(128).default(64),
  /** Responses counted per network per link; the rest are stored quarantined, never refused. */
  NETWORK_CAP_PER_HOUR: z.coerce.number().int().positive().default(10),
  NETWORK_CAP_PER_DAY: z.coerce.number().int().positive().default(30),
  /** Survey pages one network may fetch per link per hour before it alone is answered 429. */
  NETWORK_BLOCK_PER_HOUR: z.coerce.number().int().positive().default(1000),
  /** Bursts and shifts flagged on the admin home (docs/anti-rigging.md): the window, its history, thresholds. */
  BURST_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  BURST_HISTORY_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  BURST_MIN_RESPONSES: z.coerce.number().int().min(1).default(15),
  BURST_P_VALUE: z.coerce.number().gt(0, 'must be a probability above 0').lt(1, 'must be below 1').default(1e-6),
  SHIFT_P_VALUE: z.coerce.number().gt(0, 'must be a probability above 0').lt(1, 'must be below 1').default(1e-6),
  /** Sites that may show the citizen survey in a frame (an agency's portal, a kiosk shell), space-separated. */
  SURVEY_FRAME_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = value.split(/[\s,]+/).filter(Boolean)
      for (const origin of origins)
        if (!isOrigin(origin))
          ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://portal.example.gov.vn` })
      return origins.filter(isOrigin).map((origin) => new URL(origin).origin)
    }),
  /** Months a response keeps its free text and profile answers before `hailong purge` removes them. */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(600).default(24),
  /** Who citizens write to about their data (an office, an address, a phone), shown on the privacy notice. */
  PRIVACY_CONTACT: z.string().trim().default(''),
  /** The province's hotline or feedback channel, shown to citizens on the thank-you page. */
  FEEDBACK_CONTACT: z.string().trim().max(200).default(''),
  /** Synthetic responses seeded with the demo province on a fresh database (docs/operations.md); 0: none. */
  HAILONG_DEMO_RESPONSES: z.coerce.number().int().min(0).max(200_000).default(15_000),
  /** The digest webhook (ADR 0052): private and loopback targets are refused unless allowed here. */
  WEBHOOK_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  NODE_ENV: z.string().default('production'),
})

/**
 * HAILONG_DEMO_RESPONSES alone, for the command line (which reads no other server setting): how many
 * synthetic responses `hailong seed` seeds with a new demo province.
 */
export function demoResponsesSetting(env: Record<string, string | undefined> = process.env): number {
  const parsed = schema.shape.HAILONG_DEMO_RESPONSES.safeParse(env.HAILONG_DEMO_RESPONSES)
  if (!parsed.success) throw new ConfigError(`HAILONG_DEMO_RESPONSES: ${parsed.error.issues[0]?.message}`)
  return parsed.data
}

export interface AppConfig {
  port: number
  host: string
  publicUrl: string
  secret: string
  database: DatabaseConfig
  rateLimit: { enabled: boolean; perClient: number; perLink: number; windowSeconds: number }
  trustProxy: string
  /** Form tokens and per-network caps; caps follow RATE_LIMIT (off for benchmarks and most tests). */
  antiRigging: {
    tokenTtlSeconds: number
    prefixV4: number
    prefixV6: number
    capsEnabled: boolean
    perHour: number
    perDay: number
    blockPerHour: number
  }
  /** Thresholds of the burst and shift flags on the admin home. */
  linkFlags: BurstSettings
  /** Origins allowed to frame the survey pages; none by default, so only this site may. */
  surveyFrameOrigins: string[]
  /** Decree 13/2023: how long personal answers are kept, and whom to contact about them. */
  privacy: { retentionMonths: number; contact: string }
  /** Where a citizen can call or write after rating (a hotline, a feedback portal); empty: not shown. */
  feedbackContact: string
  /** Synthetic responses seeded with the demo province when it is first seeded. */
  demoResponses: number
  /** The digest webhook's delivery (ADR 0052). */
  webhooks: { allowPrivate: boolean; timeoutMs: number }
  production: boolean
}

export class ConfigError extends Error {}

/** A bare http(s) origin, as it appears in a CSP source list: no path, query, wildcard or credentials. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    const plain = !url.hostname.includes('*') && url.origin === value.replace(/\/$/, '')
    return (url.protocol === 'https:' || url.protocol === 'http:') && plain
  } catch {
    return false
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'))
  }
  const e = parsed.data
  const database = databaseConfig(env, cwd)
  const replicaError = readReplicaWithoutPostgres(env, database)
  if (replicaError) throw new ConfigError(replicaError)
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secret: e.HAILONG_SECRET ?? persistentSecret(database, cwd),
    database,
    rateLimit: {
      enabled: e.RATE_LIMIT === 'on',
      perClient: e.RATE_LIMIT_PER_CLIENT,
      perLink: e.RATE_LIMIT_PER_LINK,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
    },
    trustProxy: e.TRUST_PROXY,
    antiRigging: {
      tokenTtlSeconds: e.FORM_TOKEN_TTL_SECONDS,
      prefixV4: e.NETWORK_PREFIX_V4,
      prefixV6: e.NETWORK_PREFIX_V6,
      capsEnabled: e.RATE_LIMIT === 'on',
      perHour: e.NETWORK_CAP_PER_HOUR,
      perDay: e.NETWORK_CAP_PER_DAY,
      blockPerHour: e.NETWORK_BLOCK_PER_HOUR,
    },
    linkFlags: {
      windowMinutes: e.BURST_WINDOW_MINUTES,
      historyDays: e.BURST_HISTORY_DAYS,
      minResponses: e.BURST_MIN_RESPONSES,
      burstPValue: e.BURST_P_VALUE,
      shiftPValue: e.SHIFT_P_VALUE,
    },
    surveyFrameOrigins: e.SURVEY_FRAME_ORIGINS,
    privacy: { retentionMonths: e.RETENTION_MONTHS, contact: e.PRIVACY_CONTACT },
    feedbackContact: e.FEEDBACK_CONTACT,
    demoResponses: e.HAILONG_DEMO_RESPONSES,
    webhooks: { allowPrivate: e.WEBHOOK_ALLOW_PRIVATE === 'on', timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000 },
    production: e.NODE_ENV === 'production',
  }
}

function persistentSecret(database: DatabaseConfig, cwd: string): string {
  const dir =
    database.dialect === 'sqlite' && database.file !== ':memory:'
      ? path.dirname(database.file)
      : path.resolve(cwd, 'data')
  const file = path.join(dir, '.hailong-secret')
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    const secret = crypto.randomBytes(32).toString('hex')
    fs.mkdirSync(dir, { recursive: true })
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      // Another process (the CLI next to the server) wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    return fs.readFileSync(file, 'utf8').trim()
  }
}
