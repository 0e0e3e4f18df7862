/**
 * Personal data in free text (Decree 13/2023/NĐ-CP): citizens write their phone number, citizen-ID number or
 * e-mail into a suggestion box although the survey is anonymous. These are masked before anything is stored,
 * so no analyst, export or backup ever holds them. The marks say what was there, so a suggestion such as
 * "gọi lại cho tôi qua [SĐT]" still reads sensibly.
 */

export const PERSONAL_DATA_MARKS = { email: '[email]', phone: '[SĐT]', idNumber: '[CCCD/CMND]' } as const

// Any run of digits possibly split by spaces, dots or dashes ("0912 345 678", "0912.345.678"), optionally led
// by +84 or 84. What it is depends on how many digits it holds, decided in maskDigits.
const DIGIT_RUN = /(?<![\p{L}\p{N}])(?:\+?84[\s.-]?)?\d(?:[\s.-]?\d){7,14}(?![\p{L}\p{N}])/gu
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu

// "1.500.000.000" is an amount of money: thousands groups after a first group without a leading zero.
const AMOUNT = /^[1-9]\d{0,2}(?:[.,]\d{3})+$/

function maskDigits(run: string): string {
  if (AMOUNT.test(run)) return run
  const digits = run.replace(/\D/g, '')
  const international = /^\+?84/.test(run.trim()) && digits.length === 11
  // Vietnamese mobile and landline numbers: 10 digits from 0 (11 for old landlines), or 84 + 9 digits.
  if (international || (digits.startsWith('0') && (digits.length === 10 || digits.length === 11)))
    return PERSONAL_DATA_MARKS.phone
  // Citizen identity card (CCCD, 12 digits) and the older identity card (CMND, 9 digits).
  if (digits.length === 12 || digits.length === 9) return PERSONAL_DATA_MARKS.idNumber
  // Anything else this long is more likely an identifier than a quantity: mask it rather than guess.
  return digits.length >= 9 ? PERSONAL_DATA_MARKS.idNumber : run
}

/** The text with e-mail addresses, phone numbers and identity-card numbers replaced by marks. */
export function maskPersonalData(text: string): string {
  return text.replace(EMAIL, PERSONAL_DATA_MARKS.email).replace(DIGIT_RUN, maskDigits)
}
