/**
 * What the error summary at the top of the survey says: how many required answers are missing (one line
 * and a link to the first, instead of twenty identical messages), and each other error on its own.
 */
export const REQUIRED_MESSAGE = 'survey.errors.required'

export interface ErrorSummary {
  /** Codes of required items left unanswered, in form order. */
  missing: string[]
  /** Other errors (an invalid or too long answer), in form order, each with its message key. */
  others: Array<{ code: string; message: string }>
}

export function summariseErrors(itemCodes: readonly string[], errors: Readonly<Record<string, string>>): ErrorSummary {
  const missing: string[] = []
  const others: ErrorSummary['others'] = []
  for (const code of itemCodes) {
    const message = errors[code]
    if (!message) continue
    if (message === REQUIRED_MESSAGE) missing.push(code)
    else others.push({ code, message })
  }
  return { missing, others }
}
