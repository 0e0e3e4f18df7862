/** The thank-you page. On a kiosk it returns to an empty form by itself, with or without JavaScript. */
import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import type { ThanksPageData } from '#app/domain/survey/view.ts'
import { PrivacyLink } from './PrivacyNote.tsx'
import { StringsProvider, useStrings } from '../strings.tsx'

export const KIOSK_RESET_SECONDS = 8

/** The loader's shape as Remix's MetaFunction wants it; the server's loader is annotated with the same type. */
type Loader = () => Promise<ThanksPageData>

export const thanksMeta: MetaFunction<Loader> = ({ data }) => [
  { title: 'Hài Lòng' },
  ...(data?.kiosk && data.surveyUrl
    ? [{ httpEquiv: 'refresh', content: `${KIOSK_RESET_SECONDS};url=${data.surveyUrl}` } as const]
    : []),
]

/** The page ships its own words (ADR 0055): no i18n runtime in the browser here. */
export function ThanksPage() {
  const { strings, lng } = useLoaderData<ThanksPageData>()
  return (
    <StringsProvider strings={strings} lng={lng}>
      <Thanks />
    </StringsProvider>
  )
}

function Thanks() {
  const { agency, kiosk, surveyUrl, reference, alreadyRated, contact } = useLoaderData<ThanksPageData>()
  const { t, lng } = useStrings()
  const name = lng === 'en' ? agency.nameEn : agency.nameVi
  return (
    <div className="panel" role="status">
      {/* An invitation opened again after its dossier was rated is thanked too, not refused. */}
      <h1>{alreadyRated ? t('errors.invitationUsed') : t('thanks.title')}</h1>
      {!alreadyRated && <p>{t('thanks.body', { agency: name })}</p>}
      {reference && (
        <p>
          {t('thanks.reference')} <strong className="reference-code">{reference}</strong>
          <br />
          <span className="hint">{t('thanks.referenceHint')}</span>
        </p>
      )}
      {contact && <p>{t('thanks.contact', { contact })}</p>}
      {kiosk && surveyUrl && (
        <>
          <p>{t('thanks.kiosk', { seconds: KIOSK_RESET_SECONDS })}</p>
          {/* A full page load, not a client navigation: the next citizen must get a fresh, empty form. */}
          <a className="button" href={surveyUrl} data-kiosk-reset="">
            {t('thanks.kioskNow')}
          </a>
        </>
      )}
      <PrivacyLink />
    </div>
  )
}
