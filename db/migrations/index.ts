/**
 * Static registry of migrations. Kysely's FileMigrationProvider reads the folder at run time, which
 * cannot load .ts files inside a Vite bundle; a static list works everywhere and keeps the order explicit.
 */
import type { Migration, MigrationProvider } from 'kysely'
import * as initial from './2026-11-28T0300_initial.ts'
import * as partitionReadyResponses from './2026-11-28T0900_partition_ready_responses.ts'
import * as populationCountApproval from './2026-11-29T2010_population_count_approval.ts'
import * as quarantine from './2026-11-29T2030_quarantine.ts'
import * as signInThrottle from './2026-11-29T2100_sign_in_throttle.ts'
import * as microdataPermission from './2026-11-29T2110_microdata_permission.ts'
import * as channelInAggregates from './2026-11-30T0100_channel_in_aggregates.ts'
import * as releases from './2026-11-30T0200_releases.ts'
import * as procedureAgencies from './2026-11-30T0300_procedure_agencies.ts'
import * as dossierCounts from './2026-11-30T1000_dossier_counts.ts'
import * as invitationDossierData from './2026-11-30T1100_invitation_dossier_data.ts'
import * as versionRollout from './2026-11-30T1200_version_rollout.ts'
import * as posterHeader from './2026-11-30T1300_poster_header.ts'
import * as nineMonthPeriods from './2026-11-30T1430_nine_month_periods.ts'
import * as invitationIssuedIndex from './2026-11-30T1500_invitation_issued_index.ts'
import * as feedbackHandling from './2026-11-30T1600_feedback_handling.ts'
import * as aggregateStamps from './2026-12-01T0100_aggregate_stamps.ts'

const migrations: Record<string, Migration> = {
  '2026-11-28T0300_initial': initial,
  '2026-11-28T0900_partition_ready_responses': partitionReadyResponses,
  '2026-11-29T2010_population_count_approval': populationCountApproval,
  '2026-11-29T2030_quarantine': quarantine,
  '2026-11-29T2100_sign_in_throttle': signInThrottle,
  '2026-11-29T2110_microdata_permission': microdataPermission,
  '2026-11-30T0100_channel_in_aggregates': channelInAggregates,
  '2026-11-30T0200_releases': releases,
  '2026-11-30T0300_procedure_agencies': procedureAgencies,
  '2026-11-30T1000_dossier_counts': dossierCounts,
  '2026-11-30T1100_invitation_dossier_data': invitationDossierData,
  '2026-11-30T1200_version_rollout': versionRollout,
  '2026-11-30T1300_poster_header': posterHeader,
  '2026-11-30T1430_nine_month_periods': nineMonthPeriods,
  '2026-11-30T1500_invitation_issued_index': invitationIssuedIndex,
  '2026-11-30T1600_feedback_handling': feedbackHandling,
  '2026-12-01T0100_aggregate_stamps': aggregateStamps,
}

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations
  },
}
