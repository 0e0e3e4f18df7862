/**
 * What a new password must not be. Length alone let "1234567890" and the user's own e-mail through; a
 * maintained list of the passwords people really choose (zxcvbn's, about 49,000) catches those, and a
 * password that contains the e-mail or its name part is refused because it is the first thing tried.
 */
import { dictionary } from '@zxcvbn-ts/language-common'

export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 200

export type PasswordProblem =
  | 'errors.passwordTooShort'
  | 'errors.passwordTooLong'
  | 'errors.passwordCommon'
  | 'errors.passwordContainsEmail'

const COMMON = new Set(dictionary.passwords.map((p) => p.toLowerCase()))

/** A password made of a common one plus digits or symbols at the end ("password2026!") is common too. */
function isCommon(password: string): boolean {
  const lower = password.toLowerCase()
  if (COMMON.has(lower)) return true
  const stem = lower.replace(/[\d\W_]+$/u, '')
  if (stem.length >= 4 && COMMON.has(stem)) return true
  // One character repeated, or a run such as "abcdefghij" / "0987654321", is not on every list.
  if (/^(.)\1+$/u.test(lower)) return true
  const codes = [...lower].map((c) => c.codePointAt(0)!)
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!))
  return steps.size === 1 && [...steps].every((s) => Math.abs(s) === 1)
}

/** The first problem with a new password, or null when it may be used. */
export function passwordProblem(password: string, email: string | null): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'errors.passwordTooShort'
  if (password.length > MAX_PASSWORD_LENGTH) return 'errors.passwordTooLong'
  if (isCommon(password)) return 'errors.passwordCommon'
  if (email) {
    const lower = password.toLowerCase()
    const address = email.toLowerCase()
    const name = address.split('@')[0] ?? ''
    if (lower.includes(address) || (name.length >= 3 && lower.includes(name))) return 'errors.passwordContainsEmail'
  }
  return null
}
