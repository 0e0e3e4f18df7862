# The Fay–Herriot shrunk overall index of each unit (GET /api/v1/scores `shrunk`, docs/method.md §13)
# recomputed in plain R from the direct estimates and their design variances (which scores-reference.R
# checks against the survey package): the moment equation solved with uniroot, the shrunk estimate and
# its Prasad–Rao MSE with the Datta–Rao–Smith term, and the 95 % interval clipped to [0, 1].
#
# Run: Rscript scripts/r-reference/shrinkage-reference.R UNITS_CSV OUT_CSV
#   UNITS_CSV: group, key, estimate, variance, n_eff   (one row per unit; a group is a set of siblings)
#   OUT_CSV:   key, estimate, lower, upper, gamma
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript shrinkage-reference.R UNITS_CSV OUT_CSV")
units <- read.csv(args[[1]], colClasses = c("character", "character", "numeric", "numeric", "numeric"))
z <- qnorm(0.975)
out <- NULL
for (g in unique(units$group)) {
  u <- units[units$group == g, ]
  m <- nrow(u)
  if (m < 3) next
  positive <- u$variance > 0
  s2 <- mean(u$variance[positive] * u$n_eff[positive])
  d <- ifelse(positive, u$variance, s2 / pmax(u$n_eff, 1))
  mu_at <- function(a) sum(u$estimate / (a + d)) / sum(1 / (a + d))
  excess <- function(a) sum((u$estimate - mu_at(a))^2 / (a + d)) - (m - 1)
  a <- if (excess(0) <= 0) 0 else uniroot(excess, c(0, 1), extendInt = "downX", tol = 1e-14)$root
  mu <- mu_at(a)
  precision <- sum(1 / (a + d))
  gamma <- a / (a + d)
  estimate <- gamma * u$estimate + (1 - gamma) * mu
  mse <- gamma * d + (1 - gamma)^2 / precision + 2 * (2 * m * d^2 / ((a + d)^3 * precision^2))
  out <- rbind(out, data.frame(key = u$key, estimate = estimate, lower = pmax(0, estimate - z * sqrt(mse)),
                               upper = pmin(1, estimate + z * sqrt(mse)), gamma = gamma))
}
write.csv(out, args[[2]], row.names = FALSE)
cat(sprintf("wrote %d units to %s\n", nrow(out), args[[2]]))
