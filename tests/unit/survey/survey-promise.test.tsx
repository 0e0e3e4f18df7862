/**
 * A survey that keeps its promise (issue #18 item 3), the pure parts and what the pages say: the time
 * promise computed from the items, the error summary that counts missing answers and links to the first,
 * the short SIPAS form, the thank-you page's reference and hotline, and error pages in plain words.
 */
import i18next from 'i18next'
import type { ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { describe, expect, it } from 'vitest'
import { RESPONSE_REFERENCE, responseReference } from '#app/.server/codes.ts'
import { rootStrings, surveyStrings, thanksStrings } from '#app/.server/page-strings.ts'
import { StringsProvider } from '#app/components/strings.tsx'
import { SurveyForm } from '#app/components/survey/SurveyForm.tsx'
import { SurveyPage } from '#app/components/survey/SurveyPage.tsx'
import { ThanksPage } from '#app/components/survey/ThanksPage.tsx'
import {
  allItems,
  type QuestionnaireDefinition,
  questionnaireDefinitionSchema,
} from '#app/domain/questionnaire/definition.ts'
import { DOSSIER_RATING, DOSSIER_RATING_V1 } from '#app/domain/questionnaire/templates/dossier-rating.ts'
import { SIPAS_2017 } from '#app/domain/questionnaire/templates/sipas2017.ts'
import { SIPAS_SHORT, SIPAS_SHORT_MAX_ITEMS } from '#app/domain/questionnaire/templates/sipas-short.ts'
import { respondentComposites } from '#app/domain/scoring/contributions.ts'
import { summariseErrors } from '#app/domain/survey/error-summary.ts'
import { fieldName, validateAnswers } from '#app/domain/survey/response-schema.ts'
import { estimateSeconds, timePromise } from '#app/domain/survey/time-promise.ts'
import type { SurveyPageData, SurveyRejection, ThanksPageData } from '#app/domain/survey/view.ts'
import { resources } from '#app/i18n/config.ts'
import { ErrorBoundary } from '#app/root.tsx'

async function render(lng: 'vi' | 'en', node: ReactNode, defaultNS = 'survey') {
  const i18n = i18next.createInstance()
  await i18n.init({ lng, resources, defaultNS, interpolation: { escapeValue: false } })
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>)
}

/** The citizen's pages carry their words in their loader data (ADR 0055): the fixtures get the language's. */
function inLanguage(data: unknown, lng: 'vi' | 'en') {
  if (data && typeof data === 'object' && 'survey' in data) return { ...data, lng, strings: surveyStrings(lng) }
  if (data && typeof data === 'object' && 'agency' in data) return { ...data, lng, strings: thanksStrings(lng) }
  return data
}

/** Renders one route (its element or its error element) under the root's data, as the server would. */
async function renderRoute(lng: 'vi' | 'en', route: Record<string, unknown>, defaultNS = 'survey') {
  const { loader, ...rest } = route as { loader?: () => unknown }
  const handler = createStaticHandler([
    {
      id: 'root',
      path: '/',
      loader: () => ({ lng, user: null, strings: rootStrings(lng) }),
      children: [
        {
          id: 'page',
          index: true,
          ...rest,
          ...(loader ? { loader: async () => inLanguage(await loader(), lng) } : {}),
        },
      ],
    },
  ])
  const context = await handler.query(new Request('http://localhost/'))
  if (context instanceof Response) throw new Error('unexpected redirect')
  const router = createStaticRouter(handler.dataRoutes, context)
  return render(lng, <StaticRouterProvider router={router} context={context} hydrate={false} />, defaultNS)
}

function pageData(def: QuestionnaireDefinition, fixedProcedure = true): SurveyPageData {
  return {
    survey: {
      kind: 's',
      code: 'abc',
      kiosk: false,
      agency: { nameVi: 'UBND xã An Lạc', nameEn: 'An Lac Commune' },
      procedure: fixedProcedure ? { nameVi: 'Đăng ký khai sinh', nameEn: 'Birth registration' } : null,
      version: {
        versionId: 1,
        nameVi: def.nameVi,
        nameEn: def.nameEn,
        elements: def.elements,
        extraItems: def.extraItems,
      },
    },
    procedures: [],
    procedureQuery: '',
    submissionId: '00000000-0000-4000-8000-000000000000',
    formToken: 'token',
    lng: 'vi',
    strings: surveyStrings('vi'),
  }
}

describe('the time promise', () => {
  it('adds the seconds of each item, plus reading and choosing the procedure', () => {
    const one = [{ type: 'scale5', role: 'criterion' }] as const
    expect(estimateSeconds(one, true) - estimateSeconds(one, false)).toBeGreaterThan(0)
    expect(estimateSeconds([...one, ...one], false) - estimateSeconds(one, false)).toBe(8)
    // A profile question is quick to skip, a free text slow to write.
    expect(estimateSeconds([{ type: 'single', role: 'profile' }], false)).toBeLessThan(
      estimateSeconds([{ type: 'text', role: 'suggestion' }], false),
    )
  })

  it('promises several minutes for the full SIPAS form and "a few minutes" for the short one', () => {
    const full = timePromise(allItems(SIPAS_2017), true)
    expect(full).toEqual({ kind: 'about', minutes: Math.ceil(estimateSeconds(allItems(SIPAS_2017), true) / 60) })
    expect(full.kind === 'about' && full.minutes).toBeGreaterThanOrEqual(5)
    expect(timePromise(allItems(SIPAS_SHORT), true)).toEqual({ kind: 'brief' })
    expect(timePromise(allItems(DOSSIER_RATING_V1), false)).toEqual({ kind: 'about', minutes: 3 })
    // Version 2 asks only what a citizen knows (issue #18): short enough for "ít phút".
    expect(timePromise(allItems(DOSSIER_RATING), false)).toEqual({ kind: 'brief' })
  })

  it('is what the survey page says, in both languages, never "one minute" for the long form', async () => {
    const route = (def: QuestionnaireDefinition) => ({ element: <SurveyPage />, loader: () => pageData(def, false) })
    const full = timePromise(allItems(SIPAS_2017), true) as { minutes: number }
    const vi = await renderRoute('vi', route(SIPAS_2017))
    expect(vi).toContain(`Xin Ông/Bà dành khoảng ${full.minutes} phút cho biết`)
    expect(vi).not.toContain('một phút')
    expect(await renderRoute('en', route(SIPAS_2017))).toContain(`Please take about ${full.minutes} minutes to`)
    expect(await renderRoute('vi', route(SIPAS_SHORT))).toContain('Xin Ông/Bà dành ít phút cho biết')
    expect(await renderRoute('en', route(SIPAS_SHORT))).toContain('Please take a few minutes to')
  })
})

describe('the error summary', () => {
  const codes = allItems(SIPAS_2017).map((i) => i.code)

  it('separates missing required answers from other errors, in form order', () => {
    expect(
      summariseErrors(codes, {
        'E2.1': 'survey.errors.required',
        'S.suggestion': 'survey.errors.tooLong',
        'E1.3': 'survey.errors.required',
      }),
    ).toEqual({ missing: ['E1.3', 'E2.1'], others: [{ code: 'S.suggestion', message: 'survey.errors.tooLong' }] })
  })

  async function summaryOf(lng: 'vi' | 'en', errors: Record<string, string>) {
    const data = pageData(SIPAS_2017)
    const rejection: SurveyRejection = { message: 'x', errors, values: {} }
    const html = await renderRoute(lng, {
      element: (
        <StringsProvider strings={surveyStrings(lng)} lng={lng}>
          <SurveyForm
            survey={data.survey}
            procedures={[]}
            procedureQuery=""
            submissionId={data.submissionId}
            serverResult={rejection}
          />
        </StringsProvider>
      ),
      loader: () => data,
    })
    return html.match(/<div class="error-summary"[\s\S]*?<\/div>/)![0]
  }

  it('says how many required answers are missing and links to the first, instead of twenty identical lines', async () => {
    const criteria = SIPAS_2017.elements.flatMap((e) => e.items.filter((i) => i.required).map((i) => i.code))
    const errors = Object.fromEntries(criteria.slice(2).map((c) => [c, 'survey.errors.required']))
    const vi = await summaryOf('vi', errors)
    expect(vi).toContain('Còn 20 câu bắt buộc chưa trả lời.')
    expect(vi.match(/<li/g)).toHaveLength(1)
    expect(vi).toContain('<a href="#item-E1-3">Đến câu đầu tiên chưa trả lời: Trang thiết bị')
    expect(vi).not.toContain('Vui lòng chọn một câu trả lời')
    const en = await summaryOf('en', { 'E1.1': 'survey.errors.required' })
    expect(en).toContain('1 required question is still unanswered.')
  })

  it('lists each other error with its own message', async () => {
    const html = await summaryOf('vi', { 'E1.1': 'survey.errors.required', 'S.suggestion': 'survey.errors.tooLong' })
    expect(html).toContain('Còn 1 câu bắt buộc chưa trả lời.')
    expect(html).toContain('<a href="#item-S-suggestion">')
    expect(html).toContain('Nội dung quá dài.')
    const only = await summaryOf('vi', { 'S.suggestion': 'survey.errors.tooLong' })
    expect(only).toContain('Phiếu chưa gửi được. Vui lòng sửa 1 câu trả lời:')
  })
})

describe('the short SIPAS form', () => {
  it('validates as a questionnaire, with at most 8 items, one per element plus the overall and a suggestion', () => {
    expect(questionnaireDefinitionSchema.safeParse(SIPAS_SHORT).success).toBe(true)
    const items = allItems(SIPAS_SHORT)
    expect(items.length).toBeLessThanOrEqual(SIPAS_SHORT_MAX_ITEMS)
    expect(SIPAS_SHORT.elements.map((e) => [e.code, e.items.length])).toEqual(
      SIPAS_2017.elements.map((e) => [e.code, 1]),
    )
    expect(items.filter((i) => i.role === 'overall')).toHaveLength(1)
    expect(items.filter((i) => i.type === 'text')).toHaveLength(1)
  })

  it('accepts a complete answer, asks for a missing one, and scores like the full form', () => {
    const items = allItems(SIPAS_SHORT)
    const values = Object.fromEntries(
      items.filter((i) => i.type === 'scale5').map((i) => [fieldName(i.code), i.code === 'E3.overall' ? '2' : '4']),
    )
    const ok = validateAnswers(items, values)
    expect(ok.ok).toBe(true)
    const missing = validateAnswers(items, { ...values, [fieldName('E1.overall')]: '' })
    expect(missing).toEqual({ ok: false, errors: { 'E1.overall': 'survey.errors.required' } })
    if (!ok.ok) throw new Error('unreachable')
    expect(respondentComposites(SIPAS_SHORT.elements, ok.answers)).toEqual({
      E1: 1,
      E2: 1,
      E3: 0,
      E4: 1,
      E5: 1,
      overall: 0.8,
    })
  })
})

describe('the thank-you page', () => {
  const base: ThanksPageData = {
    agency: { nameVi: 'UBND xã An Lạc', nameEn: 'An Lac Commune' },
    kiosk: false,
    surveyUrl: null,
    reference: 'K7QM-4XPD',
    alreadyRated: false,
    contact: 'Đường dây nóng 1900 1234',
    lng: 'vi',
    strings: thanksStrings('vi'),
  }
  const page = (lng: 'vi' | 'en', data: ThanksPageData) =>
    renderRoute(lng, { element: <ThanksPage />, loader: () => data })

  it('shows the reference code and the hotline', async () => {
    const vi = await page('vi', base)
    expect(vi).toContain('Mã phiếu của Ông/Bà: <strong class="reference-code">K7QM-4XPD</strong>')
    expect(vi).toContain('Đường dây nóng, góp ý, phản ánh: Đường dây nóng 1900 1234')
    const bare = await page('vi', { ...base, reference: null, contact: null })
    expect(bare).not.toContain('Mã phiếu')
    expect(bare).not.toContain('Đường dây nóng')
  })

  it('thanks a dossier already rated', async () => {
    const html = await page('vi', { ...base, reference: null, alreadyRated: true })
    expect(html).toContain('<h1>Hồ sơ này đã được đánh giá. Cảm ơn Ông/Bà!</h1>')
    expect(await page('en', { ...base, alreadyRated: true })).toContain(
      'This dossier has already been rated. Thank you!',
    )
  })

  it('gets a reference that is short, keyed and well formed', () => {
    const a = responseReference('s'.repeat(32), 41)
    expect(a).toMatch(RESPONSE_REFERENCE)
    expect(responseReference('s'.repeat(32), 41)).toBe(a)
    expect(responseReference('s'.repeat(32), 42)).not.toBe(a)
    expect(responseReference('t'.repeat(32), 41)).not.toBe(a)
  })
})

describe('error pages', () => {
  const failing = (status: number, text?: string) => ({
    loader: () => {
      throw new Response(text ?? '', { status })
    },
    element: <p>never</p>,
    errorElement: <ErrorBoundary />,
  })

  it.each([
    [404, 'Vui lòng kiểm tra lại địa chỉ'],
    [410, 'Liên kết này không còn dùng được'],
    [429, 'Vui lòng đợi ít phút rồi thử lại.'],
    [500, 'Vui lòng tải lại trang sau ít phút'],
  ])('say %i in plain words with what to do, and no bare status code', async (status, advice) => {
    const html = await renderRoute('vi', failing(status), 'common')
    expect(html).toContain('<h1>Đã xảy ra lỗi</h1>')
    expect(html).toContain(advice)
    expect(html).not.toContain(`(${status})`)
    expect(html).not.toContain(String(status))
  })

  it("keep the loader's own translated message", async () => {
    const html = await renderRoute('vi', failing(404, 'Không tìm thấy phiếu khảo sát này.'), 'common')
    expect(html).toContain('Không tìm thấy phiếu khảo sát này.')
    expect(await renderRoute('en', failing(500), 'common')).toContain('<h1>Something went wrong</h1>')
  })
})
