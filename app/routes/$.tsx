/**
 * Every address no other route answers. Without this route Remix answers such an address with its own
 * 404 and runs no loader, so the error page had neither the visitor's language nor the layout's words,
 * which the root loader now carries (ADR 0055). Here the root loader runs, and the root's error boundary
 * says "not found" in the visitor's language, on the server and after hydration alike.
 */
import { data } from '@remix-run/node'

function notFound(): never {
  throw data(null, { status: 404 })
}

export const loader = notFound
// A form posted to an unknown address is not found either (not "method not allowed").
export const action = notFound

export default function NotFound() {
  return null
}
