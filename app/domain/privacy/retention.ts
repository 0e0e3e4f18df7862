/**
 * The retention rule for personal answers (Decree 13/2023): free text and profile answers of a response are
 * kept for a whole number of calendar months after it was submitted, then purged.
 */

/**
 * The instant before which responses have outlived the retention period: `months` calendar months before
 * `now`. A day that the earlier month lacks (31 March − 1 month) falls back to that month's last day, so the
 * period is never shorter than promised.
 */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now)
  const day = cutoff.getUTCDate()
  cutoff.setUTCDate(1)
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months)
  const lastDay = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate()
  cutoff.setUTCDate(Math.min(day, lastDay))
  return cutoff
}
