/**
 * The Content-Security-Policy nonce of the page being rendered (scripts/server/security-headers.ts makes a
 * fresh one per request). Remix's inline scripts carry it; browsers hide it from the DOM after parsing, so
 * in the browser it is empty and only the server's HTML holds it.
 */
import { createContext, useContext } from 'react'

export const CspNonceContext = createContext<string | undefined>(undefined)

export const useCspNonce = () => useContext(CspNonceContext)
