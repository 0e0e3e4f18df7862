/**
 * The questionnaire designer: elements and items as react-hook-form field arrays, checked with the same
 * zod schema the server uses, with a live preview rendered by the citizen's own form components.
 */
import { useFetcher } from '@remix-run/react'
import { useMemo, useState } from 'react'
import { type Control, useFieldArray, useForm, type UseFormRegister, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import {
  INDEX_METHODS,
  ITEM_ROLES,
  ITEM_TYPES,
  questionnaireDefinitionSchema,
  type QuestionnaireDefinition,
} from '#app/domain/questionnaire/definition.ts'
import { Field } from '#app/components/form/Field.tsx'
import { ItemField } from '#app/components/survey/ItemField.tsx'
import { type DesignerValues, fromDesignerValues, keyedByCode, newItem, toDesignerValues } from './designer-form.ts'

type Issue = { path: string; message: string }

/** The same message at the same place is said once (it is also the list's React key). */
function distinctIssues(issues: Issue[]): Issue[] {
  return [...new Map(issues.map((i) => [`${i.path}:${i.message}`, i])).values()]
}

function ItemEditor({
  prefix,
  register,
  onRemove,
  onUp,
  onDown,
}: {
  prefix: string
  register: UseFormRegister<DesignerValues>
  onRemove: () => void
  onUp?: () => void
  onDown?: () => void
}) {
  const { t } = useTranslation('admin')
  const r = (name: string, options?: object) => register(`${prefix}.${name}` as never, options)
  const id = (name: string) => `${prefix}.${name}`.replace(/\./g, '-')
  const input = (name: string, label: string, type = 'text') => (
    <Field id={id(name)} label={label}>
      {(control) => (
        <input {...control} type={type} {...r(name, type === 'number' ? { valueAsNumber: false } : undefined)} />
      )}
    </Field>
  )
  const select = (name: 'type' | 'role', label: string, values: readonly string[], text: (value: string) => string) => (
    <Field id={id(name)} label={label}>
      {(control) => (
        <select {...control} {...r(name)}>
          {values.map((v) => (
            <option key={v} value={v}>
              {text(v)}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
  const check = (name: string, label: string) => (
    <label className="choice">
      <input type="checkbox" {...r(name)} /> <span>{label}</span>
    </label>
  )
  return (
    <div className="designer-item">
      <div className="grid-form">
        {input('code', t('common.code'))}
        {select('type', t('designer.type'), ITEM_TYPES, (v) => t(`designer.types.${v}`))}
        {select('role', t('designer.role'), ITEM_ROLES, (v) => t(`designer.roles.${v}`))}
      </div>
      {input('labelVi', t('designer.labelVi'))}
      {input('labelEn', t('designer.labelEn'))}
      <div className="grid-form">
        {check('required', t('designer.required'))}
        {check('countsInIndex', t('designer.countsInIndex'))}
        {input('satisfiedThreshold', t('designer.threshold'), 'number')}
        {input('maxLength', t('designer.maxLength'), 'number')}
      </div>
      <Field id={id('optionsText')} label={t('designer.options')} hint={t('designer.optionsHint')}>
        {(control) => <textarea {...control} rows={4} {...r('optionsText')} />}
      </Field>
      <div className="row-actions">
        {onUp && (
          <button type="button" className="button small secondary" onClick={onUp}>
            {t('designer.moveUp')}
          </button>
        )}
        {onDown && (
          <button type="button" className="button small secondary" onClick={onDown}>
            {t('designer.moveDown')}
          </button>
        )}
        <button type="button" className="button small secondary" onClick={onRemove}>
          {t('designer.removeItem')}
        </button>
      </div>
    </div>
  )
}

function ItemList({
  name,
  control,
  register,
}: {
  name: `elements.${number}.items` | 'extraItems'
  control: Control<DesignerValues>
  register: UseFormRegister<DesignerValues>
}) {
  const { t } = useTranslation('admin')
  const { fields, append, remove, move } = useFieldArray({ control, name })
  return (
    <>
      {fields.map((field, index) => (
        <ItemEditor
          key={field.id}
          prefix={`${name}.${index}`}
          register={register}
          onRemove={() => remove(index)}
          onUp={index > 0 ? () => move(index, index - 1) : undefined}
          onDown={index < fields.length - 1 ? () => move(index, index + 1) : undefined}
        />
      ))}
      <button
        type="button"
        className="button small secondary"
        onClick={() => append(newItem(`${name === 'extraItems' ? 'X' : 'Q'}${fields.length + 1}`))}
      >
        {t('designer.addItem')}
      </button>
    </>
  )
}

function Preview({ control }: { control: Control<DesignerValues> }) {
  const values = useWatch({ control }) as DesignerValues
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const preview = useForm<Record<string, unknown>>()
  const { definition } = useMemo(() => fromDesignerValues(values), [values])
  return (
    <section className="designer-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('designer.preview')}</h2>
      <div className="phone">
        <h3>{en ? definition.nameEn : definition.nameVi}</h3>
        {keyedByCode(definition.elements).map(({ key, value: e }) => (
          <section key={key} className="element">
            <h4>{en ? e.titleEn : e.titleVi}</h4>
            {keyedByCode(e.items).map(({ key, value: item }) => (
              <ItemField key={key} item={item} register={preview.register} initial={undefined} error={undefined} />
            ))}
          </section>
        ))}
        {keyedByCode(definition.extraItems).map(({ key, value: item }) => (
          <ItemField key={key} item={item} register={preview.register} initial={undefined} error={undefined} />
        ))}
      </div>
    </section>
  )
}

export function QuestionnaireDesigner({ definition }: { definition: QuestionnaireDefinition }) {
  const { t } = useTranslation('admin')
  const fetcher = useFetcher<{ ok: boolean; issues?: Issue[]; error?: string }>()
  const { control, register, handleSubmit } = useForm<DesignerValues>({ defaultValues: toDesignerValues(definition) })
  const { fields: elements, append, remove, move } = useFieldArray({ control, name: 'elements' })
  const [clientIssues, setClientIssues] = useState<Issue[]>([])

  const onSubmit = (values: DesignerValues) => {
    const { definition: def, problems } = fromDesignerValues(values)
    const parsed = questionnaireDefinitionSchema.safeParse(def)
    const issues = distinctIssues([
      ...problems.map((p) => ({ path: p.split(': ')[0], message: p.split(': ')[1] })),
      ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))),
    ])
    setClientIssues(issues)
    if (issues.length) return
    fetcher.submit({ intent: 'save', definition: JSON.stringify(def) }, { method: 'post' })
  }
  const issues = clientIssues.length ? clientIssues : distinctIssues(fetcher.data?.issues ?? [])
  const saving = fetcher.state !== 'idle'

  return (
    <div className="designer-layout">
      <form onSubmit={handleSubmit(onSubmit)} noValidate aria-labelledby="designer-heading">
        <h2 id="designer-heading">{t('designer.title')}</h2>
        {issues.length > 0 && (
          <div className="error-summary" role="alert" tabIndex={-1}>
            <h3>{t('common.errors')}</h3>
            <ul>
              {issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  <code>{i.path}</code>: {t(i.message)}
                </li>
              ))}
            </ul>
          </div>
        )}
        {fetcher.data?.ok && !saving && !clientIssues.length && (
          <p className="notice" role="status">
            {t('designer.saved')}
          </p>
        )}
        <div className="grid-form">
          <Field id="d-nameVi" label={t('common.nameVi')}>
            {(control) => <input {...control} {...register('nameVi')} />}
          </Field>
          <Field id="d-nameEn" label={t('common.nameEn')}>
            {(control) => <input {...control} {...register('nameEn')} />}
          </Field>
          <Field id="d-method" label={t('designer.indexMethod')}>
            {(control) => (
              <select {...control} {...register('indexMethod')}>
                {INDEX_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <h3>{t('designer.elements')}</h3>
        {elements.map((element, index) => (
          <fieldset key={element.id} className="designer-element">
            <legend>{t('designer.element', { number: index + 1 })}</legend>
            <div className="grid-form">
              <Field id={`e-${index}-code`} label={t('common.code')}>
                {(control) => <input {...control} {...register(`elements.${index}.code`)} />}
              </Field>
              <Field id={`e-${index}-weight`} label={t('designer.weight')}>
                {(control) => (
                  <input {...control} type="number" step="any" min="0" {...register(`elements.${index}.weight`)} />
                )}
              </Field>
            </div>
            <Field id={`e-${index}-titleVi`} label={t('designer.titleVi')}>
              {(control) => <input {...control} {...register(`elements.${index}.titleVi`)} />}
            </Field>
            <Field id={`e-${index}-titleEn`} label={t('designer.titleEn')}>
              {(control) => <input {...control} {...register(`elements.${index}.titleEn`)} />}
            </Field>
            <h4>{t('designer.items')}</h4>
            <ItemList name={`elements.${index}.items`} control={control} register={register} />
            <div className="row-actions">
              {index > 0 && (
                <button type="button" className="button small secondary" onClick={() => move(index, index - 1)}>
                  {t('designer.moveUp')}
                </button>
              )}
              {index < elements.length - 1 && (
                <button type="button" className="button small secondary" onClick={() => move(index, index + 1)}>
                  {t('designer.moveDown')}
                </button>
              )}
              <button type="button" className="button small secondary" onClick={() => remove(index)}>
                {t('designer.removeElement')}
              </button>
            </div>
          </fieldset>
        ))}
        <button
          type="button"
          className="button secondary"
          onClick={() => append({ code: `E${elements.length + 1}`, weight: 1, titleVi: '', titleEn: '', items: [] })}
        >
          {t('designer.addElement')}
        </button>
        <h3>{t('designer.extraItems')}</h3>
        <ItemList name="extraItems" control={control} register={register} />
        <div className="submit-row">
          <button className="button" type="submit" disabled={saving}>
            {saving ? t('designer.saving') : t('designer.save')}
          </button>
        </div>
      </form>
      <Preview control={control} />
    </div>
  )
}
