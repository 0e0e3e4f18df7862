/**
 * One form field as the GOV.UK Design System lays it out: label above, then hint, then the error, then the
 * control. The hint and the error are tied to the control by aria-describedby so a screen reader reads them
 * when the control takes focus. Texts arrive translated: this module knows nothing of i18next.
 */
import type { InputHTMLAttributes, ReactNode } from 'react'

/** What a validator hands back for one field: nothing, one message, or several. */
export type Errors = string | ReadonlyArray<string | null | undefined> | null | undefined

function messages(errors: Errors): string[] {
  if (!errors) return []
  if (typeof errors === 'string') return [errors]
  // A message said twice helps no one, and each must be a unique React key.
  return [...new Set(errors.filter((e): e is string => Boolean(e)))]
}

/** The messages of one field or one form; renders nothing when there are none, so it can always be placed. */
export function ErrorList({ id, errors }: { id?: string; errors: Errors }) {
  const list = messages(errors)
  if (list.length === 0) return null
  return (
    <ul id={id} className="error-list">
      {list.map((message) => (
        <li key={message} className="error-message">
          {message}
        </li>
      ))}
    </ul>
  )
}

/** The attributes a control needs to be labelled, described and marked invalid. */
export interface ControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

export interface FieldProps {
  /** The control's id; the hint and error ids derive from it. */
  id: string
  label: ReactNode
  hint?: ReactNode
  errors?: Errors
  className?: string
  /** Attributes of the default control, an <input>. */
  inputProps?: InputHTMLAttributes<HTMLInputElement>
  /** Another control (a <select>, a <textarea>): spread the given props on it. */
  children?: (control: ControlProps) => ReactNode
}

export function Field({ id, label, hint, errors, className, inputProps, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = messages(errors).length > 0 ? `${id}-error` : undefined
  const control: ControlProps = {
    id,
    'aria-invalid': errorId ? true : undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  }
  const classes = ['field', errorId ? 'has-error' : null, className].filter(Boolean).join(' ')
  return (
    <div className={classes}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      <ErrorList id={errorId} errors={errors} />
      {children ? children(control) : <input {...inputProps} {...control} />}
    </div>
  )
}
