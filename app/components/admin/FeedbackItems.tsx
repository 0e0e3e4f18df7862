/**
 * Digest items (docs/insight.md, "Closing the loop"): agency, date, the criteria rated low, the masked
 * suggestion, and a plain form per item — mark handled with a required note, or reopen — that works
 * without JavaScript (POST, then the action redirects back to `back`).
 */
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { HANDLING_NOTE_MAX } from '#app/domain/insight/digest.ts'
import { formatDate, formatDateTime } from '#app/domain/format.ts'

export interface FeedbackItemView {
  responseId: number
  agency: { code: string; nameVi: string; nameEn: string }
  submittedAt: string
  lowRatings: Array<{ code: string; labelVi: string; labelEn: string; value: number }>
  suggestion: string | null
  handled: boolean
  mark: { note: string | null; by: string; at: string } | null
}

export function FeedbackItems({ items, back }: { items: readonly FeedbackItemView[]; back: string }) {
  const { t, i18n } = useTranslation('admin')
  const en = i18n.language === 'en'
  return (
    <ol className="feedback-items">
      {items.map((item) => {
        const noteId = `fb-note-${item.responseId}`
        const heading = `${en ? item.agency.nameEn : item.agency.nameVi}, ${formatDate(item.submittedAt)}`
        return (
          <li key={item.responseId} className="panel">
            <h3>{heading}</h3>
            {item.lowRatings.length > 0 && (
              <>
                <p>{t('feedback.lowRatings')}</p>
                <ul>
                  {item.lowRatings.map((r) => (
                    <li key={r.code}>
                      {en ? r.labelEn : r.labelVi} — {t('feedback.rated', { value: r.value })}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {item.suggestion !== null && (
              <figure>
                <figcaption>{t('feedback.suggestion')}</figcaption>
                <blockquote>{item.suggestion}</blockquote>
              </figure>
            )}
            {item.mark && (
              <p className="hint">
                {t(item.handled ? 'feedback.handledBy' : 'feedback.reopenedBy', {
                  by: item.mark.by,
                  at: formatDateTime(item.mark.at),
                })}
                {item.mark.note ? ` ${t('feedback.noteSays', { note: item.mark.note })}` : ''}
              </p>
            )}
            <Form method="post" action="/admin/feedback" className="row-actions">
              <input type="hidden" name="responseId" value={item.responseId} />
              <input type="hidden" name="back" value={back} />
              <label htmlFor={noteId}>
                {t(item.handled ? 'feedback.reopenNote' : 'feedback.note')}
                <span className="visually-hidden"> ({heading})</span>
              </label>
              <textarea
                id={noteId}
                name="note"
                rows={2}
                maxLength={HANDLING_NOTE_MAX}
                required={!item.handled}
                aria-describedby={`${noteId}-hint`}
              />
              <span id={`${noteId}-hint`} className="hint">
                {t(item.handled ? 'feedback.reopenHint' : 'feedback.noteHint', { max: HANDLING_NOTE_MAX })}
              </span>
              <button
                className={item.handled ? 'button secondary' : 'button'}
                type="submit"
                name="intent"
                value={item.handled ? 'reopen' : 'handle'}
              >
                {t(item.handled ? 'feedback.reopen' : 'feedback.markHandled')}
                <span className="visually-hidden"> ({heading})</span>
              </button>
            </Form>
          </li>
        )
      })}
    </ol>
  )
}
