/**
 * "Thông tin hồ sơ": what the one-stop-shop system sent with the invitation, read-only. The processing time
 * against the legal limit, the contacts and the agencies are facts of the dossier, computed here
 * (app/domain/dossier/indicators.ts) rather than asked of the citizen, who may not know them (issue #18).
 */
import type { DossierView } from '#app/domain/dossier/indicators.ts'
import { formatDate } from '#app/domain/format.ts'
import { useStrings } from '../strings.tsx'

export function DossierInfo({ dossier }: { dossier: DossierView }) {
  const { t } = useStrings()
  const { code, data, indicators } = dossier
  return (
    <section aria-labelledby="dossier-info" className="dossier-info">
      <h2 id="dossier-info">{t('dossier.title')}</h2>
      <dl>
        {code && (
          <>
            <dt>{t('dossier.code')}</dt>
            <dd data-testid="dossier-code">{code}</dd>
          </>
        )}
        {data && indicators && (
          <>
            <dt>{t('dossier.received')}</dt>
            <dd>{formatDate(data.receivedOn)}</dd>
            <dt>{t('dossier.due')}</dt>
            <dd>{formatDate(data.dueOn)}</dd>
            <dt>{t('dossier.returned')}</dt>
            <dd>{data.returnedOn ? formatDate(data.returnedOn) : t('dossier.notReturned')}</dd>
            <dt>{t('dossier.time')}</dt>
            <dd data-testid="dossier-timeliness">
              {indicators.processingDays === null
                ? t('dossier.allowed', { count: indicators.allowedDays })
                : t('dossier.took', { count: indicators.processingDays, allowed: indicators.allowedDays })}{' '}
              <strong>{t(`dossier.timeliness.${indicators.timeliness}`)}</strong>
            </dd>
            {data.contacts !== null && (
              <>
                <dt>{t('dossier.contacts')}</dt>
                <dd>{t('dossier.contactCount', { count: data.contacts })}</dd>
              </>
            )}
            {data.agencies.length > 0 && (
              <>
                <dt>{t('dossier.agencies', { count: data.agencies.length })}</dt>
                <dd>{data.agencies.join('; ')}</dd>
              </>
            )}
          </>
        )}
      </dl>
      {data && <p className="hint">{t('dossier.note')}</p>}
    </section>
  )
}
