/**
 * The questionnaire designer: elements and items as react-hook-form field arrays, checked with the same
 * zod schema the server uses, with a live preview rendered by the citizen's own form components.
 */
import { useFetcher } from '@remix-run/react'
import { useMemo, useState } from 'react'
import {
  type Control,
  type UseFormGetValues,
  useFieldArray,
  useForm,
  type UseFormRegister,
  useWatch,
} from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import {
  INDEX_METHODS,
  ITEM_ROLES,
  ITEM_TYPES,
  inLanguage,
  questionnaireDefinitionSchema,
  type QuestionnaireDefinition,
} from '#app/domain/questionnaire/definition.ts'
import { rewordings } from '#app/domain/questionnaire/diff.ts'
import { Field } from '#app/components/form/Field.tsx'
import { fieldPathWords } from '#app/domain/code-words.ts'
import { StringsProvider } from '#app/components/strings.tsx'
import { ItemField } from '#app/components/survey/ItemField.tsx'
import {
  type DesignerValues,
  defaultInsertIndex,
  freeCode,
  fromDesignerValues,
  keyedByCode,
  newItem,
  toDesignerValues,
} from './designer-form.ts'

/** The previous published version's elements and items, which the draft's wording is compared with. */
type Previous = Pick<QuestionnaireDefinition, 'elements' | 'extraItems'> | null

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
  onInsertBelow,
}: {
  prefix: string
  register: UseFormRegister<DesignerValues>
  onInsertBelow: () => void
  onRemove: () => void
  onUp?: () => void
  onDown?: () => void
}) {
  const { t } = useTranslation('admin')
  const r = (name: string, options?: object) => register(`${prefix}.${name}` as never, options)
  const id = (name: string) => `${prefix}.${name}`.replace(/\./g, '-')
  const input = (name: string, label: string, type = 'text', hint?: string) => (
    <Field id={id(name)} label={label} hint={hint}>
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
      {input('labelEn', t('designer.labelEn'), 'text', t('designer.englishOptional'))}
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
        <button type="button" className="button small secondary" onClick={onInsertBelow}>
          {t('designer.insertBelow')}
        </button>
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
  getValues,
}: {
  name: `elements.${number}.items` | 'extraItems'
  control: Control<DesignerValues>
  register: UseFormRegister<DesignerValues>
  getValues: UseFormGetValues<DesignerValues>
}) {
  const { t, i18n } = useTranslation('admin')
  const { fields, insert, remove, move } = useFieldArray({ control, name })
  const items = (useWatch({ control, name }) ?? []) as DesignerValues['extraItems']
  // The administrator chooses where the new question goes; by default before the overall question.
  const [position, setPosition] = useState<string>('')
  const chosen = position === '' ? defaultInsertIndex(items) : Math.min(Number(position), fields.length)
  const add = (at: number) => insert(at, newItem(freeCode(name === 'extraItems' ? 'X' : 'Q', getValues())))
  const positionId = `${name.replace(/\./g, '-')}-position`
  return (
    <>
      {fields.map((field, index) => (
        <ItemEditor
          key={field.id}
          prefix={`${name}.${index}`}
          register={register}
          onInsertBelow={() => add(index + 1)}
          onRemove={() => remove(index)}
          onUp={index > 0 ? () => move(index, index - 1) : undefined}
          onDown={index < fields.length - 1 ? () => move(index, index + 1) : undefined}
        />
      ))}
      <div className="row-actions">
        <Field id={positionId} label={t('designer.insertPosition')}>
          {(ctl) => (
            <select {...ctl} value={String(chosen)} onChange={(e) => setPosition(e.target.value)}>
              <option value="0">{t('designer.positionFirst')}</option>
              {items.map((item, index) => (
                // Positions are the list's slots; a code may repeat while being typed.
                // biome-ignore lint/suspicious/noArrayIndexKey: the slot index is the identity here
                <option key={index} value={String(index + 1)}>
                  {t('designer.positionAfter', {
                    code: item.code,
                    label: inLanguage(i18n.language, item.labelVi, item.labelEn).slice(0, 60),
                  })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="button" className="button small secondary" onClick={() => add(chosen)}>
          {t('designer.addItem')}
        </button>
      </div>
    </>
  )
}

/** Items reworded under their old code: the administrator answers "same meaning" here, or changes the code. */
function Rewordings({
  control,
  register,
  previous,
}: {
  control: Control<DesignerValues>
  register: UseFormRegister<DesignerValues>
  previous: Previous
}) {
  const { t } = useTranslation('admin')
  const values = useWatch({ control }) as DesignerValues
  const list = useMemo(() => {
    if (!previous) return []
    const { definition } = fromDesignerValues(values)
    const paths = new Map<string, string>()
    for (const [ei, e] of (values.elements ?? []).entries())
      for (const [ii, i] of (e.items ?? []).entries()) paths.set(i.code, `elements.${ei}.items.${ii}`)
    for (const [ii, i] of (values.extraItems ?? []).entries()) paths.set(i.code, `extraItems.${ii}`)
    return rewordings(previous, definition).map((r) => ({ ...r, path: paths.get(r.code)! }))
  }, [values, previous])
  if (!list.length) return null
  return (
    <div className="notice" role="status" aria-labelledby="reworded-heading">
      <h3 id="reworded-heading">{t('designer.reworded.title', { count: list.length })}</h3>
      <p>{t('designer.reworded.hint')}</p>
      <ul>
        {list.map((r) => (
          <li key={r.code}>
            <p>
              <strong>{r.code}</strong>: {t('designer.reworded.change', { before: r.before, after: r.after })}
            </p>
            <label className="choice">
              <input type="checkbox" {...register(`${r.path}.sameMeaning` as never)} />{' '}
              <span>{t('designer.reworded.sameMeaning', { code: r.code })}</span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  )
}

function Preview({ control }: { control: Control<DesignerValues> }) {
  const values = useWatch({ control }) as DesignerValues
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  const { t: ts } = useTranslation('survey')
  const preview = useForm<Record<string, unknown>>()
  const { definition } = useMemo(() => fromDesignerValues(values), [values])
  return (
    <section className="designer-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('designer.preview')}</h2>
      {/* The survey's fields read their words from a StringsProvider; here they come from i18next. */}
      <StringsProvider t={(key, v) => ts(key, v)} lng={en ? 'en' : 'vi'}>
        <div className="phone">
          <h3>{en ? definition.nameEn || definition.nameVi : definition.nameVi}</h3>
          {keyedByCode(definition.elements).map(({ key, value: e }) => (
            <section key={key} className="element">
              <h4>{en ? e.titleEn || e.titleVi : e.titleVi}</h4>
              {keyedByCode(e.items).map(({ key, value: item }) => (
                <ItemField key={key} item={item} register={preview.register} initial={undefined} error={undefined} />
              ))}
            </section>
          ))}
          {keyedByCode(definition.extraItems).map(({ key, value: item }) => (
            <ItemField key={key} item={item} register={preview.register} initial={undefined} error={undefined} />
          ))}
        </div>
      </StringsProvider>
    </section>
  )
}

export function QuestionnaireDesigner({
  definition,
  previous = null,
}: {
  definition: QuestionnaireDefinition
  previous?: Previous
}) {
  const { t } = useTranslation('admin')
  const fetcher = useFetcher<{
    ok: boolean
    issues?: Issue[]
    error?: string
    rewordings?: Array<{ sameMeaning: boolean }>
  }>()
  const { control, register, handleSubmit, getValues } = useForm<DesignerValues>({
    defaultValues: toDesignerValues(definition),
  })
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
                  {fieldPathWords(i.path, t)}: {t(i.message)}
                </li>
              ))}
            </ul>
          </div>
        )}
        {fetcher.data?.ok && !saving && !clientIssues.length && (
          <p className="notice" role="status">
            {t('designer.saved')}
            {fetcher.data.rewordings?.some((r) => !r.sameMeaning) ? ` ${t('designer.reworded.blocksPublish')}` : ''}
          </p>
        )}
        <Rewordings control={control} register={register} previous={previous} />
        <div className="grid-form">
          <Field id="d-nameVi" label={t('common.nameVi')}>
            {(control) => <input {...control} {...register('nameVi')} />}
          </Field>
          <Field id="d-nameEn" label={t('common.nameEn')} hint={t('designer.englishOptional')}>
            {(control) => <input {...control} {...register('nameEn')} />}
          </Field>
          <Field id="d-method" label={t('designer.indexMethod')}>
            {(control) => (
              <select {...control} {...register('indexMethod')}>
                {INDEX_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t(`designer.methods.${m}`, { defaultValue: m })}
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
            <Field id={`e-${index}-titleEn`} label={t('designer.titleEn')} hint={t('designer.englishOptional')}>
              {(control) => <input {...control} {...register(`elements.${index}.titleEn`)} />}
            </Field>
            <h4>{t('designer.items')}</h4>
            <ItemList name={`elements.${index}.items`} control={control} register={register} getValues={getValues} />
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
        <ItemList name="extraItems" control={control} register={register} getValues={getValues} />
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
