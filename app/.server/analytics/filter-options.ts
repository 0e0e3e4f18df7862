/** What the analytics filters offer a user: the agencies of their scope, every questionnaire and channel. */
import type { Scope } from '../auth/scope.ts'
import { ENTRY_CHANNELS } from './query.ts'
import { listCurrentAgencies } from '../repos/agency-tree.ts'
import { type Executor, listQuestionnaireNames } from '../repos/questionnaires.ts'

export interface AgencyOption {
  code: string
  nameVi: string
  nameEn: string
  /** Levels below the top of the tree (0 for a province), for indenting the list. */
  depth: number
}

/** Agencies in force inside the scope, parents before their children. */
export async function agencyOptions(db: Executor, scope: Scope): Promise<AgencyOption[]> {
  const agencies = await listCurrentAgencies(db, scope)
  return agencies.map((a) => ({
    code: a.code,
    nameVi: a.nameVi,
    nameEn: a.nameEn,
    depth: a.path.split('/').filter(Boolean).length - 1,
  }))
}

export async function filterOptions(db: Executor, scope: Scope) {
  return {
    agencies: await agencyOptions(db, scope),
    questionnaires: await listQuestionnaireNames(db),
    channels: [...ENTRY_CHANNELS],
  }
}
