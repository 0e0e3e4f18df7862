/** One survey item: a fieldset of radios or checkboxes, a text box or a number, with its error. */
import { memo } from 'react'
import type { ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import { DEFAULT_TEXT_LIMIT, fieldName } from '#app/domain/survey/response-schema.ts'
import { useStrings } from '../strings.tsx'

export interface ItemFieldProps {
  item: ItemDefinition
  /** The field's name and handlers: react-hook-form's `register` in the admin preview, the name alone on the survey. */
  register: (name: string) => { name: string }
  /** Values to show checked/filled in the server-rendered HTML (no-JS error page). */
  initial: string | string[] | undefined
  error: string | undefined
}

export function itemAnchor(code: string) {
  return `item-${code.replace(/[^A-Za-z0-9_-]/g, '-')}`
}

/**
 * Memoised: the survey form renders again on every answer and once more when it hydrates, and its 22
 * questions' props (the item, the name-only register, the server's values, the error) do not change then.
 * Re-rendering every radio each time was most of the page's main-thread work after its first render (issue 20).
 */
export const ItemField = memo(function ItemField({ item, register, initial, error }: ItemFieldProps) {
  const { t, lng } = useStrings()
  const en = lng === 'en'
  const name = fieldName(item.code)
  const anchor = itemAnchor(item.code)
  const errorId = `${anchor}-error`
  const label = en ? item.labelEn : item.labelVi
  const tag = <span className="tag"> ({t(item.required ? 'required' : 'optional')})</span>
  const errorText = error ? (
    <span id={errorId} className="error-message">
      {t(error.replace(/^survey\./, ''))}
    </span>
  ) : null
  const field = register(name)

  if (item.type === 'text' || item.type === 'number') {
    const max = item.maxLength ?? DEFAULT_TEXT_LIMIT
    const hintId = `${anchor}-hint`
    const describedBy =
      [item.type === 'text' ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
    return (
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={anchor}>
          {label}
          {tag}
        </label>
        {item.type === 'text' && (
          <span id={hintId} className="hint">
            {t('privacyHint')} {t('suggestionHint', { max })}
          </span>
        )}
        {errorText}
        {item.type === 'text' ? (
          <textarea
            id={anchor}
            {...field}
            maxLength={max}
            rows={4}
            defaultValue={typeof initial === 'string' ? initial : undefined}
            aria-invalid={!!error}
            aria-describedby={describedBy}
          />
        ) : (
          <input
            id={anchor}
            type="number"
            inputMode="numeric"
            {...field}
            defaultValue={typeof initial === 'string' ? initial : undefined}
            aria-invalid={!!error}
            aria-describedby={describedBy}
          />
        )}
      </div>
    )
  }

  const multiple = item.type === 'multiple'
  const chosen = new Set(Array.isArray(initial) ? initial : initial ? [initial] : [])
  return (
    <fieldset
      id={anchor}
      className={`item ${item.type}${error ? ' has-error' : ''}`}
      aria-describedby={error ? errorId : undefined}
      tabIndex={-1}
    >
      <legend>
        {label}
        {tag}
      </legend>
      {errorText}
      <div className="choices">
        {(item.options ?? []).map((option, index) => (
          <label key={option.value} className="choice">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              {...field}
              value={option.value}
              defaultChecked={chosen.has(option.value)}
              id={index === 0 ? `${anchor}-first` : undefined}
            />
            <span>{en ? option.labelEn : option.labelVi}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
})
