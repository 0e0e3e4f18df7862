/**
 * The agencies and day of a rollout (docs/questionnaires.md): tick a unit, and optionally the units below
 * it, and the day from which the version applies there. Plain form fields, so it works without JavaScript.
 */
import { useTranslation } from 'react-i18next'
import { Field } from '#app/components/form/Field.tsx'
import { inLanguage } from '#app/domain/questionnaire/definition.ts'

export interface RolloutAgency {
  id: number
  code: string
  nameVi: string
  nameEn: string
  depth: number
}

export function RolloutFields({
  agencies,
  today,
  idPrefix,
}: {
  agencies: RolloutAgency[]
  today: string
  idPrefix: string
}) {
  const { t, i18n } = useTranslation('admin')
  return (
    <>
      <Field id={`${idPrefix}-effectiveDate`} label={t('rollout.date')} hint={t('rollout.dateHint')}>
        {(control) => <input {...control} type="date" name="effectiveDate" defaultValue={today} />}
      </Field>
      <fieldset className="item">
        <legend>{t('rollout.agencies')}</legend>
        <p className="hint">{t('rollout.agenciesHint')}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('rollout.agency')}</th>
              <th scope="col">{t('rollout.subtree')}</th>
            </tr>
          </thead>
          <tbody>
            {agencies.map((a) => {
              const name = `${a.code} — ${inLanguage(i18n.language, a.nameVi, a.nameEn)}`
              return (
                <tr key={a.id}>
                  <td style={{ paddingInlineStart: `${a.depth * 1.25}rem` }}>
                    <label className="choice">
                      <input type="checkbox" name="rolloutAgency" value={a.id} />
                      <span>{name}</span>
                    </label>
                  </td>
                  <td>
                    <label className="choice">
                      <input type="checkbox" name="rolloutSubtree" value={a.id} />
                      <span>{t('rollout.subtreeOf', { agency: a.code })}</span>
                    </label>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </fieldset>
    </>
  )
}
