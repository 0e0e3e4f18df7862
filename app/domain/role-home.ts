/**
 * Where each role works, so signing in lands there and the navigation offers only what the role may open
 * (issue 18). The server checks every route again; this only decides what to show and where to go.
 */
/** The roles of db/schema.ts (app/domain imports nothing outside itself). */
export type Role = 'admin' | 'manager' | 'analyst'

/** After signing in: administrators run the system, managers look after their agency's links and people,
 * analysts read the scores. Managers land on the administration home, which lists their sections and the
 * warnings about their own links. */
export const ROLE_HOME: Record<Role, string> = { admin: '/admin', manager: '/admin', analyst: '/analytics' }

export type AdminSection =
  | 'questionnaires'
  | 'agencies'
  | 'procedures'
  | 'links'
  | 'tokens'
  | 'users'
  | 'audit'
  | 'import'
  | 'quarantine'
  | 'dossiers'
  | 'feedback'

const ALL: readonly AdminSection[] = [
  'questionnaires',
  'agencies',
  'procedures',
  'links',
  'tokens',
  'users',
  'audit',
  'import',
  'quarantine',
  'dossiers',
  'feedback',
]
/**
 * The sections whose loaders let a manager in (app/routes/admin.links, admin.tokens, admin.users,
 * admin.dossiers, admin.feedback).
 */
const MANAGER: readonly AdminSection[] = ['links', 'tokens', 'users', 'dossiers', 'feedback']

/** The administration sections the role can open, in the order the navigation shows them. */
export function adminSections(role: Role): readonly AdminSection[] {
  if (role === 'admin') return ALL
  if (role === 'manager') return MANAGER
  return []
}

/** The top navigation: which areas a role can open. */
export function topAreas(role: Role): { analytics: boolean; admin: boolean } {
  return { analytics: true, admin: adminSections(role).length > 0 }
}
