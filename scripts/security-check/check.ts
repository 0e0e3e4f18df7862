/**
 * What every check of `npm run security-check` is: one finding of an attack replayed against a running
 * server, judged fixed or not, with the number measured. Areas keep their checks in checks/<area>.ts.
 */

/** The server under check, and what the runner can do with it. */
export interface CheckTarget {
  /** Where it answers, without a trailing slash. */
  url: string
  /** Its PUBLIC_URL, when known (it decides HSTS, for one); else null. */
  publicUrl: string | null
  /** Its process id, when it runs on this machine (memory is measured then); else null. */
  pid: number | null
  /** What it has written to its output so far, when the runner started it; else null. */
  output: (() => string) | null
  /** A `Cookie` header of a signed-in user (an analyst of the whole province), or null when none can sign in. */
  signedIn: () => Promise<string | null>
  /** That user's e-mail and password, for checks that must sign in themselves (redirects, throttling); or null. */
  credentials: { email: string; password: string } | null
  /** The path of a survey link the home page offers (`/s/<code>`). */
  surveyLink: () => Promise<string>
}

export interface CheckOutcome {
  status: 'fixed' | 'NOT FIXED' | 'skipped'
  /** What was measured, in a few words with the numbers ("413 after 3.9 MiB sent; RSS +0.2 MiB"). */
  measured: string
}

export interface SecurityCheck {
  /** Short, unique, stable: "survey-body-memory". */
  id: string
  /** The finding it replays, as the issue numbers it ("15.1"). */
  finding: string
  /** The attack, in a few words. */
  title: string
  /** A check that mostly waits (slow clients) runs beside the others instead of before them. */
  parallel?: boolean
  run(target: CheckTarget): Promise<CheckOutcome>
}

export const fixedIf = (ok: boolean, measured: string): CheckOutcome => ({
  status: ok ? 'fixed' : 'NOT FIXED',
  measured,
})

export const skipped = (why: string): CheckOutcome => ({ status: 'skipped', measured: why })

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
