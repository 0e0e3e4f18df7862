/** Who may download raw microdata besides administrators: the `user.can_export_microdata` flag. */
import type { Executor } from './questionnaires.ts'

export interface MicrodataHolder {
  id: number
  email: string
  granted: boolean
}

export async function hasMicrodataFlag(db: Executor, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('user')
    .select('can_export_microdata')
    .where('id', '=', userId)
    .where('active', '=', 1)
    .executeTakeFirst()
  return row?.can_export_microdata === 1
}

/** Active users who are not administrators (those always may), with their flag, by e-mail. */
export async function listMicrodataHolders(db: Executor): Promise<MicrodataHolder[]> {
  const rows = await db
    .selectFrom('user')
    .select(['id', 'email', 'can_export_microdata'])
    .where('active', '=', 1)
    .where('role', '!=', 'admin')
    .orderBy('email')
    .execute()
  return rows.map((r) => ({ id: r.id, email: r.email, granted: r.can_export_microdata === 1 }))
}

/** Sets the flag of a non-administrator; false when there is no such active user. */
export async function setMicrodataFlag(db: Executor, userId: number, granted: boolean): Promise<boolean> {
  const result = await db
    .updateTable('user')
    .set({ can_export_microdata: granted ? 1 : 0 })
    .where('id', '=', userId)
    .where('active', '=', 1)
    .where('role', '!=', 'admin')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
