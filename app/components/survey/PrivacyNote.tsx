/**
 * What the survey tells citizens about their data, true for each way in: an open link or a kiosk records no
 * name; an invitation is tied to one dossier, so its rating is linked to that dossier (through a keyed hash)
 * and saying "anonymous" there would be false. Both link to the privacy notice (Decree 13/2023).
 */
import type { SurveyEntryKind } from '#app/domain/survey/view.ts'
import { useStrings } from '../strings.tsx'

export const PRIVACY_NOTICE_PATH = '/quyen-rieng-tu'

export function AnonymityNote({ kind }: { kind: SurveyEntryKind }) {
  const { t } = useStrings()
  return <p className="hint">{t(kind === 'r' ? 'anonymity.invitation' : 'anonymity.open')}</p>
}

export function PrivacyLink() {
  const { t } = useStrings()
  return (
    <p className="hint">
      <a href={PRIVACY_NOTICE_PATH}>{t('privacyLink')}</a>
    </p>
  )
}
