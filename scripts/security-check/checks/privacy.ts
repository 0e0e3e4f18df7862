/**
 * Finding 4 of issue 15 (personal data), replayed against a running server without credentials: the privacy
 * notice is served with its retention period, a survey page carries the hint and the link to it, and raw
 * microdata is not handed to an anonymous visitor. Masking, the microdata permission, export audits and the
 * purge need a database and accounts: tests/integration/privacy covers them on both databases.
 */

export interface PrivacyCheck {
  finding: string
  fixed: boolean
  detail: string
}

async function text(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { redirect: 'manual', ...init })
  return { status: response.status, body: await response.text() }
}

export async function checkPrivacy(baseUrl: string): Promise<PrivacyCheck[]> {
  const base = baseUrl.replace(/\/+$/, '')
  const results: PrivacyCheck[] = []

  const notice = await text(`${base}/quyen-rieng-tu`, { headers: { 'Accept-Language': 'vi' } })
  const months = /lưu (\d+) tháng/.exec(notice.body)?.[1]
  results.push({
    finding: '4. Privacy notice (Decree 13/2023) with purpose, retention and rights',
    fixed: notice.status === 200 && notice.body.includes('13/2023') && months !== undefined,
    detail: `GET /quyen-rieng-tu → ${notice.status}${months ? `, retention ${months} months` : ''}`,
  })

  const home = await text(`${base}/`, { headers: { 'Accept-Language': 'vi' } })
  const link = /href="(\/s\/[^"?#]+)"/.exec(home.body)?.[1]
  if (link) {
    const survey = await text(`${base}${link}`, { headers: { 'Accept-Language': 'vi' } })
    results.push({
      finding: '4. Survey page: personal-data hint and privacy notice link',
      fixed:
        survey.status === 200 &&
        survey.body.includes('Xin đừng ghi số điện thoại') &&
        survey.body.includes('href="/quyen-rieng-tu"'),
      detail: `GET ${link} → ${survey.status}`,
    })
  } else {
    results.push({
      finding: '4. Survey page: personal-data hint and privacy notice link',
      fixed: false,
      detail: 'no survey link on the home page to try (seed the demo province)',
    })
  }

  const raw = await text(`${base}/analytics/responses/csv`)
  results.push({
    finding: '4. Raw microdata not served without a signed-in, permitted user',
    fixed: raw.status !== 200 && !raw.body.includes('response_id'),
    detail: `GET /analytics/responses/csv anonymously → ${raw.status}`,
  })
  return results
}
