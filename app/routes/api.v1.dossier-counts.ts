import type { ActionFunctionArgs } from '@remix-run/node'
import { requireToken } from '#app/.server/auth/api-token.ts'
import { getTranslator } from '#app/.server/i18n.ts'
import { dossierPushSchema, pushDossierCounts } from '#app/.server/services/dossier-counts.ts'

/** A year of every commune of a province, as JSON, with room to spare. */
const MAX_BODY = 8 * 1024 * 1024

const notAllowed = () => Response.json({ error: 'method_not_allowed' }, { status: 405, headers: { Allow: 'PUT' } })

/**
 * PUT /api/v1/dossier-counts — the one-stop-shop system's monthly dossier counts (docs/dossiers.md). An
 * idempotent upsert per agency and month, all entries or none, for agencies in the token's subtree.
 */
export async function action({ context, request }: ActionFunctionArgs) {
  if (request.method !== 'PUT') return notAllowed()
  const t = await getTranslator(request)
  const token = await requireToken(context.db, request)
  const text = await request.text()
  let body: unknown
  try {
    if (text.length > MAX_BODY) throw new Error('too large')
    body = JSON.parse(text)
  } catch {
    return Response.json({ error: 'invalid_json', message: t('api.invalidJson') }, { status: 400 })
  }
  const parsed = dossierPushSchema.safeParse(body)
  if (!parsed.success)
    return Response.json(
      { error: 'invalid_body', message: t('api.invalidBody'), fieldErrors: { counts: t('api.dossierCountsList') } },
      { status: 400 },
    )
  const result = await pushDossierCounts(context.db, token, parsed.data.counts)
  if (!result.ok) {
    const ta = await getTranslator(request, 'admin')
    return Response.json(
      {
        error: 'invalid_body',
        message: t('api.invalidBody'),
        errors: result.errors.map((e) => ({
          index: e.index,
          field: e.field,
          code: e.key.replace(/^dossiers\.errors\./, ''),
          message: ta(e.key, e.values ?? {}),
        })),
      },
      // Only agencies outside the token's subtree: the token may not act for them (as /invitations says).
      { status: result.errors.every((e) => e.key === 'dossiers.errors.outOfScope') ? 403 : 400 },
    )
  }
  return Response.json({ created: result.created, updated: result.updated }, { status: 200 })
}

export const loader = notAllowed
