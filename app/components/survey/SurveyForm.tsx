/**
 * The citizen's form. Server-rendered HTML works alone (native post, server validation). Once JavaScript
 * arrives, the same rules are checked before sending (use-answers.ts), answers are kept in local
 * storage until they are sent (never on a kiosk), and sending retries with the same submission id.
 */
import { useLoaderData, useNavigate, useSearchParams } from '@remix-run/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { allItems } from '#app/domain/questionnaire/items.ts'
import { summariseErrors } from '#app/domain/survey/error-summary.ts'
import { fieldName } from '#app/domain/survey/response-schema.ts'
import type { ProcedureOption, SurveyPageData, SurveyRejection, SurveyView } from '#app/domain/survey/view.ts'
import { ItemField, itemAnchor } from './ItemField.tsx'
import { ProcedureChooser } from './ProcedureChooser.tsx'
import { submitWithRetry } from './submit-with-retry.ts'
import { isAnswered, readAnswers, useAnswers, type Values } from './use-answers.ts'
import { useStrings } from '../strings.tsx'

export interface SurveyFormProps {
  survey: SurveyView
  procedures: ProcedureOption[]
  procedureQuery: string
  submissionId: string
  serverResult?: SurveyRejection
}

const PROCEDURE_FIELD = '_procedure'
/** Where the citizen's choice of one question per screen is remembered on this device. */
const ONE_BY_ONE_KEY = 'hailong:oneByOne'
/** The inputs stay uncontrolled: a field needs only its name, and the form listens to them all. */
const plain = (name: string) => ({ name })

export function SurveyForm({ survey, procedures, procedureQuery, submissionId, serverResult }: SurveyFormProps) {
  const { t, lng } = useStrings()
  const en = lng === 'en'
  const navigate = useNavigate()
  const items = useMemo(() => allItems(survey.version), [survey.version])
  const base = `/${survey.kind}/${encodeURIComponent(survey.code)}`
  // Not keyed by version: after "the questionnaire was updated" the reload restores the answers by item code.
  const storageKey = `hailong:${survey.kind}:${survey.code}`
  const formRef = useRef<HTMLFormElement>(null)
  const [sid, setSid] = useState(submissionId)
  // The page's signed token goes back with the answers on both paths (docs/anti-rigging.md).
  const { formToken } = useLoaderData<SurveyPageData>()
  const [hydrated, setHydrated] = useState(false)
  const [status, setStatus] = useState<'idle' | 'sending' | 'retrying' | 'failed'>('idle')
  const [restored, setRestored] = useState(false)
  const [serverErrors, setServerErrors] = useState(serverResult?.errors ?? {})
  const [serverMessage, setServerMessage] = useState(serverResult?.message)
  // One question per screen (issue #18): an option once JavaScript runs — the server always renders the
  // whole form, so without JavaScript every question shows and the form submits as before. A link may
  // ask for it (?step=1); the citizen's own choice is remembered on the device (never on a kiosk).
  const [params] = useSearchParams()
  const [oneByOne, setOneByOne] = useState(false)
  const [step, setStep] = useState(0)
  const moved = useRef(false)

  // The server's own rules, run in the browser before sending (ADR 0055).
  const answers = useAnswers(formRef, items, serverResult?.values ?? {})
  const { reset } = answers

  // Restore unsent answers (and their submission id, so a resend after a reload is still the same response).
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, when the page starts
  useEffect(() => {
    let remembered = false
    try {
      remembered = !survey.kiosk && window.localStorage.getItem(ONE_BY_ONE_KEY) === '1'
    } catch {
      // ignore: see below
    }
    if (params.get('step') === '1' || remembered) setOneByOne(true)
  }, [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the script takes the page over
  useEffect(() => {
    setHydrated(true)
    if (!survey.kiosk && restoreKept()) return
    // The script arrives after the citizen's first act (ADR 0064), often a first answer: count and keep it.
    if (formRef.current && Object.values(readAnswers(formRef.current, items)).some(isAnswered)) onChange()
  }, [])

  /** Puts back the answers this device kept unsent; whether there were any. */
  const restoreKept = () => {
    try {
      const saved = JSON.parse(window.localStorage.getItem(storageKey) ?? 'null') as {
        sid: string
        values: Values
      } | null
      if (saved && !serverResult) {
        reset(saved.values)
        setSid(saved.sid)
        setRestored(true)
        return true
      }
    } catch {
      // Private mode or a full quota: the form still works, it just does not remember.
    }
    return false
  }

  /** Each change is kept on the device until it is sent (never on a kiosk). */
  const onChange = () => {
    const changed = answers.onChange()
    if (survey.kiosk || !changed) return
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ sid, values: changed }))
    } catch {
      // ignore: see above
    }
  }

  const values = answers.values
  const required = items.filter((i) => i.required)
  const answered = required.filter((i) => isAnswered(values[fieldName(i.code)])).length

  const errors = { ...serverErrors, ...answers.errors }
  const errorCodes = items.map((i) => i.code).filter((code) => errors[code])
  const summary = summariseErrors(
    items.map((i) => i.code),
    errors,
  )
  const labelOf = (code: string) => {
    const item = items.find((i) => i.code === code)!
    return en ? item.labelEn : item.labelVi
  }
  const summaryRef = useRef<HTMLDivElement>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: every new attempt moves focus to the summary, even with the same errors
  useEffect(() => {
    if (errorCodes.length || serverMessage) summaryRef.current?.focus()
  }, [answers.submitCount, serverMessage, errorCodes.length])

  const onValid = async () => {
    if (!formRef.current) return
    setStatus('sending')
    setServerMessage(undefined)
    try {
      const answer = await submitWithRetry(`${base}/submit`, new FormData(formRef.current), {
        onRetry: () => setStatus('retrying'),
      })
      if (answer.ok && answer.body.redirectTo) {
        try {
          window.localStorage.removeItem(storageKey)
        } catch {
          // ignore
        }
        navigate(answer.body.redirectTo)
        return
      }
      if (answer.body.reload) {
        window.location.assign(window.location.pathname + window.location.search)
        return
      }
      setStatus('idle')
      setServerMessage(answer.body.message)
      const fieldErrors = answer.body.errors ?? {}
      setServerErrors(fieldErrors)
      for (const [code, message] of Object.entries(fieldErrors)) answers.setError(code, message)
    } catch {
      setStatus('failed')
    }
  }

  const profileItems = survey.version.extraItems.filter((i) => i.role === 'profile')
  const otherItems = survey.version.extraItems.filter((i) => i.role !== 'profile')
  // The screens of one-question-per-screen, in the order the page shows the questions.
  const ordered = [...survey.version.elements.flatMap((e) => e.items), ...otherItems, ...profileItems]
  const stepOf = new Map(ordered.map((item, index) => [item.code, index]))
  const current = Math.min(step, ordered.length - 1)
  const shown = (code: string) => !oneByOne || stepOf.get(code) === current
  const goTo = (index: number) => {
    moved.current = true
    setStep(Math.max(0, Math.min(index, ordered.length - 1)))
  }
  const toggleOneByOne = () => {
    const next = !oneByOne
    setOneByOne(next)
    if (!survey.kiosk)
      try {
        window.localStorage.setItem(ONE_BY_ONE_KEY, next ? '1' : '0')
      } catch {
        // ignore: the choice just is not remembered
      }
  }
  // Each new screen moves the focus to its question, so a screen reader reads it and the keyboard is there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a move between screens moves the focus
  useEffect(() => {
    if (!oneByOne || !moved.current) return
    moved.current = false
    const item = ordered[current]
    if (item) document.getElementById(itemAnchor(item.code))?.focus()
  }, [current, oneByOne])
  // A refused attempt shows the screen of the first question that needs an answer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on each attempt only
  useEffect(() => {
    if (!oneByOne || !errorCodes.length) return
    const first = ordered.findIndex((i) => errors[i.code])
    if (first >= 0) setStep(first)
  }, [answers.submitCount, serverErrors])
  /** An error summary link on a hidden question first shows its screen. */
  const onSummaryClick = (event: React.MouseEvent) => {
    const href = (event.target as HTMLElement).closest('a')?.getAttribute('href')
    const item = ordered.find((i) => `#${itemAnchor(i.code)}` === href)
    if (oneByOne && item) goTo(stepOf.get(item.code)!)
  }

  const renderItem = (item: (typeof items)[number]) => (
    <div key={item.code} hidden={!shown(item.code)}>
      <ItemField
        item={item}
        register={plain}
        initial={serverResult?.values[fieldName(item.code)]}
        error={errors[item.code]}
      />
    </div>
  )

  return (
    <>
      {(errorCodes.length > 0 || serverMessage) && (
        <div
          className="error-summary"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
          aria-labelledby="error-summary-title"
        >
          <h2 id="error-summary-title">
            {serverMessage && !errorCodes.length
              ? serverMessage
              : summary.missing.length
                ? t('errorSummary', { count: summary.missing.length })
                : t('errorSummaryFix', { count: summary.others.length })}
          </h2>
          {errorCodes.length > 0 && (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the links inside are the keyboard targets; this only reveals their screen
            <ul onClick={onSummaryClick}>
              {/* Twenty identical "please choose" lines help no one: one link to the first unanswered question. */}
              {summary.missing.length > 0 && (
                <li>
                  <a href={`#${itemAnchor(summary.missing[0]!)}`}>
                    {t('errorSummaryFirst', { label: labelOf(summary.missing[0]!) })}
                  </a>
                </li>
              )}
              {summary.others.map(({ code, message }) => (
                <li key={code}>
                  <a href={`#${itemAnchor(code)}`}>{labelOf(code)}</a>: {t(message.replace(/^survey\./, ''))}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {restored && (
        <p className="notice" role="status">
          {t('restored')}
        </p>
      )}
      <div className="progress">
        <label htmlFor="survey-progress" className="hint">
          {t('progressStatus', { answered, total: required.length })}
        </label>
        <progress id="survey-progress" max={required.length} value={answered} />
      </div>
      {/* Rendered by the server too, unseen until the script runs (data-pending), so that its appearing moves
          nothing below it (a layout shift Lighthouse counted, issue 20); without JavaScript it takes no room. */}
      {ordered.length > 1 && (
        <div className="one-by-one" data-pending={hydrated ? undefined : ''}>
          <button
            type="button"
            className="button secondary small"
            aria-pressed={oneByOne}
            aria-describedby="one-by-one-hint"
            onClick={toggleOneByOne}
          >
            {t('oneByOne.toggle')}
          </button>
          <p id="one-by-one-hint" className="hint">
            {t('oneByOne.hint')}
          </p>
        </div>
      )}
      {!survey.procedure && (
        <ProcedureChooser
          base={base}
          query={procedureQuery}
          initial={procedures}
          kiosk={survey.kiosk}
          formId="survey-form"
          selected={serverResult?.values[PROCEDURE_FIELD]}
          error={errors[PROCEDURE_FIELD]}
        />
      )}
      <form
        id="survey-form"
        method="post"
        action={`${base}${survey.kiosk ? '?kiosk=1' : ''}`}
        ref={formRef}
        // Whether the page's script must come at once rather than on the first act (held-scripts.tsx).
        data-scripts-now={params.get('step') === '1' ? '' : undefined}
        data-scripts-if-kept={survey.kiosk ? undefined : `${storageKey} ${ONE_BY_ONE_KEY}`}
        noValidate={hydrated}
        onSubmit={hydrated ? answers.onSubmit(onValid) : undefined}
        onChange={hydrated ? onChange : undefined}
      >
        <input type="hidden" name="_sid" value={sid} />
        <input type="hidden" name="_version" value={survey.version.versionId} />
        <input type="hidden" name="_token" value={formToken} />
        {survey.kiosk && <input type="hidden" name="_kiosk" value="1" />}
        {oneByOne && (
          <p id="step-progress" className="step-progress" aria-live="polite">
            {t('oneByOne.progress', { current: current + 1, total: ordered.length })}
          </p>
        )}
        {survey.version.elements.map((element) => (
          <section
            key={element.code}
            className="element"
            aria-labelledby={`el-${element.code}`}
            hidden={!element.items.some((i) => shown(i.code))}
          >
            <h2 id={`el-${element.code}`}>{en ? element.titleEn : element.titleVi}</h2>
            {element.items.map(renderItem)}
          </section>
        ))}
        {otherItems.length > 0 && (
          <section className="element" aria-labelledby="el-other" hidden={!otherItems.some((i) => shown(i.code))}>
            <h2 id="el-other">{t('other')}</h2>
            {otherItems.map(renderItem)}
          </section>
        )}
        {profileItems.length > 0 && (
          <section className="element" aria-labelledby="el-profile" hidden={!profileItems.some((i) => shown(i.code))}>
            <h2 id="el-profile">{t('profile.heading')}</h2>
            <p className="hint">{t('profile.hint')}</p>
            {profileItems.map(renderItem)}
          </section>
        )}
        <div className="hp" aria-hidden="true">
          <label htmlFor="_website">{t('honeypot')}</label>
          <input id="_website" name="_website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        {oneByOne && (
          <div className="step-nav">
            <button
              type="button"
              className="button secondary"
              disabled={current === 0}
              onClick={() => goTo(current - 1)}
            >
              {t('oneByOne.previous')}
            </button>
            {current < ordered.length - 1 && (
              <button type="button" className="button" onClick={() => goTo(current + 1)}>
                {t('oneByOne.next')}
              </button>
            )}
          </div>
        )}
        <div className="submit-row" hidden={oneByOne && current < ordered.length - 1}>
          <button className="button" type="submit" disabled={status === 'sending' || status === 'retrying'}>
            {status === 'sending' ? t('submitting') : status === 'retrying' ? t('retrying') : t('submit')}
          </button>
          <p role="status" aria-live="polite" className={status === 'failed' ? 'error-message' : 'hint'}>
            {status === 'retrying'
              ? t('retrying')
              : status === 'failed'
                ? t(survey.kiosk ? 'offlineKiosk' : 'offlineSaved', { button: t('submit') })
                : ''}
          </p>
        </div>
      </form>
    </>
  )
}
