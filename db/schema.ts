/**
 * Row types of every table, as Kysely sees them. Nullable columns are `T | null`, never optional.
 * Timestamps and dates are ISO-8601 text (portable between SQLite and PostgreSQL); booleans are 0/1.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Id = Generated<number>
/** A 0/1 flag: SQLite has no boolean type, and PostgreSQL stores it as a smallint here too. */
export type Flag = 0 | 1

export type AgencyLevel = 'province' | 'department' | 'district' | 'commune'
export type SuccessionKind = 'merged_into' | 'split_from' | 'renamed'
export type ProcedureLevel = 'central' | 'province' | 'district' | 'commune'
export type VersionStatus = 'draft' | 'published' | 'retired'
export type ItemType = 'scale5' | 'scale3' | 'points210' | 'single' | 'multiple' | 'text' | 'number'
/** What an item is for, so scoring and reports can find criteria, element questions and expectations. */
export type ItemRole = 'criterion' | 'element_overall' | 'overall' | 'expectation' | 'profile' | 'suggestion' | 'other'
export type Channel = 'counter' | 'online' | 'post' | 'phone' | 'kiosk' | 'paper'
export type LinkKind = 'poster' | 'kiosk'
export type Role = 'admin' | 'manager' | 'analyst'

export interface AgencyTable {
  id: Id
  code: string
  name_vi: string
  name_en: string
  level: AgencyLevel
  parent_id: number | null
  /** Materialised path of ids, "/1/5/12/": a subtree is `path LIKE '/1/5/%'` on any database. */
  path: ColumnType<string, string | undefined, string>
  valid_from: string
  valid_to: string | null
  active: Flag
  created_at: string
}

export interface AgencySuccessionTable {
  id: Id
  predecessor_id: number
  successor_id: number
  kind: SuccessionKind
  effective_date: string
}

export interface ProcedureTable {
  id: Id
  code: string
  name_vi: string
  name_en: string
  level: ProcedureLevel
  field_vi: string
  field_en: string
  /** Lower-case Vietnamese name without diacritics, so "giay phep" finds "Giấy phép" on every database. */
  search_text: string
  active: Flag
  /** The national procedure code (mã TTHC, "1.001234"); null until recorded. */
  national_code: ColumnType<string | null, string | null | undefined, string | null>
}

/** Which agencies handle a procedure: the survey offers an agency its own procedures first. */
export interface ProcedureAgencyTable {
  procedure_id: number
  agency_id: number
}

export interface QuestionnaireTable {
  id: Id
  code: string
  name_vi: string
  name_en: string
  created_at: string
}

export interface QuestionnaireVersionTable {
  id: Id
  questionnaire_id: number
  version_number: number
  status: VersionStatus
  /** How the overall index of this version is computed; recorded with every published number. */
  index_method: string
  created_from_version_id: number | null
  created_at: string
  published_at: string | null
}

export interface QuestionnaireElementTable {
  id: Id
  version_id: number
  code: string
  position: number
  weight: number
  title_vi: string
  title_en: string
}

export interface QuestionnaireItemTable {
  id: Id
  version_id: number
  element_id: number | null
  code: string
  position: number
  type: ItemType
  role: ItemRole
  label_vi: string
  label_en: string
  required: Flag
  counts_in_index: Flag
  /** Lowest answer value that counts as "satisfied" (4 on the five-level scale); null for non-scale items. */
  satisfied_threshold: number | null
  /** JSON: [{ "value": "...", "label_vi": "...", "label_en": "..." }] for choice items, else null. */
  options_json: string | null
  /** Longest accepted free text, in characters. */
  max_length: number | null
  /** 1 when the administrator recorded that a reworded item still asks the same question (docs/questionnaires.md). */
  same_meaning: ColumnType<Flag, Flag | undefined, Flag>
}

export interface AgencyAssignmentTable {
  agency_id: number
  questionnaire_id: number
  version_id: number
  assigned_at: string
}

/** A published version in force for an agency (or its subtree) from an instant (docs/questionnaires.md). */
export interface VersionRolloutTable {
  id: Id
  version_id: number
  agency_id: number
  include_subtree: Flag
  /** The day chosen, yyyy-MM-dd in Vietnam; `effective_at` is the instant it starts. */
  effective_date: string
  effective_at: string
  created_at: string
  created_by: number | null
}

export interface SurveyLinkTable {
  id: Id
  code: string
  agency_id: number
  questionnaire_id: number
  procedure_id: number | null
  counter_label: string | null
  kind: LinkKind
  active: Flag
  created_at: string
}

/** An agency's poster letterhead (migration 2026-11-30T1300); null fields fall back when drawn. */
export interface PosterHeaderTable {
  agency_id: number
  unit_name: string | null
  office_name: string | null
  hotline: string | null
  updated_by: string
  updated_at: string
}

export interface InvitationTable {
  id: Id
  code: string
  agency_id: number
  questionnaire_id: number
  procedure_id: number | null
  /** Keyed hash (HMAC) of the dossier code: found again by it, and refused a second rating. */
  dossier_hash: string | null
  /** The dossier code, shown on the form; cleared when the invitation is used (migration 2026-11-30T1100). */
  dossier_code: ColumnType<string | null, string | null | undefined, string | null>
  /** JSON of the dossier's dates, contacts and agencies (app/domain/dossier/indicators.ts), or null. */
  dossier_json: ColumnType<string | null, string | null | undefined, string | null>
  channel: Channel
  expires_at: string
  used_at: string | null
  created_at: string
}

export interface ResponseTable {
  id: Id
  /**
   * Generated by the citizen's browser (or the server for a no-JS form; `import:<external id>` for an
   * imported row). Unique through `submission_key`, so a retry stores once.
   */
  client_submission_id: string
  version_id: number
  agency_id: number
  procedure_id: number | null
  channel: Channel
  link_id: number | null
  invitation_id: number | null
  submitted_at: string
  /** Calendar month in Vietnam time ("2026-09"), the unit every aggregate is kept in. */
  period_month: string
  /** Respondent weight in micro-units (1.0 = 1 000 000) so sums are exact. */
  weight_micro: number
  stratum: string | null
  cluster: string | null
  /** Id from another tool for imported responses; unique (as the submission id `import:<id>`), so a re-import skips it. */
  external_id: string | null
  /** JSON of the optional respondent profile (gender, age band, …), or null. */
  profile_json: string | null
  source: 'web' | 'import' | 'synthetic'
  /** Why the response is not counted (missing token, network cap, …); null when it is counted. */
  quarantine_reason: string | null
  /** How the response reached us; invitation responses can be published alone. */
  entry_channel: ColumnType<EntryChannel, EntryChannel | undefined, EntryChannel>
  /** Keyed hash of the client network (never the address); null for imports and old rows. */
  network_hash: string | null
}

export type EntryChannel = 'invitation' | 'open_link' | 'kiosk' | 'import'

export interface NetworkCounterTable {
  link_id: number
  network_hash: string
  /** 'issued:h' / 'issued:d' (form tokens) or 'counted:h' / 'counted:d' (responses counted). */
  kind: string
  window_start: string
  count: number
}

export interface FormTokenUseTable {
  nonce: string
  used_at: string
}

export interface KioskDeviceTable {
  id: Generated<number>
  token_hash: string
  link_id: number
  label: string
  enrolled_at: string
  enrolled_by: number | null
  revoked_at: string | null
  revoked_by: number | null
}

export interface AnswerTable {
  response_id: number
  item_id: number
  value_number: number | null
  value_text: string | null
  /** The response's agency and month, repeated so answers partition and shard with their response. */
  agency_id: number
  period_month: string
}

/**
 * Submission id → response: the one key unique across all responses, in its own table so that
 * `response` and `answer` can be partitioned by month and sharded by agency (where unique keys hold only
 * within a partition). Written in the response's transaction.
 */
export interface SubmissionKeyTable {
  client_submission_id: string
  response_id: number
}

/** Additive counts per (agency, month, item, answer): any score over a subtree and period range is a sum. */
export interface ItemAggregateTable {
  agency_id: number
  period_month: string
  item_id: number
  answer_value: number
  stratum: string
  /** The responses' entry channel: a key, so scores can be filtered and split by it. */
  entry_channel: EntryChannel
  n: number
  sum_w_micro: number
  /** Σw² in weight units (not micro²: that would overflow 64-bit integers). */
  sum_w2: number
}

/**
 * A version of the aggregates per agency and month, raised with every write to them and never lowered: the
 * scores memo's key is their sum (db/migrations/2026-12-01T0100_aggregate_stamps.ts).
 */
export interface AggregateStampTable {
  /** 0: the whole table, raised by a rebuild. */
  agency_id: number
  /** '' with agency 0. */
  period_month: string
  version: number
}

/** Additive sums of a per-respondent composite (overall or one element) for design-correct variance. */
export interface CompositeAggregateTable {
  agency_id: number
  period_month: string
  version_id: number
  /** "overall" or an element code. */
  composite: string
  stratum: string
  entry_channel: EntryChannel
  n: number
  sum_w_micro: number
  sum_w2: number
  sum_wx: number
  sum_wx2: number
  sum_w2x: number
  sum_w2x2: number
  sum_x: number
  sum_x2: number
}

/** Approved counts: the only ones weighting reads. */
export interface PopulationCountTable {
  id: Id
  agency_id: number
  /** Canonical ("2026", "2026-H1", "2026-Q3", "2026-09"); the database refuses any other text. */
  period: string
  count: number
  source: string | null
  created_at: string
}

export type PopulationCountProposalStatus = 'pending' | 'approved' | 'rejected' | 'superseded'

/** A count entered by someone who may not move every rollup it feeds: it waits for an approver. */
export interface PopulationCountProposalTable {
  id: Id
  agency_id: number
  period: string
  count: number
  source: string | null
  status: PopulationCountProposalStatus
  /** Null when the command line entered it as an operator. */
  entered_by_user_id: number | null
  entered_by: string
  entered_at: string
  decided_by_user_id: number | null
  decided_by: string | null
  decided_at: string | null
}

/**
 * Dossiers of an agency in a calendar month as the one-stop shop counts them: the denominators of the
 * QĐ 766 rate and the response rate per dossier (docs/dossiers.md). One row per agency and month.
 */
export interface DossierCountTable {
  id: Id
  agency_id: number
  /** "2026-09"; the database refuses any other text. */
  month: string
  received: number
  settled: number
  settled_late: number
  complained: number
  /** Dossiers the one-stop-shop system's own rating marks "không hài lòng"; null when it does not know. */
  rated_dissatisfied: number | null
  source: 'form' | 'import' | 'api'
  updated_by: string
  updated_at: string
}

export type ReleaseStatus = 'draft' | 'approved' | 'published' | 'superseded'

/** An official release (docs/publication.md): `document` is the exact bytes served, frozen once written. */
export interface ReleaseTable {
  id: Id
  /** The root of the release's scope. */
  agency_id: number
  /** Canonical period text, as population periods. */
  period: string
  questionnaire_code: string
  status: ReleaseStatus
  supersedes_id: number | null
  document: string
  sha256: string
  /** JSON: what moved since the superseded release; null for a first release. */
  diff_json: string | null
  data_cutoff: string
  created_by_user_id: number | null
  created_by: string
  created_at: string
  approved_by_user_id: number | null
  approved_by: string | null
  approved_at: string | null
  published_by_user_id: number | null
  published_by: string | null
  published_at: string | null
}

export interface UserTable {
  id: Id
  email: string
  password_hash: string
  role: Role
  agency_id: number | null
  active: Flag
  created_at: string
  /** May download raw microdata (one row per response); administrators may regardless. */
  can_export_microdata: Generated<Flag>
}

export interface SessionTable {
  id: string
  user_id: number
  created_at: string
  expires_at: string
}

export interface SetupTokenTable {
  token_hash: string
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface ApiTokenTable {
  id: Id
  agency_id: number
  token_hash: string
  label: string
  created_at: string
  revoked_at: string | null
  /** Null only on a database the sign-in throttle migration did not backfill; such a token is refused. */
  expires_at: string | null
}

/**
 * Failed sign-ins per subject: "user:<id>", "email:<keyed hash>" for addresses without an account,
 * "net:<keyed hash of the client network>", "device:<hash of a known-device cookie>".
 */
export interface SignInThrottleTable {
  subject: string
  failures: number
  last_failure_at: string
  /** The next attempt for this subject is refused before this time (equal to the last failure when free). */
  blocked_until: string
  /** 1 once an attempt was refused since the last failure: that first refusal is audited, later ones cost no write. */
  refused: ColumnType<number, number | undefined, number>
}

export interface AuditLogTable {
  id: Id
  at: string
  user_id: number | null
  actor: string
  action: string
  entity: string
  entity_id: string | null
  details_json: string | null
}

/** The current mark of a digest item (docs/insight.md, "Closing the loop"); the audit log keeps each change. */
export interface FeedbackHandlingTable {
  response_id: number
  agency_id: number
  /** 1: handled; 0: reopened after having been handled. */
  handled: Flag
  note: string | null
  updated_by_user_id: number | null
  updated_by: string
  updated_at: string
}

/** The province's digest webhook (ADR 0052): one per root agency. */
export interface DigestWebhookTable {
  agency_id: number
  url: string
  /** HMAC-SHA256 key of the signature header; never shown back. */
  secret: string
  enabled: Flag
  updated_by: string
  updated_at: string
  last_attempt_at: string | null
  last_success_at: string | null
  last_status: 'ok' | 'failed' | null
  last_detail: string | null
}

export interface Database {
  agency: AgencyTable
  agency_succession: AgencySuccessionTable
  procedure: ProcedureTable
  procedure_agency: ProcedureAgencyTable
  questionnaire: QuestionnaireTable
  questionnaire_version: QuestionnaireVersionTable
  questionnaire_element: QuestionnaireElementTable
  questionnaire_item: QuestionnaireItemTable
  agency_assignment: AgencyAssignmentTable
  version_rollout: VersionRolloutTable
  survey_link: SurveyLinkTable
  invitation: InvitationTable
  response: ResponseTable
  answer: AnswerTable
  submission_key: SubmissionKeyTable
  poster_header: PosterHeaderTable
  item_aggregate: ItemAggregateTable
  aggregate_stamp: AggregateStampTable
  composite_aggregate: CompositeAggregateTable
  population_count: PopulationCountTable
  population_count_proposal: PopulationCountProposalTable
  user: UserTable
  session: SessionTable
  setup_token: SetupTokenTable
  api_token: ApiTokenTable
  audit_log: AuditLogTable
  sign_in_throttle: SignInThrottleTable
  network_counter: NetworkCounterTable
  form_token_use: FormTokenUseTable
  kiosk_device: KioskDeviceTable
  release: ReleaseTable
  dossier_count: DossierCountTable
  feedback_handling: FeedbackHandlingTable
  digest_webhook: DigestWebhookTable
}

export type Agency = Selectable<AgencyTable>
export type NewAgency = Insertable<AgencyTable>
export type AgencyUpdate = Updateable<AgencyTable>
export type Procedure = Selectable<ProcedureTable>
export type QuestionnaireVersion = Selectable<QuestionnaireVersionTable>
export type QuestionnaireElement = Selectable<QuestionnaireElementTable>
export type QuestionnaireItem = Selectable<QuestionnaireItemTable>
export type SurveyLink = Selectable<SurveyLinkTable>
export type Invitation = Selectable<InvitationTable>
export type Response = Selectable<ResponseTable>
export type User = Selectable<UserTable>
