/**
 * The citizen's form. Server-rendered HTML works alone (native post, server validation). Once JavaScript
 * arrives, react-hook-form validates with the same schema before sending, answers are kept in local
 * storage until they are sent (never on a kiosk), and sending retries with the same submission id.
 */
import { zodResolver } from '@hookform/resolvers/zod'
import { useLoaderData, useNavigate } from '@remix-run/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { allItems } from '#app/domain/questionnaire/definition.ts'
import { summariseErrors } from '#app/domain/survey/error-summary.ts'
import { buildAnswersSchema, fieldName } from '#app/domain/survey/response-schema.ts'
import type { ProcedureOption, SurveyPageData, SurveyRejection, SurveyView } from '#app/domain/survey/view.ts'
import { ItemField, itemAnchor } from './ItemField.tsx'
import { ProcedureChooser } from './ProcedureChooser.tsx'
import { submitWithRetry } from './submit-with-retry.ts'

export interface SurveyFormProps {
  survey: SurveyView
  procedures: ProcedureOption[]
  procedureQuery: string
  submissionId: string
  serverResult?: SurveyRejection
}

type Values = Record<string, unknown>
const PROCEDURE_FIELD = '_procedure'

export function SurveyForm({ survey, procedures, procedureQuery, submissionId, serverResult }: SurveyFormProps) {
  const { t, i18n } = useTranslation('survey')
  const en = i18n.language === 'en'
  const navigate = useNavigate()
  const items = useMemo(() => allItems(survey.version), [survey.version])
  const schema = useMemo(() => buildAnswersSchema(items), [items])
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

  const { register, handleSubmit, formState, watch, reset, setError } = useForm<Values>({
    resolver: zodResolver(schema as never) as never,
    defaultValues: serverResult?.values ?? {},
    shouldFocusError: false,
  })

  // Restore unsent answers (and their submission id, so a resend after a reload is still the same response).
  useEffect(() => {
    setHydrated(true)
    if (survey.kiosk) return
    try {
      const saved = JSON.parse(window.localStorage.getItem(storageKey) ?? 'null') as {
        sid: string
        values: Values
      } | null
      if (saved && !serverResult) {
        reset(saved.values)
        setSid(saved.sid)
        setRestored(true)
      }
    } catch {
      // Private mode or a full quota: the form still works, it just does not remember.
    }
  }, [storageKey, survey.kiosk, reset, serverResult])

  useEffect(() => {
    if (survey.kiosk || !hydrated) return
    const subscription = watch((values) => {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify({ sid, values }))
      } catch {
        // ignore: see above
      }
    })
    return () => subscription.unsubscribe()
  }, [watch, storageKey, sid, survey.kiosk, hydrated])

  const values = watch()
  const required = items.filter((i) => i.required)
  const answered = required.filter((i) => {
    const v = values[fieldName(i.code)]
    return v !== undefined && v !== null && v !== '' && v !== false && !(Array.isArray(v) && !v.length)
  }).length

  const clientErrors: Record<string, string> = {}
  for (const item of items) {
    const message = formState.errors[fieldName(item.code)]?.message
    if (typeof message === 'string') clientErrors[item.code] = message
  }
  const errors = { ...serverErrors, ...clientErrors }
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
  }, [formState.submitCount, serverMessage, errorCodes.length])

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
      for (const [code, message] of Object.entries(fieldErrors)) setError(fieldName(code), { message })
    } catch {
      setStatus('failed')
    }
  }

  const renderItem = (item: (typeof items)[number]) => (
    <ItemField
      key={item.code}
      item={item}
      register={register}
      initial={serverResult?.values[fieldName(item.code)]}
      error={errors[item.code]}
    />
  )
  const profileItems = survey.version.extraItems.filter((i) => i.role === 'profile')
  const otherItems = survey.version.extraItems.filter((i) => i.role !== 'profile')

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
            <ul>
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
        noValidate={hydrated}
        onSubmit={hydrated ? handleSubmit(onValid) : undefined}
      >
        <input type="hidden" name="_sid" value={sid} />
        <input type="hidden" name="_version" value={survey.version.versionId} />
        <input type="hidden" name="_token" value={formToken} />
        {survey.kiosk && <input type="hidden" name="_kiosk" value="1" />}
        {survey.version.elements.map((element) => (
          <section key={element.code} className="element" aria-labelledby={`el-${element.code}`}>
            <h2 id={`el-${element.code}`}>{en ? element.titleEn : element.titleVi}</h2>
            {element.items.map(renderItem)}
          </section>
        ))}
        {otherItems.length > 0 && (
          <section className="element" aria-labelledby="el-other">
            <h2 id="el-other">{t('other')}</h2>
            {otherItems.map(renderItem)}
          </section>
        )}
        {profileItems.length > 0 && (
          <section className="element" aria-labelledby="el-profile">
            <h2 id="el-profile">{t('profile.heading')}</h2>
            <p className="hint">{t('profile.hint')}</p>
            {profileItems.map(renderItem)}
          </section>
        )}
        <div className="hp" aria-hidden="true">
          <label htmlFor="_website">{t('honeypot')}</label>
          <input id="_website" name="_website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <div className="submit-row">
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
