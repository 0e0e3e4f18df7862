/**
 * "Which procedure did you use?" — a search that works without JavaScript (a GET form that reloads the
 * list) and filters as one types with it. Diacritics and case are optional and common words find the
 * official names (app/domain/procedures/search-terms.ts); the agency's own procedures come first.
 * The radios belong to the survey form through the `form` attribute, so the two forms never nest.
 * The choice survives a reload (`?procedure=` in the URL) and a refused no-JS post (the server sends it back).
 */
import { useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import type { ProcedureOption, SurveyPageData, SurveyRejection } from '#app/domain/survey/view.ts'
import { useStrings } from '../strings.tsx'

export interface ProcedureChooserProps {
  base: string
  query: string
  initial: ProcedureOption[]
  kiosk: boolean
  formId: string
  selected?: string | string[]
  error?: string
}

/** A group inside the question's fieldset: no second frame around it. */
const GROUP_STYLE = { border: 0, padding: 0, margin: '0 0 1rem', minWidth: 0 }

/** Writes the choice into the address bar without a navigation, so a reload shows it chosen. */
function rememberInUrl(code: string) {
  try {
    const url = new URL(window.location.href)
    if (code) url.searchParams.set('procedure', code)
    else url.searchParams.delete('procedure')
    window.history.replaceState(window.history.state, '', url)
  } catch {
    // An old browser without the History API: the choice is still in the form.
  }
}

export function ProcedureChooser({ base, query, initial, kiosk, formId, selected, error }: ProcedureChooserProps) {
  const { t, lng } = useStrings()
  const en = lng === 'en'
  const loaded = useLoaderData<SurveyPageData>()
  const rejected = useActionData<SurveyRejection | undefined>()
  const selectedCode = [selected].flat()[0]
  // The server's answer to a refused post wins over the address bar; both over nothing.
  const serverChoice = (selectedCode !== undefined ? (rejected?.procedure ?? null) : loaded?.chosenProcedure) ?? null
  const [options, setOptions] = useState(initial)
  const [text, setText] = useState(query)
  const [chosen, setChosen] = useState<ProcedureOption | null>(serverChoice)
  const [searched, setSearched] = useState(query)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const searchRef = useRef<HTMLInputElement>(null)
  const entry = `${base.split('/')[1]}:${decodeURIComponent(base.split('/')[2] ?? '')}`

  useEffect(() => () => clearTimeout(timer.current), [])

  const search = (value: string) => {
    setText(value)
    clearTimeout(timer.current)
    timer.current = setTimeout(async () => {
      try {
        const res = await fetch(`/procedures/search?q=${encodeURIComponent(value)}&for=${encodeURIComponent(entry)}`)
        if (res.ok) {
          setOptions((await res.json()).procedures)
          setSearched(value)
        }
      } catch {
        // Offline: keep the current list; the citizen may skip this question.
      }
    }, 250)
  }

  const choose = (option: ProcedureOption | null) => {
    setChosen(option)
    // A kiosk serves the next citizen: it remembers nothing.
    if (!kiosk) rememberInUrl(option?.code ?? '')
  }

  // The script arrives after the citizen's first act (ADR 0064), which may have been this choice or a search
  // typed natively: take both up, so that the list, the address bar and the next search agree with the page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the script takes the page over
  useEffect(() => {
    const typed = searchRef.current?.value ?? text
    if (typed !== text) search(typed)
    const ticked = document.querySelector<HTMLInputElement>(`input[name="_procedure"][form="${formId}"]:checked`)
    const code = ticked?.value ?? ''
    if (code !== (chosen?.code ?? '')) choose(options.find((o) => o.code === code) ?? null)
  }, [])

  // The chosen procedure stays on the list whatever the search shows.
  const listed = chosen && !options.some((o) => o.code === chosen.code) ? [chosen, ...options] : options
  const own = listed.filter((o) => o.own === true)
  const others = listed.filter((o) => !own.includes(o))
  const grouped = options.some((o) => o.own === true)
  const nothingFound = options.length === 0 && searched.trim() !== ''
  const clearHref = `${base}${kiosk ? '?kiosk=1' : ''}`

  const radio = (p: ProcedureOption) => (
    <label key={p.code} className="choice">
      <input
        type="radio"
        name="_procedure"
        value={p.code}
        form={formId}
        checked={chosen?.code === p.code}
        onChange={() => choose(p)}
      />
      <span>{en ? p.nameEn : p.nameVi}</span>
    </label>
  )

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
            ref={searchRef}
            name="tthc"
            type="search"
            value={text}
            onChange={(e) => search(e.target.value)}
            aria-describedby="procedure-hint"
            autoComplete="off"
          />
          {kiosk && <input type="hidden" name="kiosk" value="1" />}
          {chosen && <input type="hidden" name="procedure" value={chosen.code} />}
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
        <div aria-live="polite">
          {nothingFound && (
            <div className="notice" role="status" id="procedure-none-found">
              <p>{t('procedure.notFound', { query: searched.trim() })}</p>
              <p>{t('procedure.notFoundWayOn', { none: t('procedure.none') })}</p>
              <p>
                <a
                  href={clearHref}
                  onClick={(e) => {
                    e.preventDefault()
                    search('')
                  }}
                >
                  {t('procedure.clearSearch')}
                </a>
              </p>
            </div>
          )}
          {grouped && own.length > 0 && (
            <fieldset className="choices" style={GROUP_STYLE}>
              <legend className="hint">
                <strong>{t('procedure.ownGroup')}</strong>
              </legend>
              {own.map(radio)}
            </fieldset>
          )}
          {grouped && others.length > 0 && (
            <fieldset className="choices" style={GROUP_STYLE}>
              <legend className="hint">
                <strong>{t(searched.trim() ? 'procedure.otherGroup' : 'procedure.sameLevelGroup')}</strong>
              </legend>
              {others.map(radio)}
            </fieldset>
          )}
          <div className="choices">
            {!grouped && listed.map(radio)}
            <label className="choice">
              <input
                type="radio"
                name="_procedure"
                value=""
                form={formId}
                checked={chosen === null}
                onChange={() => choose(null)}
              />
              <span>{t('procedure.none')}</span>
            </label>
          </div>
        </div>
      </fieldset>
    </section>
  )
}
