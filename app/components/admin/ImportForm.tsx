/** The upload form every catalogue import shares: a file, "check" (preview) and "apply". */
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

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
      <div className="field">
        <label htmlFor={id}>{t('import.file')}</label>
        <input id={id} name="file" type="file" accept=".csv,.xlsx,text/csv" required />
      </div>
      <div className="row-actions">
        <button className="button secondary" name="intent" value="preview">
          {checkLabel}
        </button>
        <button className="button" name="intent" value="apply">
          {applyLabel}
        </button>
      </div>
    </Form>
  )
}
