/** onSubmit handler that asks before a destructive or irreversible action; the form posts only on "OK". */
export function confirmBefore(message: string) {
  return (event: { preventDefault(): void }) => {
    if (!window.confirm(message)) event.preventDefault()
  }
}
