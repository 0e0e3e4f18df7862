import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export default function AdminHome() {
  const { t } = useTranslation('admin')
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('home.intro')}</p>
      <ul>
        {(['questionnaires', 'agencies', 'procedures', 'links', 'tokens', 'users', 'audit', 'import'] as const).map(
          (s) => (
            <li key={s}>
              <Link to={`/admin/${s}`}>{t(`nav.${s}`)}</Link>
            </li>
          ),
        )}
      </ul>
    </>
  )
}
