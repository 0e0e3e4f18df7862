import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getHomeOverview } from '#app/.server/services/home.ts'
import { getTranslator } from '#app/.server/i18n.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  const t = await getTranslator(request)
  return { title: t('home.title'), ...(await getHomeOverview(context.db)) }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Hài Lòng' }]

export default function Home() {
  const { current, former, questionnaires } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const en = i18n.language === 'en'
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <h2 id="agencies">{t('home.agencies')}</h2>
      {current.length === 0 ? (
        <p>{t('home.noAgencies')}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="agencies">
            <thead>
              <tr>
                <th scope="col">{t('home.agencyColumn')}</th>
                <th scope="col">{t('home.levelColumn')}</th>
                <th scope="col">{t('home.surveyColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {current.map((a) => (
                <tr key={a.code}>
                  <td style={{ paddingLeft: `${0.5 + a.depth * 1.25}rem` }}>{en ? a.nameEn : a.nameVi}</td>
                  <td>{t(`level.${a.level}`)}</td>
                  <td>{a.linkCode ? <Link to={`/s/${a.linkCode}`}>{t('home.openSurvey')}</Link> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {former.length > 0 && (
        <details className="panel">
          <summary>{t('home.formerUnits')}</summary>
          <ul>
            {former.map((a) => (
              <li key={a.code}>
                {en ? a.nameEn : a.nameVi}
                {a.successorVi ? ` — ${t('home.mergedInto', { name: en ? a.successorEn : a.successorVi })}` : null}
              </li>
            ))}
          </ul>
        </details>
      )}
      <h2>{t('home.questionnaires')}</h2>
      <ul>
        {questionnaires.map((q) => (
          <li key={`${q.code}-${q.version}`}>
            {en ? q.nameEn : q.nameVi} ({t('home.version', { number: q.version })})
          </li>
        ))}
      </ul>
    </>
  )
}
