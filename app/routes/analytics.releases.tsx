/**
 * /analytics/releases — prepare, approve and publish official releases (docs/publication.md), with the
 * command line's rules: administrators and analysts, within their scope; a second person approves.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { assertSameOrigin, requireUser } from '#app/.server/auth/session.ts'
import {
  approveRelease,
  createRelease,
  publishRelease,
  releasesInScope,
  type ReleaseActor,
} from '#app/.server/services/releases.ts'
import { formatDateTime } from '#app/domain/format.ts'
import { periodLabel } from '#app/domain/period.ts'

export const handle = { i18n: ['common', 'results'] }

const actorOf = (user: { id: number; email: string; role: ReleaseActor['role']; scopePath: string | null }) => ({
  userId: user.id,
  actor: user.email,
  role: user.role,
  scopePath: user.scopePath,
})

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = await requireUser(context, request, ['admin', 'analyst'])
  const releases = await releasesInScope(context.db, actorOf(user))
  return {
    userId: user.id,
    releases: releases.map((r) => ({
      id: r.id,
      status: r.status,
      agencyCode: r.agencyCode,
      nameVi: r.agencyNameVi,
      nameEn: r.agencyNameEn,
      period: r.period,
      sha256: r.sha256,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      approvedBy: r.approvedBy,
      publishedAt: r.publishedAt,
      mine: r.createdByUserId === user.id,
    })),
  }
}

const formSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('create'),
    agencyCode: z.string().trim().min(1, 'errors.unknownAgency').max(60),
    period: z.string().trim().min(1, 'errors.period').max(40),
  }),
  z.object({ intent: z.enum(['approve', 'publish']), id: z.coerce.number().int().positive() }),
])

type ActionResult = { ok: boolean; message: string | null; values: Record<string, string> }

export async function action({ context, request }: ActionFunctionArgs) {
  const user = await requireUser(context, request, ['admin', 'analyst'])
  assertSameOrigin(request, context.config.publicUrl)
  const parsed = formSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success)
    return data<ActionResult>({ ok: false, message: 'errors.unknownRelease', values: { id: '' } }, { status: 400 })
  const who = actorOf(user)
  const form = parsed.data
  const result =
    form.intent === 'create'
      ? await createRelease(context.db, { agencyCode: form.agencyCode, period: form.period }, who)
      : form.intent === 'approve'
        ? await approveRelease(context.db, form.id, who)
        : await publishRelease(context.db, form.id, who)
  if (!result.ok)
    return data<ActionResult>(
      { ok: false, message: result.error, values: result.values ?? {} },
      { status: result.status },
    )
  return data<ActionResult>({ ok: true, message: `admin.done.${form.intent}`, values: {} })
}

export default function Releases() {
  const { releases } = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const { t, i18n } = useTranslation('results')
  const en = i18n.language === 'en'
  return (
    <div className="wide-content">
      <h1>{t('admin.title')}</h1>
      <p>
        {t('admin.intro')} <Link to="/ket-qua">{t('title')}</Link>
      </p>
      {outcome?.message && (
        <p className={outcome.ok ? 'notice' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {t(outcome.message, outcome.values)}
        </p>
      )}
      <h2>{t('admin.create')}</h2>
      <Form method="post" className="grid-form">
        <label>
          {t('admin.agencyCode')} <input name="agencyCode" required maxLength={60} />
        </label>
        <label>
          {t('list.period')}{' '}
          <input
            name="period"
            required
            maxLength={40}
            placeholder="Quý III/2026"
            aria-describedby="release-period-hint"
          />
          <span id="release-period-hint" className="hint">
            {t('admin.periodHint')}
          </span>
        </label>
        <button className="button" type="submit" name="intent" value="create">
          {t('admin.createButton')}
        </button>
      </Form>
      <h2>{t('admin.list')}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('list.scope')}</th>
              <th scope="col">{t('list.period')}</th>
              <th scope="col">{t('admin.createdBy')}</th>
              <th scope="col">{t('list.sha256')}</th>
              <th scope="col">{t('admin.action')}</th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{t(`admin.statuses.${r.status}`)}</td>
                <td>{en ? r.nameEn : r.nameVi}</td>
                <td>{periodLabel(r.period, en ? 'en' : 'vi')}</td>
                <td>
                  {r.createdBy}, {formatDateTime(r.createdAt)}
                </td>
                <td>
                  <code>{r.sha256.slice(0, 12)}…</code>
                </td>
                <td>
                  {r.status === 'draft' && !r.mine && (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="id" value={r.id} />
                      <button className="button" type="submit" name="intent" value="approve">
                        {t('admin.approve')}
                      </button>
                    </Form>
                  )}
                  {r.status === 'draft' && r.mine && t('admin.waitsForSecond')}
                  {r.status === 'approved' && (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="id" value={r.id} />
                      <button className="button" type="submit" name="intent" value="publish">
                        {t('admin.publish')}
                      </button>
                    </Form>
                  )}
                  {(r.status === 'published' || r.status === 'superseded') && (
                    <Link to={`/ket-qua/${r.id}`}>{t('list.open')}</Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
