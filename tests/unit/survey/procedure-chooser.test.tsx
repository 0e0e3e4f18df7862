/**
 * The procedure question as rendered on the server (what a citizen without JavaScript gets): the agency's
 * own procedures first under their heading, a clear word and a way on when nothing is found, and the
 * chosen procedure shown chosen after a reload or a refused post even when the list does not hold it.
 */
import i18next from 'i18next'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { describe, expect, it } from 'vitest'
import { ProcedureChooser } from '#app/components/survey/ProcedureChooser.tsx'
import type { ProcedureOption, SurveyRejection } from '#app/domain/survey/view.ts'
import { resources } from '#app/i18n/config.ts'
import { surveyStrings } from '#app/.server/page-strings.ts'
import { StringsProvider } from '#app/components/strings.tsx'

const LAND: ProcedureOption = {
  code: 'P-LAND',
  nameVi: 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu',
  nameEn: 'First land-use right certificate',
  own: true,
}
const BIRTH: ProcedureOption = { code: 'P-BIRTH', nameVi: 'Đăng ký khai sinh', nameEn: 'Birth registration', own: true }
const EXAM: ProcedureOption = {
  code: 'P-EXAM',
  nameVi: 'Thi tuyển, xét tuyển công chức',
  nameEn: 'Civil service recruitment',
  own: false,
}

async function render(options: {
  initial: ProcedureOption[]
  query?: string
  chosenProcedure?: ProcedureOption | null
  rejection?: SurveyRejection
}) {
  const element = (
    <ProcedureChooser
      base="/s/ABC"
      query={options.query ?? ''}
      initial={options.initial}
      kiosk={false}
      formId="survey-form"
      selected={options.rejection?.values._procedure}
    />
  )
  const routes = [
    {
      id: 'survey',
      path: '/',
      element,
      loader: () => ({ chosenProcedure: options.chosenProcedure ?? null }),
      action: () => options.rejection ?? null,
    },
  ]
  const handler = createStaticHandler(routes)
  const request = options.rejection
    ? new Request('http://localhost/', { method: 'POST', body: new URLSearchParams({ a: '1' }) })
    : new Request('http://localhost/')
  const routerContext = await handler.query(request)
  if (routerContext instanceof Response) throw new Error('unexpected redirect')
  const router = createStaticRouter(handler.dataRoutes, routerContext)
  const i18n = i18next.createInstance()
  await i18n.init({ lng: 'vi', resources, defaultNS: 'survey', interpolation: { escapeValue: false } })
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <StringsProvider strings={surveyStrings('vi')} lng="vi">
        <StaticRouterProvider router={router} context={routerContext} hydrate={false} />
      </StringsProvider>
    </I18nextProvider>,
  )
}

const vi = resources.vi.survey.procedure as Record<string, string>
/** The values of the checked radios of the question, whatever the order of the attributes. */
const checkedCodes = (html: string) =>
  [...html.matchAll(/<input type="radio" name="_procedure"[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => / checked=""/.test(tag))
    .map((tag) => / value="([^"]*)"/.exec(tag)?.[1])

describe('the procedure question', () => {
  it('lists the agency’s own procedures first, under their heading, then the others under theirs', async () => {
    const html = await render({ initial: [LAND, BIRTH, EXAM] })
    const own = html.indexOf(vi.ownGroup!)
    const others = html.indexOf(vi.sameLevelGroup!)
    expect(own).toBeGreaterThan(-1)
    expect(others).toBeGreaterThan(own)
    expect(html.indexOf(LAND.nameVi)).toBeGreaterThan(own)
    expect(html.indexOf(BIRTH.nameVi)).toBeLessThan(others)
    expect(html.indexOf(EXAM.nameVi)).toBeGreaterThan(others)
    // Nothing is chosen yet: "none" is.
    expect(checkedCodes(html)).toEqual([''])
  })

  it('with no own procedure, one plain list without headings', async () => {
    const html = await render({ initial: [{ ...EXAM, own: false }] })
    expect(html).not.toContain(vi.ownGroup)
    expect(html).not.toContain(vi.sameLevelGroup)
    expect(html).toContain(EXAM.nameVi)
  })

  it('says clearly when nothing is found, with a way on: clear the search, or the "none" choice named', async () => {
    const html = await render({ initial: [], query: 'xyz khong co' })
    expect(html).toContain('Không tìm thấy thủ tục nào khớp với “xyz khong co”.')
    expect(html).toContain(`chọn “${vi.none}”`)
    expect(html).toContain(`<a href="/s/ABC">${vi.clearSearch}</a>`)
    expect(checkedCodes(html)).toEqual([''])
    // Without a search, an empty list is no "nothing found".
    expect(await render({ initial: [] })).not.toContain('Không tìm thấy')
  })

  it('after a reload, the procedure from the address is chosen, even when the list does not hold it', async () => {
    const html = await render({ initial: [LAND, BIRTH], chosenProcedure: { ...EXAM, own: undefined } })
    expect(checkedCodes(html)).toEqual(['P-EXAM'])
    expect(html).toContain(EXAM.nameVi)
    // The no-JS search form carries the choice along.
    expect(html).toContain('<input type="hidden" name="procedure" value="P-EXAM"/>')
  })

  it('after a refused no-JS post, the procedure sent is chosen again', async () => {
    const rejection: SurveyRejection = {
      message: 'Còn câu chưa trả lời',
      errors: {},
      values: { _procedure: 'P-EXAM' },
      procedure: { code: 'P-EXAM', nameVi: EXAM.nameVi, nameEn: EXAM.nameEn },
    }
    const html = await render({ initial: [LAND], rejection })
    expect(checkedCodes(html)).toEqual(['P-EXAM'])
    const none = await render({
      initial: [LAND],
      rejection: { ...rejection, values: { _procedure: '' }, procedure: null },
    })
    expect(checkedCodes(none)).toEqual([''])
  })
})
