/**
 * The survey form's state once JavaScript runs: what is answered (for the progress bar and the copy kept
 * on the device), the errors of the last attempt, and the attempts themselves. The inputs stay uncontrolled,
 * as in the server's HTML, and are read from the form itself; the rules are the server's (checkAnswers).
 * It does for this one form what react-hook-form did, in a few hundred bytes: the survey page's script
 * budget has no room for the library (ADR 0055). Admin forms keep react-hook-form.
 */
import { type FormEvent, type RefObject, useCallback, useState } from 'react'
import type { ItemDefinition } from '#app/domain/questionnaire/definition.ts'
import { checkAnswers, fieldName } from '#app/domain/survey/response-schema.ts'

export type Values = Record<string, unknown>

/** Whether a value read from the form is an answer: a choice, some text, a non-empty list. */
export function isAnswered(value: unknown): boolean {
  return (
    value !== undefined && value !== null && value !== '' && value !== false && !(Array.isArray(value) && !value.length)
  )
}

/** The form's answers keyed by field name: a list for checkboxes, else the value or null. */
export function readAnswers(form: HTMLFormElement, items: ItemDefinition[]): Values {
  const data = new FormData(form)
  const values: Values = {}
  for (const item of items) {
    const name = fieldName(item.code)
    const all = data.getAll(name).map(String)
    values[name] = item.type === 'multiple' ? all : (all[0] ?? null)
  }
  return values
}

/** Puts answers back into the form's inputs (restoring what the device kept). */
export function writeAnswers(form: HTMLFormElement, items: ItemDefinition[], values: Values) {
  for (const item of items) {
    const name = fieldName(item.code)
    const value = values[name]
    const chosen = new Set((Array.isArray(value) ? value : [value]).map(String))
    for (const element of Array.from(form.elements)) {
      if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) continue
      if (element.name !== name) continue
      if (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox'))
        element.checked = chosen.has(element.value)
      else element.value = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
    }
  }
}

export function useAnswers(form: RefObject<HTMLFormElement>, items: ItemDefinition[], initial: Values) {
  const [values, setValues] = useState<Values>(initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [submitCount, setSubmitCount] = useState(0)

  const check = (current: Values) => {
    const result = checkAnswers(items, current)
    setErrors(result.ok ? {} : result.errors)
    return result.ok
  }

  /** Every change: the answers again; after a first attempt, their errors too (as one answers them). */
  const onChange = () => {
    if (!form.current) return
    const current = readAnswers(form.current, items)
    setValues(current)
    if (submitCount > 0) check(current)
    return current
  }

  /** A send: checked first; only answers that pass go on to `valid`. */
  const onSubmit = (valid: () => void) => (event: FormEvent) => {
    event.preventDefault()
    if (!form.current) return
    const current = readAnswers(form.current, items)
    setValues(current)
    setSubmitCount((n) => n + 1)
    if (check(current)) valid()
  }

  const reset = useCallback(
    (saved: Values) => {
      if (form.current) writeAnswers(form.current, items, saved)
      setValues(saved)
    },
    [form, items],
  )

  /** Marks a field wrong with the server's word for it. */
  const setError = (code: string, message: string) => setErrors((e) => ({ ...e, [code]: message }))

  return { values, errors, submitCount, onChange, onSubmit, reset, setError }
}
