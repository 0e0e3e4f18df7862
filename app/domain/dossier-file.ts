/**
 * The columns of a dossier-count import file, in the order the template shows them. Here, not in the
 * service, because the admin page names them to the browser too, and a route's component may not reach
 * into server-only modules.
 */
export const DOSSIER_FILE_COLUMNS = [
  'agency_code',
  'month',
  'received',
  'settled',
  'settled_late',
  'complained',
  'rated_dissatisfied',
] as const
