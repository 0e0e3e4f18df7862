import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ErrorList, Field } from '#app/components/form/Field.tsx'

describe('Field', () => {
  it('labels its input and says nothing more when there is no hint and no error', () => {
    const html = renderToStaticMarkup(<Field id="email" label="Email" inputProps={{ name: 'email', type: 'email' }} />)
    expect(html).toBe(
      '<div class="field"><label for="email">Email</label><input name="email" type="email" id="email"/></div>',
    )
  })

  it('ties the hint and the error to the control and marks it invalid', () => {
    const html = renderToStaticMarkup(
      <Field
        id="period"
        label="Period"
        hint="2025-03 or 2025-Q1"
        errors="Not a period"
        inputProps={{ name: 'period' }}
      />,
    )
    expect(html).toContain('class="field has-error"')
    expect(html).toContain('<span id="period-hint" class="hint">2025-03 or 2025-Q1</span>')
    expect(html).toContain('<ul id="period-error" class="error-list"><li class="error-message">Not a period</li></ul>')
    expect(html).toContain('aria-invalid="true" aria-describedby="period-hint period-error"')
  })

  it('hands the same attributes to another control', () => {
    const html = renderToStaticMarkup(
      <Field id="role" label="Role" errors={['Pick a role']}>
        {(control) => (
          <select name="role" {...control}>
            <option value="analyst">Analyst</option>
          </select>
        )}
      </Field>,
    )
    expect(html).toContain('<select name="role" id="role" aria-invalid="true" aria-describedby="role-error">')
  })
})

describe('ErrorList', () => {
  it('renders nothing without messages, so it can stand anywhere', () => {
    expect(renderToStaticMarkup(<ErrorList errors={null} />)).toBe('')
    expect(renderToStaticMarkup(<ErrorList errors={[null, undefined, '']} />)).toBe('')
  })

  it('lists every message', () => {
    const html = renderToStaticMarkup(<ErrorList id="form-errors" errors={['One', 'Two']} />)
    expect(html).toBe(
      '<ul id="form-errors" class="error-list"><li class="error-message">One</li><li class="error-message">Two</li></ul>',
    )
  })
})
