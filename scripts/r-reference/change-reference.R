# The change column's interval (GET /api/v1/scores `changeCi`, `changeSignificant`; docs/method.md §8)
# recomputed from two raw exports with R's survey package. The two periods are independent samples: one
# design spans both, each period's strata its own (stratum = period × stratum), so the covariance of the two
# period means is what the design gives (zero), not an assumption. For each displayed agency:
#   svyby(~overall, ~period, subset(design, in_domain), svymean, covmat = TRUE)
#   svycontrast(that, c(current = 1, previous = -1))          the change and its standard error
#   interval    100 · (change ∓ qnorm(0.975) · SE), in percentage points; significant when it leaves out 0
# The script also checks that this SE equals √(SE₁² + SE₀²) from each period's own design, the formula the
# app uses (it stops if not), and reports each period's domain n and n_eff (the publication rule).
#
# Run: Rscript scripts/r-reference/change-reference.R SIDE_DIR OUT_FILE
# SIDE_DIR holds CSV files (as scores-reference.R's; tests/integration/analytics/change-r-reference.test.ts
# writes them):
#   periods.csv      period, file                                one raw export (in SIDE_DIR) per period
#   agencies.csv     code, path, valid_from, valid_to            every agency
#   successions.csv  predecessor, successor                      today's boundaries
#   criteria.csv     element, element_weight, criterion, threshold
#   cases.csv        current, previous, weighting, root          weighting: unweighted or design
# OUT_FILE: CSV with current, previous, weighting, agency, estimate_current, estimate_previous, change, se,
#   lower, upper, significant, n_current, n_previous, n_eff_current, n_eff_previous
suppressPackageStartupMessages(library(survey))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))
options(survey.lonely.psu = "fail")

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript change-reference.R SIDE_DIR OUT_FILE")
side <- args[[1]]
frame <- read_structure(side)
agencies <- frame$agencies
criteria <- frame$criteria
path_of <- frame$path_of
periods <- read_side(side, "periods.csv")
cases <- read_side(side, "cases.csv")
z <- qnorm(0.975)

read_period <- function(period) {
  raw <- composites(read_raw(file.path(side, periods$file[periods$period == period])), criteria)
  raw <- raw[!is.na(raw$overall), ]
  raw$stratum[is.na(raw$stratum)] <- ""
  data.frame(period = period, stratum = raw$stratum, weight = as.numeric(raw$weight),
             agency_code = raw$agency_code, overall = raw$overall)
}

n_eff <- function(w) if (length(w)) sum(w)^2 / sum(w^2) else 0
out <- NULL
for (k in seq_len(nrow(cases))) {
  case <- cases[k, ]
  both <- rbind(read_period(case$current), read_period(case$previous))
  both$w <- if (case$weighting == "unweighted") 1 else both$weight
  both$joint_stratum <- paste(both$period, both$stratum, sep = "|")
  # Today's boundaries: a merged unit's responses count for its final successor.
  both$counts_path <- path_of[agencies$final[match(both$agency_code, agencies$code)]]
  design <- svydesign(ids = ~1, strata = ~joint_stratum, weights = ~w, data = both)
  shown <- agencies[startsWith(agencies$path, path_of[[case$root]]) & agencies$valid_to == "", ]
  for (a in seq_len(nrow(shown))) {
    in_domain <- startsWith(both$counts_path, shown$path[[a]])
    now <- in_domain & both$period == case$current
    before <- in_domain & both$period == case$previous
    if (!any(now) || !any(before)) next
    by_period <- svyby(~overall, ~period, subset(design, in_domain), svymean, covmat = TRUE)
    contrast <- svycontrast(by_period, setNames(c(1, -1), c(case$current, case$previous)))
    change <- coef(contrast)[[1]]
    se <- SE(contrast)[[1]]
    # The same SE from each period's own design, added as independent variances (the app's formula).
    own <- function(p, rows) {
      d <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = both[both$period == p, ])
      SE(svymean(~overall, subset(d, rows[both$period == p])))[[1]]
    }
    separate <- sqrt(own(case$current, now)^2 + own(case$previous, before)^2)
    if (abs(separate - se) > 1e-12) stop(sprintf("joint and separate designs differ for %s: %g vs %g", shown$code[[a]], se, separate))
    lower <- 100 * (change - z * se)
    upper <- 100 * (change + z * se)
    out <- rbind(out, data.frame(
      current = case$current, previous = case$previous, weighting = case$weighting, agency = shown$code[[a]],
      estimate_current = coef(by_period)[[case$current]], estimate_previous = coef(by_period)[[case$previous]],
      change = change, se = se, lower = lower, upper = upper, significant = lower > 0 || upper < 0,
      n_current = sum(now), n_previous = sum(before),
      n_eff_current = n_eff(both$w[now]), n_eff_previous = n_eff(both$w[before])))
  }
}
write.csv(out, args[[2]], row.names = FALSE)
cat(sprintf("wrote %d changes to %s (R %s, survey %s)\n", nrow(out), args[[2]], R.version.string,
            as.character(packageVersion("survey"))))
