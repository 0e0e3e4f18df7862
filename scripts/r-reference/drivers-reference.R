# Driver analysis (GET /api/v1/drivers, docs/insight.md) recomputed from a raw export in plain R, without
# relaimpo (not packaged for Debian's R 4.2) and without anything from Hài Lòng but the raw responses and the
# questionnaire's structure:
#   - the respondent's element scores and criterion indicators from the raw answers (docs/method.md §2);
#   - LMG of the elements by all-subsets weighted regression: summary(lm(y ~ S, weights = w))$r.squared
#     for every subset S, then each element's Shapley share Σ_S |S|!(p−|S|−1)!/p! · (R²(S ∪ j) − R²(S));
#   - Johnson's relative weights of the criteria (22 of them: too many for 2^22 regressions) from the
#     weighted correlation matrix (cov.wt) and its eigen-decomposition;
#   - importance = share of R².
# Bootstrap intervals are not recomputed (they depend on the generator); the point estimates are.
#
# Run: Rscript scripts/r-reference/drivers-reference.R SIDE_DIR OUT_FILE
# SIDE_DIR holds CSV files:
#   responses.csv   the raw export of the period (/analytics/responses/csv) for the whole database
#   agencies.csv    code, path                                  every agency
#   successions.csv predecessor, successor                      today's boundaries: merged units count for
#                                                               their final successor
#   criteria.csv    element, element_weight, criterion, threshold
#   cases.csv       root, outcome                               agency code; the outcome item's code
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript drivers-reference.R SIDE_DIR OUT_FILE")
side <- args[[1]]
out_file <- args[[2]]
frame <- read_structure(side)
agencies <- frame$agencies
criteria <- frame$criteria
elements <- frame$elements
path_of <- frame$path_of
cases <- read_side(side, "cases.csv")
raw <- composites(read_raw(file.path(side, "responses.csv")), criteria)
raw$w <- as.numeric(raw$weight)
raw$counts_path <- path_of[agencies$final[match(raw$agency_code, agencies$code)]]

# Weighted R² of y on the columns `set` of `d` (0 for the empty set), as lm reports it.
r2 <- function(d, set) {
  if (!length(set)) return(0)
  fit <- lm(reformulate(paste0("`", set, "`"), response = "y"), data = d, weights = d$w)
  summary(fit)$r.squared
}

lmg_shares <- function(d, predictors) {
  p <- length(predictors)
  masks <- 0:(2^p - 1)
  subset_of <- function(mask) predictors[bitwAnd(mask, 2^(0:(p - 1))) > 0]
  values <- vapply(masks, function(m) r2(d, subset_of(m)), 0)
  full <- values[[2^p]]
  contributions <- vapply(seq_len(p), function(j) {
    bit <- 2^(j - 1)
    total <- 0
    for (m in masks[bitwAnd(masks, bit) == 0]) {
      k <- length(subset_of(m))
      total <- total + factorial(k) * factorial(p - k - 1) / factorial(p) * (values[[m + bit + 1]] - values[[m + 1]])
    }
    total
  }, 0)
  list(rSquared = full, shares = contributions / full)
}

relative_weight_shares <- function(d, predictors) {
  x <- as.matrix(d[, predictors, drop = FALSE])
  sds <- apply(x, 2, function(col) sqrt(cov.wt(cbind(col), wt = d$w, method = "ML")$cov[1, 1]))
  live <- predictors[sds > 0]
  m <- cov.wt(cbind(y = d$y, as.matrix(d[, live, drop = FALSE])), wt = d$w, cor = TRUE)$cor
  rxx <- m[-1, -1, drop = FALSE]
  rxy <- m[-1, 1]
  e <- eigen(rxx, symmetric = TRUE)
  keep <- e$values > 1e-12
  v <- e$vectors[, keep, drop = FALSE]
  lambda <- v %*% diag(sqrt(e$values[keep]), nrow = sum(keep)) %*% t(v)
  beta <- v %*% diag(1 / sqrt(e$values[keep]), nrow = sum(keep)) %*% t(v) %*% rxy
  weights <- setNames(rep(0, length(predictors)), predictors)
  weights[live] <- as.vector((lambda^2) %*% (beta^2))
  full <- r2(d, live)
  if (abs(sum(weights) - full) > 1e-9) stop("relative weights do not add up to lm's R²")
  list(rSquared = full, shares = weights / full)
}

num <- function(x) if (is.null(x) || is.na(x)) "null" else trimws(sprintf("%.17g", x))
str <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")

results <- character(0)
for (k in seq_len(nrow(cases))) {
  case <- cases[k, ]
  in_domain <- startsWith(raw$counts_path, path_of[[case$root]])
  base <- raw[in_domain, ]
  base$y <- suppressWarnings(as.numeric(base[[case$outcome]]))
  for (kind in c("element", "criterion")) {
    predictors <- if (kind == "element") paste0("el:", elements) else paste0("crit:", criteria$criterion)
    d <- base[complete.cases(base[, c("y", predictors)]) & base$w > 0, c("y", "w", predictors)]
    result <- if (kind == "element") lmg_shares(d, predictors) else relative_weight_shares(d, predictors)
    for (j in seq_along(predictors)) {
      results <- c(results, sprintf(
        "{\"root\": %s, \"kind\": %s, \"method\": %s, \"code\": %s, \"importance\": %s, \"rSquared\": %s, \"n\": %d}",
        str(case$root), str(kind), str(if (kind == "element") "lmg" else "relative-weights"),
        str(sub("^(el|crit):", "", predictors[[j]])), num(result$shares[[j]]), num(result$rSquared), nrow(d)))
    }
  }
}
json <- sprintf("{\n  \"generatedBy\": \"scripts/r-reference/drivers-reference.R\",\n  \"r\": %s,\n  \"rows\": [\n    %s\n  ]\n}\n",
                str(R.version.string), paste(results, collapse = ",\n    "))
writeLines(json, out_file, sep = "")
cat(sprintf("wrote %d rows to %s\n", length(results), out_file))
