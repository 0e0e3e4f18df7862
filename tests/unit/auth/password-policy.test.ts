/** passwordProblem (app/.server/auth/password-policy.ts): which new passwords are refused, and why. */
import { describe, expect, it } from 'vitest'
import { passwordProblem } from '#app/.server/auth/password-policy.ts'

const EMAIL = 'nguyen.van.a@snv.gov.vn'

describe('passwordProblem', () => {
  it.each([['Mây-trắng bay 2026'], ['correct horse battery'], ['k7#Qv9!mZp2x']])('accepts %j', (password) => {
    expect(passwordProblem(password, EMAIL)).toBeNull()
  })

  it('refuses a password under 10 characters, counting Vietnamese letters as one each', () => {
    expect(passwordProblem('short', EMAIL)).toBe('errors.passwordTooShort')
    expect(passwordProblem('Hài lòng!', EMAIL)).toBe('errors.passwordTooShort')
    expect(passwordProblem('Hài lòng!!', EMAIL)).toBeNull()
  })

  it('refuses a password over 200 characters (scrypt work grows with it)', () => {
    expect(passwordProblem('x'.repeat(201), EMAIL)).toBe('errors.passwordTooLong')
  })

  it.each([
    ['1234567890'],
    ['qwertyuiop'],
    ['PASSWORD123'],
    ['password2026!'],
    ['iloveyou12'],
    ['aaaaaaaaaaaa'],
    ['abcdefghijk'],
    ['9876543210'],
  ])('refuses the common password %j', (password) => {
    expect(passwordProblem(password, EMAIL)).toBe('errors.passwordCommon')
  })

  it.each([['nguyen.van.a@snv.gov.vn'], ['NGUYEN.VAN.A2026'], ['xx-nguyen.van.a-xx']])(
    'refuses %j, which contains the e-mail or its name part',
    (password) => {
      expect(passwordProblem(password, EMAIL)).toBe('errors.passwordContainsEmail')
    },
  )

  it('does not treat a two-letter name part as the e-mail', () => {
    expect(passwordProblem('an toàn hơn 2026', 'an@snv.gov.vn')).toBeNull()
  })
})
