/** The upload form every catalogue import shares: a file, "check" (preview) and "apply". */
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Field } from '#app/components/form/Field.tsx'

export function ImportForm({
  id,
  checkLabel,
  applyLabel,
  children,
}: {
  id: string
  checkLabel: string
  applyLabel: string
  children?: ReactNode
}) {
  const { t } = useTranslation('admin')
  return (
    <Form method="post" encType="multipart/form-data">
      {children}
      <Field
        id={id}
        label={t('import.file')}
        inputProps={{ name: 'file', type: 'file', accept: '.csv,.xlsx,text/csv', required: true }}
      />
      <div className="row-actions">
        <button type="submit" className="button secondary" name="intent" value="preview">
          {checkLabel}
        </button>
        <button type="submit" className="button" name="intent" value="apply">
          {applyLabel}
        </button>
      </div>
    </Form>
  )
}
