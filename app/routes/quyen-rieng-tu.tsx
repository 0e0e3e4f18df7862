/**
 * The privacy notice the survey links to (Decree 13/2023/NĐ-CP on personal data protection): why responses
 * are collected, what is kept and for how long, who sees it, whom to contact and the citizen's rights. The
 * retention period and the contact come from the configuration, so the notice says what the server does.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getTranslator } from '#app/.server/i18n.ts'

export async function loader({ context, request }: LoaderFunctionArgs) {
  const t = await getTranslator(request, 'survey')
  const { retentionMonths, contact } = context.config.privacy
  return { title: t('privacy.title'), retentionMonths, contact }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Hài Lòng' }]

const KEPT = ['ratings', 'suggestion', 'profile', 'context', 'invitation', 'network'] as const
const NOT_KEPT = ['name', 'address', 'device'] as const
const RIGHTS = ['know', 'consent', 'access', 'withdraw', 'delete', 'restrict', 'object', 'complain'] as const

export default function PrivacyNotice() {
  const { retentionMonths, contact } = useLoaderData<typeof loader>()
  const { t } = useTranslation('survey')
  return (
    <>
      <h1>{t('privacy.title')}</h1>
      <p>{t('privacy.controller')}</p>
      <h2>{t('privacy.purposeHeading')}</h2>
      <p>{t('privacy.purpose')}</p>
      <h2>{t('privacy.keptHeading')}</h2>
      <ul>
        {KEPT.map((k) => (
          <li key={k}>{t(`privacy.kept.${k}`)}</li>
        ))}
      </ul>
      <p>{t('privacy.notKeptIntro')}</p>
      <ul>
        {NOT_KEPT.map((k) => (
          <li key={k}>{t(`privacy.notKept.${k}`)}</li>
        ))}
      </ul>
      <h2>{t('privacy.retentionHeading')}</h2>
      <p>{t('privacy.retention', { months: retentionMonths })}</p>
      <h2>{t('privacy.accessHeading')}</h2>
      <p>{t('privacy.access')}</p>
      <h2>{t('privacy.rightsHeading')}</h2>
      <ul>
        {RIGHTS.map((r) => (
          <li key={r}>{t(`privacy.rights.${r}`)}</li>
        ))}
      </ul>
      <p>{t('privacy.anonymousLimit')}</p>
      <h2>{t('privacy.contactHeading')}</h2>
      <p>{contact ? t('privacy.contact', { contact }) : t('privacy.contactFallback')}</p>
    </>
  )
}
