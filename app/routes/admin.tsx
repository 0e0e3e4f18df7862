import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireUser } from '#app/.server/auth/session.ts'
import { adminSections } from '#app/domain/role-home.ts'

/** The administration area: administrators see everything, agency managers their links, tokens and users. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireUser(context, request, ['admin', 'manager'])
  return { role: user.role }
}

export default function AdminLayout() {
  const { role } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  const sections = adminSections(role)
  return (
    <div className="wide-content">
      <nav aria-label={t('title')} className="admin-nav">
        <NavLink to="/admin" end>
          {t('nav.home')}
        </NavLink>
        {sections.map((s) => (
          <NavLink key={s} to={`/admin/${s}`}>
            {t(`nav.${s}`)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  )
}
