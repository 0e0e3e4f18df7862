/** The per-row error report of a file import: which row, what is wrong, in the user's language. */
import { useTranslation } from 'react-i18next'
import type { ImportOutcome } from '#app/domain/import-outcome.ts'

export type { ImportOutcome }

export function ImportReport({
  outcome,
  prefix,
}: {
  outcome: ImportOutcome
  prefix: 'agencies' | 'procedures' | 'import' | 'dossiers'
}) {
  const { t } = useTranslation('admin')
  const { t: ts } = useTranslation('survey')
  // Answer errors carry the survey's own message keys; show them in words too.
  const words = (values?: Record<string, string>) =>
    values &&
    Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v.startsWith('survey.') ? ts(v.replace(/^survey\./, '')) : v]),
    )
  if (outcome.status === 'unreadable' || outcome.status === 'tooLarge' || outcome.status === 'conflict')
    return (
      <div className="error-summary" role="alert">
        <p>{t(`import.${outcome.status}`)}</p>
      </div>
    )
  if (outcome.status === 'applied')
    return (
      <p className="notice" role="status">
        {t(`${prefix}.${prefix === 'import' ? 'imported' : 'applied'}`, {
          count: outcome.count,
          duplicates: outcome.duplicates ?? 0,
        })}
      </p>
    )
  if (outcome.status === 'ready')
    return (
      <p className="notice" role="status">
        {t(prefix === 'import' ? 'import.ready' : 'agencies.readyToApply', {
          count: outcome.count,
          duplicates: outcome.duplicates ?? 0,
        })}
      </p>
    )
  return (
    <div className="error-summary" role="alert">
      <h2>
        {t(prefix === 'import' ? 'import.errorsInFile' : 'agencies.errorsInFile', { count: outcome.errors.length })}
      </h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('agencies.row')}</th>
            <th scope="col">{t('common.errors')}</th>
          </tr>
        </thead>
        <tbody>
          {outcome.errors.slice(0, 200).map((e) => (
            <tr key={e.row}>
              <th scope="row">{e.row}</th>
              <td>
                {e.messages
                  .map((m) => `${m.values?.column ? `${m.values.column}: ` : ''}${t(m.key, words(m.values))}`)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
