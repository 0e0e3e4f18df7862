/**
 * Finding 15.4 (personal data), replayed against a running server: the privacy notice is served with its
 * retention period, a survey page carries the hint and the link to it, and raw microdata goes neither to an
 * anonymous visitor nor to an analyst without the permission. Masking, export audits and the purge need the
 * database: tests/integration/privacy covers them on both databases.
 */
import { type CheckTarget, fixedIf, type SecurityCheck, skipped } from '../check.ts'

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { redirect: 'manual', headers: { 'Accept-Language': 'vi', ...headers } })
  return { status: response.status, body: await response.text() }
}

const RAW = '/analytics/responses/csv'

export const checks: SecurityCheck[] = [
  {
    id: 'privacy-notice',
    finding: '15.4',
    title: 'Privacy notice (Decree 13/2023) with purpose, retention and rights',
    async run(target: CheckTarget) {
      const notice = await get(`${target.url}/quyen-rieng-tu`)
      const months = /lưu (\d+) tháng/.exec(notice.body)?.[1]
      return fixedIf(
        notice.status === 200 && notice.body.includes('13/2023') && months !== undefined,
        `GET /quyen-rieng-tu → ${notice.status}${months ? `, retention ${months} months` : ''}`,
      )
    },
  },
  {
    id: 'privacy-survey-hint',
    finding: '15.4',
    title: 'Survey page asks for no phone/CCCD/e-mail and links the notice',
    async run(target: CheckTarget) {
      const link = await target.surveyLink()
      const survey = await get(`${target.url}${link}`)
      const hint = survey.body.includes('Xin đừng ghi số điện thoại')
      const notice = survey.body.includes('href="/quyen-rieng-tu"')
      return fixedIf(
        survey.status === 200 && hint && notice,
        `GET ${link} → ${survey.status}; hint ${hint}, link ${notice}`,
      )
    },
  },
  {
    id: 'privacy-raw-microdata',
    finding: '15.4',
    title: 'Raw microdata refused to anonymous visitors and to analysts without the permission',
    async run(target: CheckTarget) {
      const anonymous = await get(`${target.url}${RAW}`)
      const cookie = await target.signedIn()
      if (!cookie) return skipped(`anonymous → ${anonymous.status}; no analyst could sign in`)
      const analyst = await get(`${target.url}${RAW}`, { Cookie: cookie })
      return fixedIf(
        anonymous.status !== 200 && analyst.status === 403 && !analyst.body.includes('response_id'),
        `anonymous → ${anonymous.status}, analyst without the permission → ${analyst.status}`,
      )
    },
  },
]
