/**
 * What the survey says about personal data (Decree 13/2023): a hint in the suggestion box, anonymity wording
 * that is true for each way in, and a link to the privacy notice on the form and the thank-you page.
 */
import i18next from 'i18next'
import type { ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { describe, expect, it } from 'vitest'
import { ItemField } from '#app/components/survey/ItemField.tsx'
import { AnonymityNote, PRIVACY_NOTICE_PATH, PrivacyLink } from '#app/components/survey/PrivacyNote.tsx'
import { ThanksPage } from '#app/components/survey/ThanksPage.tsx'
import { resources } from '#app/i18n/config.ts'
import { surveyStrings, thanksStrings } from '#app/.server/page-strings.ts'
import { StringsProvider } from '#app/components/strings.tsx'
import type { ThanksPageData } from '#app/domain/survey/view.ts'

async function render(lng: 'vi' | 'en', node: ReactNode) {
  const i18n = i18next.createInstance()
  await i18n.init({ lng, resources, defaultNS: 'survey', interpolation: { escapeValue: false } })
  // The survey's components read the words the survey loader sends (ADR 0055); other pages read i18next.
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <StringsProvider strings={surveyStrings(lng)} lng={lng}>
        {node}
      </StringsProvider>
    </I18nextProvider>,
  )
}

const suggestion = {
  code: 'S.suggestion',
  role: 'suggestion',
  type: 'text',
  labelVi: 'Góp ý',
  labelEn: 'Suggestion',
  required: false,
  countsInIndex: false,
  satisfiedThreshold: null,
  options: null,
  maxLength: 1000,
} as const

describe('the suggestion box', () => {
  it.each([
    ['vi', 'Xin đừng ghi số điện thoại, số CCCD hay email'],
    ['en', 'Please do not write phone numbers, ID card numbers or e-mail addresses'],
  ] as const)('asks (%s) not to write personal data, in the hint tied to the box', async (lng, hint) => {
    const html = await render(
      lng,
      <ItemField item={suggestion} register={(name) => ({ name }) as never} initial={undefined} error={undefined} />,
    )
    expect(html).toMatch(new RegExp(`<span id="item-S-suggestion-hint" class="hint">${hint}`))
    expect(html).toContain('aria-describedby="item-S-suggestion-hint"')
  })

  it("writes the length limit with the language's thousands separator", async () => {
    const box = (
      <ItemField item={suggestion} register={(name) => ({ name }) as never} initial={undefined} error={undefined} />
    )
    expect(await render('vi', box)).toContain('Tối đa 1.000 ký tự')
    expect(await render('en', box)).toContain('Up to 1,000 characters')
  })
})

describe('anonymity wording', () => {
  it('says "Phiếu không yêu cầu ghi họ tên" on open links and kiosks', async () => {
    expect(await render('vi', <AnonymityNote kind="s" />)).toBe('<p class="hint">Phiếu không yêu cầu ghi họ tên.</p>')
    expect(await render('en', <AnonymityNote kind="s" />)).toContain('does not ask for your name')
  })

  it('says truthfully that an invitation is linked to the dossier, by a keyed hash, and why', async () => {
    const vi = await render('vi', <AnonymityNote kind="r" />)
    expect(vi).toContain('gắn với hồ sơ')
    expect(vi).toContain('mã băm có khoá')
    expect(vi).toContain('để mỗi hồ sơ')
    const en = await render('en', <AnonymityNote kind="r" />)
    expect(en).toContain('linked to the dossier')
    expect(en).not.toContain('anonymous')
    expect(vi).toContain('không yêu cầu ghi họ tên')
  })
})

describe('the privacy notice link', () => {
  it('points at the notice', async () => {
    expect(await render('vi', <PrivacyLink />)).toContain(`<a href="${PRIVACY_NOTICE_PATH}">`)
  })

  it('is on the thank-you page', async () => {
    const data: ThanksPageData = {
      agency: { nameVi: 'Sở Nội vụ', nameEn: 'Department of Home Affairs' },
      kiosk: false,
      surveyUrl: null,
      lng: 'vi',
      strings: thanksStrings('vi'),
    } as ThanksPageData
    const routes = [{ id: 'thanks', path: '/', element: <ThanksPage />, loader: () => data }]
    const handler = createStaticHandler(routes)
    const routerContext = await handler.query(new Request('http://localhost/'))
    if (routerContext instanceof Response) throw new Error('unexpected redirect')
    const router = createStaticRouter(handler.dataRoutes, routerContext)
    const html = await render('vi', <StaticRouterProvider router={router} context={routerContext} hydrate={false} />)
    expect(html).toContain('Sở Nội vụ')
    expect(html).toContain(`<a href="${PRIVACY_NOTICE_PATH}">`)
  })
})
