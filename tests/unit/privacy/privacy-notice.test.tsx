/**
 * The privacy notice (/quyen-rieng-tu) in both languages: purpose, what is kept, the retention period and the
 * contact from the configuration, and the rights Decree 13/2023 gives.
 */
import type { AppLoadContext } from '@remix-run/node'
import i18next from 'i18next'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '#app/.server/env.ts'
import { resources } from '#app/i18n/config.ts'
import PrivacyNotice, { loader } from '#app/routes/quyen-rieng-tu.tsx'

const base = { NODE_ENV: 'test' as const, DATABASE_URL: ':memory:', HAILONG_SECRET: 'x'.repeat(32) }

async function notice(lng: 'vi' | 'en', env: Record<string, string> = {}) {
  const context = { config: loadConfig({ ...base, ...env }) } as unknown as AppLoadContext
  const request = new Request('http://localhost/quyen-rieng-tu', { headers: { 'Accept-Language': lng } })
  const data = await loader({ context, request, params: {} })
  const routes = [{ id: 'notice', path: '/quyen-rieng-tu', element: <PrivacyNotice />, loader: () => data }]
  const handler = createStaticHandler(routes)
  const routerContext = await handler.query(request)
  if (routerContext instanceof Response) throw new Error('unexpected redirect')
  const i18n = i18next.createInstance()
  await i18n.init({ lng, resources, defaultNS: 'survey', interpolation: { escapeValue: false } })
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <StaticRouterProvider
        router={createStaticRouter(handler.dataRoutes, routerContext)}
        context={routerContext}
        hydrate={false}
      />
    </I18nextProvider>,
  )
  return { data, html }
}

describe('the privacy notice', () => {
  it('states purpose, data kept, retention, contact and rights in Vietnamese', async () => {
    const { data, html } = await notice('vi', { RETENTION_MONTHS: '18', PRIVACY_CONTACT: 'Văn phòng UBND tỉnh' })
    expect(data.title).toBe('Thông báo về xử lý dữ liệu cá nhân')
    expect(html).toContain('Nghị định 13/2023/NĐ-CP')
    expect(html).toContain('Mục đích')
    expect(html).toContain('được che đi trước khi lưu')
    expect(html).toContain('được lưu 18 tháng')
    expect(html).toContain('Văn phòng UBND tỉnh')
    expect(html).toContain('Yêu cầu xoá dữ liệu của mình.')
    expect(html).toContain('Rút lại sự đồng ý.')
  })

  it('falls back to the agency that invited the citizen when no contact is configured', async () => {
    const { html } = await notice('vi')
    expect(html).toContain('được lưu 24 tháng')
    expect(html).toContain('bộ phận một cửa')
  })

  it('reads the same in English', async () => {
    const { data, html } = await notice('en', { RETENTION_MONTHS: '12', PRIVACY_CONTACT: 'privacy@anlac.gov.vn' })
    expect(data.title).toBe('How we process personal data')
    expect(html).toContain('kept for 12 months')
    expect(html).toContain('privacy@anlac.gov.vn')
    expect(html).toContain('To ask for your data to be deleted.')
  })
})
