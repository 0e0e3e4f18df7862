/** A page's translations as the locale files hold them: nested objects of strings (ADR 0055). */
export interface Strings {
  readonly [key: string]: string | Strings
}
