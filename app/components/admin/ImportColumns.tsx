/**
 * The columns an import file must have. Column names and level values are what the file itself must
 * contain, so they are shown as codes (<code>) and each is explained in words: a Vietnamese reader never
 * has to guess what "parent_code" or "commune" means (issue 18).
 */
import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'

export interface ImportColumn {
  name: string
  optional?: boolean
  /** A value as the file must write it (a date "2025-07-01"), shown as a code. */
  example?: string
}

export function ImportColumns({
  columns,
  levels,
  levelLabel,
  values,
  more,
}: {
  columns: readonly ImportColumn[]
  /** The values the `level` column accepts, each with its words. */
  levels?: readonly string[]
  levelLabel?: (level: string) => string
  /** The values another column accepts (e.g. a succession's `kind`), each with its words. */
  values?: { column: string; values: readonly string[]; label: (value: string) => string }
  /** A sentence after the list (e.g. "one column per question code"). */
  more?: string
}) {
  const { t } = useTranslation('admin')
  return (
    <div className="hint import-columns">
      <p>{t('importColumns.intro')}</p>
      <ul>
        {columns.map((c) => (
          <li key={c.name}>
            <code>{c.name}</code>: {t(`importColumns.names.${c.name}`)}
            {c.example && (
              <>
                {' '}
                ({t('importColumns.example')} <code>{c.example}</code>)
              </>
            )}
            {c.optional ? ` (${t('importColumns.optional')})` : ''}
          </li>
        ))}
      </ul>
      {more && <p>{more}</p>}
      {values && (
        <p>
          {t('importColumns.valuesOf')} <code>{values.column}</code>:{' '}
          {values.values.map((v, i) => (
            <Fragment key={v}>
              <code>{v}</code> ({values.label(v)}){i < values.values.length - 1 ? '; ' : '.'}
            </Fragment>
          ))}
        </p>
      )}
      {levels && levelLabel && (
        <p>
          {t('importColumns.levels')}{' '}
          {levels.map((l, i) => (
            <Fragment key={l}>
              <code>{l}</code> ({levelLabel(l)}){i < levels.length - 1 ? '; ' : '.'}
            </Fragment>
          ))}
        </p>
      )}
    </div>
  )
}
