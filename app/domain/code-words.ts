/**
 * Stored codes (audit actions, entities, agency levels, designer field paths) turned into translation keys,
 * so no page prints a code to a Vietnamese reader (issue 18). An unknown code gets a generic word rather than
 * itself: a new action added without its words shows "Thao tác khác", and tests/unit/code-words.test.ts
 * fails until the words are added.
 */

/** Every audit action the application writes (app/.server), as stored in audit_log.action. */
export const AUDIT_ACTIONS = [
  'agency.deactivate',
  'agency.import',
  'agency.update',
  'api_token.create',
  'api_token.revoke',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_in_throttled',
  'auth.current_password_failed',
  'auth.current_password_throttled',
  'dossier_count.set',
  'dossier_count.import',
  'dossier_count.push',
  'export.scores',
  'export.responses',
  'export.api.scores',
  'feedback.handle',
  'feedback.reopen',
  'invitation.create',
  'kiosk.enrol',
  'kiosk.revoke',
  'link.create',
  'link.deactivate',
  'population.approve',
  'population.propose',
  'population.reject',
  'population.set',
  'poster.header',
  'privacy.purge',
  'procedure.import',
  'procedure.update',
  'questionnaire.assign',
  'questionnaire.create',
  'questionnaire.delete_draft',
  'questionnaire.new_draft',
  'questionnaire.publish',
  'questionnaire.rollout',
  'questionnaire.save_draft',
  'release.approve',
  'release.create',
  'release.publish',
  'response.import',
  'responses.quarantine',
  'responses.release',
  'succession.add',
  'succession.delete',
  'succession.import',
  'succession.update',
  'user.change_password',
  'user.create',
  'user.create_existing',
  'user.deactivate',
  'user.microdata.grant',
  'user.microdata.revoke',
  'user.unlock',
  'webhook.configure',
  'webhook.deliver',
] as const

/** The translation key (admin namespace) of an audit action. Dots become underscores: i18next reads dots as nesting. */
export function auditActionKey(action: string): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? `audit.actions.${action.replaceAll('.', '_')}`
    : 'audit.actions.other'
}

export const AUDIT_ENTITIES = [
  'agency',
  'agency_succession',
  'api_token',
  'digest_webhook',
  'dossier_count',
  'export',
  'invitation',
  'kiosk_device',
  'population_count',
  'population_count_proposal',
  'procedure',
  'questionnaire',
  'questionnaire_version',
  'release',
  'response',
  'survey_link',
  'user',
] as const

export function auditEntityKey(entity: string): string {
  return (AUDIT_ENTITIES as readonly string[]).includes(entity) ? `audit.entities.${entity}` : 'audit.entities.other'
}

export const AGENCY_LEVELS = ['province', 'department', 'district', 'commune'] as const

/** The common-namespace key of an agency level ("Tỉnh, thành phố", "Sở, ban, ngành", …). */
export function levelKey(level: string): string {
  return (AGENCY_LEVELS as readonly string[]).includes(level) ? `level.${level}` : 'level.other'
}

type Translate = (key: string, values?: Record<string, unknown>) => string

/** Field names of the questionnaire definition, as the designer's validation reports them. */
const FIELDS = [
  'code',
  'weight',
  'titleVi',
  'titleEn',
  'labelVi',
  'labelEn',
  'type',
  'role',
  'required',
  'countsInIndex',
  'threshold',
  'options',
  'maxLength',
  'items',
  'value',
  'indexMethod',
] as const

/**
 * A validation path in words: "elements.2.items.7.labelVi" → "Yếu tố 3, tiêu chí 8, nội dung tiếng Việt";
 * "items.E1.1" (a duplicate code) → "câu E1.1". Numbers in paths count from 0, people count from 1.
 * `t` is the admin namespace's translator.
 */
export function fieldPathWords(path: string, t: Translate): string {
  const parts = path.split('.').filter(Boolean)
  const structural = ['elements', 'items', 'extraItems', 'options', ...FIELDS]
  // A bare question code ("E1.1", the path of a reworded question) names the question itself.
  if (parts.length > 0 && !structural.includes(parts[0]!)) return capitalise(t('fieldPath.itemCode', { code: path }))
  const words: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const next = parts[i + 1]
    const index = next !== undefined && /^\d+$/.test(next) ? Number(next) + 1 : null
    if (part === 'elements' && index !== null) {
      words.push(t('fieldPath.element', { number: index }))
      i++
    } else if (part === 'items' && index !== null) {
      words.push(t('fieldPath.item', { number: index }))
      i++
    } else if (part === 'extraItems' && index !== null) {
      words.push(t('fieldPath.extraItem', { number: index }))
      i++
    } else if (part === 'options' && index !== null) {
      words.push(t('fieldPath.option', { number: index }))
      i++
    } else if (part === 'items' && next !== undefined) {
      // A code path: the rest is the item's code, which itself may hold dots (E1.1).
      words.push(t('fieldPath.itemCode', { code: parts.slice(i + 1).join('.') }))
      break
    } else if ((FIELDS as readonly string[]).includes(part)) {
      words.push(t(`fieldPath.fields.${part}`))
    } else if (part === 'elements') {
      words.push(t('fieldPath.elements'))
    } else if (/^\d+$/.test(part)) {
      words.push(t('fieldPath.position', { number: Number(part) + 1 }))
    } else {
      // An item or element code (E1.1), shown as the admin typed it.
      words.push(part)
    }
  }
  return capitalise(words.join(', '))
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
