/**
 * A succession in words, the way a reorganisation decision says it: "A sáp nhập vào B", "A đổi tên thành
 * B", "B chia tách từ A"; a unit that ended says so with its last day ("kết thúc hoạt động").
 */
import { useTranslation } from 'react-i18next'
import { formatDate } from '#app/domain/format.ts'

interface Side {
  code: string
  nameVi: string
  nameEn: string
  validTo: string | null
}

export function SuccessionPhrase({ succession }: { succession: { kind: string; predecessor: Side; successor: Side } }) {
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const label = (a: Side) =>
    `${en ? a.nameEn : a.nameVi} (${a.code})${a.validTo ? ` — ${t('successions.endedOn', { date: formatDate(a.validTo) })}` : ''}`
  const { kind, predecessor, successor } = succession
  return (
    <span data-kind={kind}>
      {kind === 'split_from'
        ? t('successions.phrase.split_from', { successor: label(successor), predecessor: label(predecessor) })
        : t(`successions.phrase.${kind}`, { predecessor: label(predecessor), successor: label(successor) })}
    </span>
  )
}
