/**
 * "Which procedure did you use?" — a search that works without JavaScript (a GET form that reloads the
 * list) and filters as one types with it. Diacritics are optional: the server folds both sides.
 * The radios belong to the survey form through the `form` attribute, so the two forms never nest.
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProcedureOption } from '#app/domain/survey/view.ts'

export interface ProcedureChooserProps {
  base: string
  query: string
  initial: ProcedureOption[]
  kiosk: boolean
  formId: string
  selected?: string | string[]
  error?: string
}

export function ProcedureChooser({ base, query, initial, kiosk, formId, selected, error }: ProcedureChooserProps) {
  const { t, i18n } = useTranslation('survey')
  const en = i18n.language === 'en'
  const [options, setOptions] = useState(initial)
  const [text, setText] = useState(query)
  const timer = useRef<ReturnType<typeof setTimeout>>()

  useEffect(() => () => clearTimeout(timer.current), [])

  const search = (value: string) => {
    setText(value)
    clearTimeout(timer.current)
    timer.current = setTimeout(async () => {
      try {
        const res = await fetch(`/procedures/search?q=${encodeURIComponent(value)}`)
        if (res.ok) setOptions((await res.json()).procedures)
      } catch {
        // Offline: keep the current list; the citizen may skip this question.
      }
    }, 250)
  }

  return (
    <section className="element" aria-labelledby="procedure-heading">
      <h2 id="procedure-heading">{t('procedure.label')}</h2>
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the phones citizens answer on */}
      <form method="get" action={base} role="search" className="field">
        <label htmlFor="procedure-search">{t('procedure.search')}</label>
        <span className="hint" id="procedure-hint">
          {t('procedure.hint')}
        </span>
        <div style={{ display: 'flex', gap: '.5rem' }}>
          <input
            id="procedure-search"
            name="tthc"
            type="search"
            value={text}
            onChange={(e) => search(e.target.value)}
            aria-describedby="procedure-hint"
            autoComplete="off"
          />
          {kiosk && <input type="hidden" name="kiosk" value="1" />}
          <button type="submit" className="button secondary">
            {t('procedure.search')}
          </button>
        </div>
      </form>
      <fieldset
        id="item-procedure"
        className={`item${error ? ' has-error' : ''}`}
        aria-describedby={error ? 'procedure-error' : undefined}
      >
        <legend>
          {t('procedure.label')} <span className="tag">({t('optional')})</span>
        </legend>
        {error && (
          <span id="procedure-error" className="error-message">
            {t(error.replace(/^survey\./, ''))}
          </span>
        )}
        <div className="choices" aria-live="polite">
          {options.map((p) => (
            <label key={p.code} className="choice">
              <input type="radio" name="_procedure" value={p.code} form={formId} defaultChecked={selected === p.code} />
              <span>{en ? p.nameEn : p.nameVi}</span>
            </label>
          ))}
          <label className="choice">
            <input type="radio" name="_procedure" value="" form={formId} defaultChecked={!selected} />
            <span>{t('procedure.none')}</span>
          </label>
        </div>
      </fieldset>
    </section>
  )
}
