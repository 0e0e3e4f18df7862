/** The fields every catalogue entry starts with (code, both names, administrative level), for the add forms. */
import { useTranslation } from 'react-i18next'
import { Field } from '#app/components/form/Field.tsx'

export function CatalogueEntryFields({
  idPrefix,
  levels,
  levelLabel,
}: {
  idPrefix: string
  levels: readonly string[]
  /** The level in words; the stored value stays the option's value. */
  levelLabel: (level: string) => string
}) {
  const { t } = useTranslation('admin')
  return (
    <>
      <Field id={`${idPrefix}-code`} label={t('common.code')} inputProps={{ name: 'code', required: true }} />
      <Field id={`${idPrefix}-vi`} label={t('common.nameVi')} inputProps={{ name: 'nameVi', required: true }} />
      <Field id={`${idPrefix}-en`} label={t('common.nameEn')} inputProps={{ name: 'nameEn', required: true }} />
      <Field id={`${idPrefix}-level`} label={t('agencies.level')}>
        {(control) => (
          <select name="level" {...control}>
            {levels.map((l) => (
              <option key={l} value={l}>
                {levelLabel(l)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  )
}
