# The published scores (GET /api/v1/scores, the scores pages, the downloads) recomputed from a raw export
# with R's survey package, following docs/method.md. Nothing statistical comes from Hài Lòng: the script
# reads the raw responses as the app exports them (/analytics/responses/csv) and, beside them, only what
# the export does not carry: the agency tree and its successions, the population counts, and the
# questionnaire's elements, weights, criteria and "satisfied" thresholds. The composites, weights,
# post-strata, domains, variances, degrees of freedom and intervals are computed here.
#
# Run: Rscript scripts/r-reference/scores-reference.R SIDE_DIR OUT_FILE
#   (needs Debian's r-base-core and r-cran-survey; tests/integration/analytics/scores-r-reference.test.ts
#   writes SIDE_DIR and compares OUT_FILE with the API.)
#
# SIDE_DIR holds CSV files (R 4.2 has no JSON reader without an extra package):
#   periods.csv      period, from_month, to_month, file          one raw export (file, in SIDE_DIR) per period
#   agencies.csv     code, path, valid_from, valid_to            every agency, paths such as /1/5/
#   successions.csv  predecessor, successor                      merged_into / takeover pairs (agency codes)
#   population.csv   period, agency, count                       approved counts per (historical) agency
#   criteria.csv     element, element_weight, criterion, threshold   the criteria that count in the index
#   cases.csv        period, boundaries, weighting, collapse, root   what to compute (root: an agency code;
#                    collapse "1": post-strata pooled into the final successor, the API's collapse=1)
#
# The method, as R expressions (docs/method.md, "Reproducing the numbers in R"):
#   design      svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = every counted response of the
#               period with an overall composite, in the whole database); w = 1, the design weight, or
#   post-strata postStratify(design, ~agency, pop): one post-stratum per data agency as it was (historical
#               units, not collapsed into a successor unless collapse=1 asks for it)
#   a cell      the domain of a displayed agency: responses of its subtree (current boundaries: a merged
#               unit's responses belong to its final successor), for a criterion also answered validly:
#               svymean(~y, subset(design, in_domain)), df = degf(subset(design, in_domain))
#   interval    Korn–Graubard as svyciprop(method = "beta"): n* = θ(1−θ)/v · (t_{n−1}/t_df)², with n the
#               domain's respondents; at θ = 0 or 1 (or v = 0) n* = n (svyciprop returns NaN there).
#               For a subset of a calibrated design svyciprop takes n from nrow(), the whole sample, not
#               the domain; we use the domain's n in both cases (it is svyciprop's own n for the others,
#               which the script checks).
suppressPackageStartupMessages(library(survey))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))
options(survey.lonely.psu = "fail")

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript scores-reference.R SIDE_DIR OUT_FILE")
side <- args[[1]]
out_file <- args[[2]]
frame <- read_structure(side)
agencies <- frame$agencies
criteria <- frame$criteria
elements <- frame$elements
path_of <- frame$path_of
periods <- read_side(side, "periods.csv")
population <- read_side(side, "population.csv")
cases <- read_side(side, "cases.csv")
population$count <- as.numeric(population$count)
level <- 0.95
alpha <- 1 - level

num <- function(x) if (is.null(x) || is.na(x)) "null" else trimws(sprintf("%.17g", x))
str <- function(x) if (is.null(x) || is.na(x)) "null" else paste0("\"", gsub("\"", "\\\\\"", x), "\"")

kg_interval <- function(p, v, n, df) {
  effective <- if (p > 0 && p < 1 && v > 0) p * (1 - p) / v else n
  if (p > 0 && p < 1 && v > 0 && n > 1 && df > 0) effective <- effective * (qt(alpha / 2, n - 1) / qt(alpha / 2, df))^2
  c(if (p <= 0) 0 else qbeta(alpha / 2, effective * p, effective * (1 - p) + 1),
    if (p >= 1) 1 else qbeta(1 - alpha / 2, effective * p + 1, effective * (1 - p)))
}

# One published cell: the mean of `column` over the domain `in_domain` (respondents with a value).
cell <- function(design, column, in_domain, calibrated) {
  y <- design$variables[[column]]
  keep <- in_domain & !is.na(y)
  n <- sum(keep)
  if (n == 0) return(list(estimate = NA, se = NA, lower = NA, upper = NA, n = 0, nEff = 0, df = NA))
  d <- subset(design, keep)
  # na.rm: a subset of a calibrated design keeps every row (weight 0 outside), some without a value.
  m <- svymean(as.formula(paste0("~`", column, "`")), d, na.rm = TRUE)
  p <- coef(m)[[1]]
  v <- vcov(m)[[1]]
  df <- degf(d)
  ci <- kg_interval(p, v, n, df)
  if (!calibrated && column == "overall" && p > 0 && p < 1 && v > 0) {
    # svyciprop's own interval, where its n is the domain's: the two must agree (checked on the overall
    # index only, to keep the run short; the formula is the same for every column).
    r <- attr(svyciprop(as.formula(paste0("~`", column, "`")), d, method = "beta", level = level), "ci")
    if (max(abs(r - ci)) > 1e-12) stop(sprintf("Korn-Graubard differs from svyciprop for %s", column))
  }
  w <- weights(d)[weights(d) > 0]
  list(estimate = p, se = sqrt(v), lower = ci[[1]], upper = ci[[2]], n = n, nEff = sum(w)^2 / sum(w^2), df = df)
}

columns <- c("overall", paste0("el:", elements), paste0("crit:", criteria$criterion))
column_name <- function(column) sub("^(el|crit):", "", column)
column_kind <- function(column) if (column == "overall") "overall" else if (startsWith(column, "el:")) "element" else "criterion"

results <- character(0)
for (k in seq_len(nrow(cases))) {
  case <- cases[k, ]
  period <- periods[periods$period == case$period, ]
  raw <- composites(read_raw(file.path(side, period$file)), criteria)
  raw <- raw[!is.na(raw$overall), ]
  raw$stratum[is.na(raw$stratum)] <- ""
  raw$w <- if (case$weighting == "unweighted") 1 else as.numeric(raw$weight)
  # Where each response counts: its agency as it was, or that agency's final successor today.
  raw$counts_for <- if (case$boundaries == "current") agencies$final[match(raw$agency_code, agencies$code)] else raw$agency_code
  raw$counts_path <- path_of[raw$counts_for]
  raw$post_stratum <- if (case$collapse == "1") raw$counts_for else raw$agency_code
  design <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = raw)
  calibrated <- case$weighting == "poststratified"
  if (calibrated) {
    counts <- population[population$period == case$period, ]
    missing <- setdiff(unique(raw$agency_code), counts$agency)
    empty <- setdiff(counts$agency, unique(raw$agency_code))
    if (case$collapse == "1") {
      missing <- setdiff(unique(raw$counts_for), agencies$final[match(counts$agency, agencies$code)])
      empty <- setdiff(agencies$final[match(counts$agency, agencies$code)], unique(raw$counts_for))
    }
    if (length(missing) || length(empty)) stop("populationMismatch: ", paste(c(missing, empty), collapse = ", "))
    if (case$collapse == "1") {
      # collapse=1: a merged-away unit's count and responses are pooled into its successor's cell.
      counts$agency <- agencies$final[match(counts$agency, agencies$code)]
      counts <- aggregate(count ~ agency, data = counts, FUN = sum)
    }
    pop <- data.frame(post_stratum = counts$agency, Freq = counts$count)
    design <- postStratify(design, ~post_stratum, pop)
  }
  # The displayed agencies: today's on current boundaries, those that existed in the period on historical.
  root_path <- path_of[[case$root]]
  shown <- agencies[startsWith(agencies$path, root_path), ]
  shown <- if (case$boundaries == "current") shown[shown$valid_to == "", ] else
    shown[substr(shown$valid_from, 1, 7) <= period$to_month &
            (shown$valid_to == "" | substr(shown$valid_to, 1, 7) >= period$from_month), ]
  for (a in seq_len(nrow(shown))) {
    in_domain <- startsWith(design$variables$counts_path, shown$path[[a]])
    for (column in columns) {
      r <- cell(design, column, in_domain, calibrated)
      results <- c(results, sprintf(
        "{\"period\": %s, \"boundaries\": %s, \"weighting\": %s, \"collapse\": %s, \"agency\": %s, \"kind\": %s, \"column\": %s, \"estimate\": %s, \"se\": %s, \"lower\": %s, \"upper\": %s, \"n\": %s, \"nEff\": %s, \"df\": %s}",
        str(case$period), str(case$boundaries), str(case$weighting), tolower(case$collapse == "1"), str(shown$code[[a]]), str(column_kind(column)),
        str(column_name(column)), num(r$estimate), num(r$se), num(r$lower), num(r$upper), num(r$n), num(r$nEff), num(r$df)))
    }
  }
}

json <- sprintf("{\n  \"generatedBy\": \"scripts/r-reference/scores-reference.R\",\n  \"r\": %s,\n  \"survey\": %s,\n  \"cells\": [\n    %s\n  ]\n}\n",
                str(R.version.string), str(as.character(packageVersion("survey"))), paste(results, collapse = ",\n    "))
writeLines(json, out_file, sep = "")
cat(sprintf("wrote %d cells to %s\n", length(results), out_file))
