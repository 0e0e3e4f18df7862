/**
 * What the survey tells citizens about their data, true for each way in: an open link or a kiosk records no
 * name; an invitation is tied to one dossier, so its rating is linked to that dossier (through a keyed hash)
 * and saying "anonymous" there would be false. Both link to the privacy notice (Decree 13/2023).
 */
import { useTranslation } from 'react-i18next'
import type { SurveyEntryKind } from '#app/domain/survey/view.ts'

export const PRIVACY_NOTICE_PATH = '/quyen-rieng-tu'

export function AnonymityNote({ kind }: { kind: SurveyEntryKind }) {
  const { t } = useTranslation('survey')
  return <p className="hint">{t(kind === 'r' ? 'anonymity.invitation' : 'anonymity.open')}</p>
}

export function PrivacyLink() {
  const { t } = useTranslation('survey')
  return (
    <p className="hint">
      <a href={PRIVACY_NOTICE_PATH}>{t('privacyLink')}</a>
    </p>
  )
}
