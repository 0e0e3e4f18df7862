/**
 * Sign-in's findings of issue 15, replayed: the open redirect (15.2), the lockout of any account
 * (15.3), sign-ins starving the survey (15.1), the password rules (15.7) and the password change that
 * dropped its cookie (15.9).
 *
 * Failed attempts are sent with X-Forwarded-For addresses from the benchmarking range (198.18.0.0/15):
 * a server that trusts its loopback proxy (the default) counts them against those networks, not against
 * the checker's own address, so the other checks can still sign in. This area runs last for the same
 * reason: a password change ends every session of the user, the runner's cached one included.
 */
import crypto from 'node:crypto'
import { type CheckTarget, fixedIf, type SecurityCheck, skipped } from '../check.ts'

interface Answer {
  status: number
  location: string | null
  retryAfter: string | null
  cookies: string[]
  body: string
}

const randomNetwork = () => `198.${18 + crypto.randomInt(2)}.${crypto.randomInt(256)}.${1 + crypto.randomInt(254)}`

async function send(
  target: CheckTarget,
  path: string,
  options: { fields?: Record<string, string>; cookie?: string; from?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Origin: target.url }
  if (options.cookie) headers.Cookie = options.cookie
  if (options.from) headers['X-Forwarded-For'] = options.from
  if (options.fields) headers['Content-Type'] = 'application/x-www-form-urlencoded'
  const res = await fetch(`${target.url}${path}`, {
    method: options.fields ? 'POST' : 'GET',
    headers,
    body: options.fields ? new URLSearchParams(options.fields).toString() : undefined,
    redirect: 'manual',
  })
  return {
    status: res.status,
    location: res.headers.get('location'),
    retryAfter: res.headers.get('retry-after'),
    cookies: res.headers.getSetCookie().map((c) => c.split(';')[0]!),
    body: await res.text(),
  }
}

const cookieNamed = (answer: Answer, name: string) => answer.cookies.find((c) => c.startsWith(`${name}=`)) ?? null

const signInAnswer = (target: CheckTarget, email: string, password: string, extra: Record<string, string> = {}) =>
  send(target, '/login', { fields: { email, password, ...extra }, from: extra.from })

/**
 * Signs in as a person would after an earlier check's failures: if told to wait (at most a minute), waits
 * and tries once more.
 */
async function signInPatiently(target: CheckTarget, email: string, password: string, from: string) {
  const first = await signInAnswer(target, email, password, { from })
  const wait = Number(first.retryAfter)
  if (first.status !== 429 || !first.retryAfter || !(wait <= 60)) return first
  await sleep(wait * 1000 + 250)
  return signInAnswer(target, email, password, { from })
}

/** Where a browser would go: it drops tabs and newlines from a Location before resolving it. */
function leavesSite(target: CheckTarget, location: string | null): boolean {
  if (!location) return false
  return new URL(location.replace(/[\t\n\r]/g, ''), target.url).origin !== new URL(target.url).origin
}

const OFF_SITE = '/\t/evil.example/x'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const checks: SecurityCheck[] = [
  {
    id: 'login-redirect-form',
    finding: '15.2',
    title: 'sign in with redirectTo=/<TAB>/evil.example/x in the form',
    async run(target) {
      const user = target.credentials
      if (!user) return skipped('nobody to sign in as (--email/--password)')
      const answer = await signInAnswer(target, user.email, user.password, { redirectTo: OFF_SITE })
      if (answer.status !== 302) return fixedIf(false, `sign-in answered ${answer.status}`)
      return fixedIf(!leavesSite(target, answer.location), `302 to ${JSON.stringify(answer.location)}`)
    },
  },
  {
    id: 'login-redirect-query',
    finding: '15.2',
    title: 'signed in, open /login?redirectTo=/<TAB>/evil.example/x',
    async run(target) {
      const cookie = await target.signedIn()
      if (!cookie) return skipped('nobody to sign in as (--email/--password)')
      const answer = await send(target, `/login?redirectTo=${encodeURIComponent(OFF_SITE)}`, { cookie })
      return fixedIf(
        answer.status === 302 && !leavesSite(target, answer.location),
        `${answer.status} to ${JSON.stringify(answer.location)}`,
      )
    },
  },
  {
    id: 'no-lockout',
    finding: '15.3',
    title: 'five wrong passwords from five addresses, then the owner signs in',
    async run(target) {
      const user = target.credentials
      if (!user) return skipped('nobody to sign in as (--email/--password)')
      for (let i = 0; i < 5; i++)
        await signInAnswer(target, user.email, `sai-${i}-${randomNetwork()}`, { from: randomNetwork() })
      const owner = randomNetwork()
      let answer = await signInAnswer(target, user.email, user.password, { from: owner })
      if (answer.status === 302) return fixedIf(true, 'signed in at once after five failures')
      const wait = Number(answer.retryAfter)
      // The old lockout lasted 15 minutes and said nothing of when to come back.
      if (answer.status !== 429 || !answer.retryAfter || !(wait <= 60))
        return fixedIf(false, `answered ${answer.status}, Retry-After ${answer.retryAfter ?? 'none'}`)
      await sleep(wait * 1000 + 250)
      answer = await signInAnswer(target, user.email, user.password, { from: owner })
      return fixedIf(answer.status === 302, `429 with Retry-After ${wait} s, then ${answer.status} after waiting`)
    },
  },
  {
    id: 'known-device',
    finding: '15.3',
    title: 'failures from elsewhere do not slow a device that signed in before',
    async run(target) {
      const user = target.credentials
      if (!user) return skipped('nobody to sign in as (--email/--password)')
      const home = randomNetwork()
      const first = await signInPatiently(target, user.email, user.password, home)
      const device = cookieNamed(first, 'hl_device')
      if (first.status !== 302 || !device) return fixedIf(false, `sign-in ${first.status}, no device cookie`)
      for (let i = 0; i < 6; i++) await signInAnswer(target, user.email, `sai-${i}`, { from: randomNetwork() })
      const stranger = await signInAnswer(target, user.email, user.password, { from: home })
      const known = await send(target, '/login', {
        fields: { email: user.email, password: user.password },
        cookie: device,
        from: home,
      })
      return fixedIf(
        known.status === 302,
        `after six failures elsewhere: without the device cookie ${stranger.status}, with it ${known.status}`,
      )
    },
  },
  {
    id: 'current-password-throttle',
    finding: '15.7',
    title: 'guessing the current password on the account page',
    async run(target) {
      const user = target.credentials
      if (!user) return skipped('nobody to sign in as (--email/--password)')
      const from = randomNetwork()
      const signedIn = await signInPatiently(target, user.email, user.password, from)
      const cookie = [cookieNamed(signedIn, 'hl_session'), cookieNamed(signedIn, 'hl_device')]
        .filter(Boolean)
        .join('; ')
      const statuses: number[] = []
      // A strong new password, so the answer is about the current one; a wrong current one changes nothing.
      const fresh = `Ải Chi Lăng ${crypto.randomBytes(6).toString('hex')}`
      for (let i = 0; i < 9 && !statuses.includes(429); i++) {
        const answer = await send(target, '/account/password', {
          fields: { current: `sai-${i}-${fresh}`, password: fresh, confirm: fresh },
          cookie,
          from,
        })
        statuses.push(answer.status)
      }
      return fixedIf(statuses.includes(429), `answers: ${statuses.join(' ')}`)
    },
  },
  {
    id: 'common-password',
    finding: '15.7',
    title: 'choose "1234567890" as the new password',
    async run(target) {
      const cookie = await target.signedIn()
      if (!cookie) return skipped('nobody to sign in as (--email/--password)')
      // The current password is wrong on purpose: an unfixed server must not end up with this password.
      const answer = await send(target, '/account/password?lng=en', {
        fields: {
          current: `sai-${crypto.randomBytes(4).toString('hex')}`,
          password: '1234567890',
          confirm: '1234567890',
        },
        cookie,
        from: randomNetwork(),
      })
      const refused = /too common|quá phổ biến/i.test(answer.body)
      return fixedIf(
        answer.status === 400 && refused,
        `${answer.status}, ${refused ? 'refused as common' : 'not refused as common'}`,
      )
    },
  },
  {
    id: 'password-change-cookie',
    finding: '15.9',
    title: 'change the password through the form without JavaScript',
    async run(target) {
      const user = target.credentials
      if (!user) return skipped('nobody to sign in as (--email/--password)')
      // It changes the password (and back) and ends the user's sessions: only on a server of our own.
      if (!target.output) return skipped('changes the password: only on a server the check started')
      const change = async (current: string, next: string) => {
        const signedIn = await signInPatiently(target, user.email, current, randomNetwork())
        const cookie = cookieNamed(signedIn, 'hl_session')
        if (!cookie) return { ok: false, measured: `could not sign in (${signedIn.status})` }
        const answer = await send(target, '/account/password', {
          fields: { current, password: next, confirm: next },
          cookie,
        })
        const renewed = cookieNamed(answer, 'hl_session')
        const page = renewed ? await send(target, answer.location ?? '/account/password', { cookie: renewed }) : null
        return {
          ok: !!renewed && page?.status === 200,
          measured: `${answer.status} to ${answer.location ?? '-'}, ${renewed ? 'new cookie' : 'no cookie'}, then ${page?.status ?? '-'}`,
        }
      }
      const temporary = `Đổi tạm ${crypto.randomBytes(8).toString('hex')}`
      const there = await change(user.password, temporary)
      // Back to the password the runner knows, whatever the first change did.
      const back = await change(temporary, user.password)
      return fixedIf(there.ok && back.ok, `${there.measured}; back: ${back.measured}`)
    },
  },
  {
    id: 'sign-in-flood',
    finding: '15.1',
    title: '40 sign-ins a second for 5 s (unknown e-mails, rotating addresses) vs survey latency',
    async run(target) {
      const survey = await target.surveyLink()
      const timeSurvey = async () => {
        const started = performance.now()
        await (await fetch(`${target.url}${survey}`)).arrayBuffer()
        return performance.now() - started
      }
      const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? 0
      const baseline: number[] = []
      for (let i = 0; i < 10; i++) baseline.push(await timeSurvey())
      const answers = new Map<number, number>()
      const flood: Promise<void>[] = []
      // The sign-ins go out on their own clock (one every 25 ms), whatever the survey page takes.
      const sender = setInterval(() => {
        const email = `khong-co-${crypto.randomBytes(6).toString('hex')}@example.vn`
        flood.push(
          signInAnswer(target, email, 'sai-mat-khau', { from: randomNetwork() }).then((a) => {
            answers.set(a.status, (answers.get(a.status) ?? 0) + 1)
          }),
        )
      }, 25)
      const during: number[] = []
      const started = performance.now()
      try {
        while (performance.now() - started < 5_000) {
          during.push(await timeSurvey())
          await sleep(50)
        }
      } finally {
        clearInterval(sender)
      }
      const sent = flood.length
      await Promise.all(flood)
      const before = p90(baseline)
      const meanwhile = p90(during)
      const counts = [...answers].map(([status, n]) => `${n}×${status}`).join(', ')
      return fixedIf(
        // Before the gate, 39 sign-ins a second took the survey from 31 ms to 1.1 s.
        meanwhile <= Math.max(500, 5 * before),
        `survey p90 ${before.toFixed(0)} ms before, ${meanwhile.toFixed(0)} ms during ${sent} sign-ins (${counts})`,
      )
    },
  },
]
