# Reference values from R's survey package for `hailong analyze`, written at full precision to the
# JSON fixture the r-survey tests read. `npm run r-reference` names the data folder and that file.
#
# Run: npm run r-reference   (needs Debian's r-base-core and r-cran-survey; not needed by npm test)
#
# Every case names the `hailong analyze` arguments it checks and the R code that gives the
# expected numbers, so a reader can re-run either side. Indicator columns such as `sch.wide_Yes`
# (1 when sch.wide == "Yes", else 0) are added to the API files by the test and here alike.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript api-reference.R DATA_DIR OUT_FILE (see npm run r-reference)")
data_dir <- args[[1]]
out_file <- args[[2]]

read_api <- function(name) {
  d <- read.csv(file.path(data_dir, paste0(name, ".csv")), stringsAsFactors = FALSE)
  for (column in c("sch.wide", "comp.imp", "both", "awards", "yr.rnd")) {
    d[[paste0(column, "_Yes")]] <- as.numeric(d[[column]] == "Yes")
  }
  d
}
apistrat <- read_api("apistrat")
apiclus1 <- read_api("apiclus1")
apipop <- read.csv(file.path(data_dir, "apipop.csv"), stringsAsFactors = FALSE)

pop.types <- as.data.frame(xtabs(~stype, data = apipop))
pop.schwide <- as.data.frame(xtabs(~sch.wide, data = apipop))

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dstrat_wr <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus1_wr <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
dsrs <- svydesign(id = ~1, data = apistrat) # equal weights 1, no strata
dstratclus <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = apistrat, nest = TRUE)
dclus1p <- postStratify(dclus1, ~stype, pop.types)
dstratp <- postStratify(dstrat, ~sch.wide, pop.schwide) # unequal weights within each cell
pop.compimp <- as.data.frame(xtabs(~comp.imp, data = apipop))
dstratr <- rake(dstrat, list(~sch.wide, ~comp.imp), list(pop.schwide, pop.compimp), control = list(maxit = 100, epsilon = 1e-12, verbose = FALSE))
dclus1r <- rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide), control = list(maxit = 100, epsilon = 1e-12, verbose = FALSE))

num <- function(x) if (is.na(x)) "null" else trimws(formatC(x, digits = 17, format = "g"))
str <- function(x) if (is.null(x)) "null" else paste0("\"", x, "\"")

# One result row as hailong analyze prints it: estimate, se, ci, df.
row_json <- function(group, estimate, se, lower, upper, df) {
  sprintf("{\"group\": %s, \"estimate\": %s, \"se\": %s, \"ci\": {\"lower\": %s, \"upper\": %s}, \"df\": %s}",
          str(group), num(estimate), num(se), num(lower), num(upper), num(df))
}

# A mean with a t interval on the design's degrees of freedom, as confint(..., df = degf(design)).
mean_row <- function(design, variable, group = NULL, level = 0.95) {
  f <- as.formula(paste0("~`", variable, "`"))
  m <- svymean(f, design, na.rm = TRUE)
  df <- degf(design)
  ci <- confint(m, level = level, df = df)
  row_json(group, coef(m)[[1]], SE(m)[[1]], ci[1, 1], ci[1, 2], df)
}

# A proportion with svyciprop's interval ("beta" is Korn–Graubard).
prop_row <- function(design, variable, method, group = NULL, level = 0.95) {
  f <- as.formula(paste0("~`", variable, "`"))
  p <- svyciprop(f, design, method = method, level = level)
  ci <- attr(p, "ci")
  row_json(group, coef(p)[[1]], SE(p)[[1]], ci[[1]], ci[[2]], degf(design))
}

# Domains: each level of `by` as a subset of the full design (svyby does the same).
by_rows <- function(design, by, fn) {
  levels <- sort(unique(design$variables[[by]]))
  sapply(levels, function(level) fn(subset(design, design$variables[[by]] == level), level))
}

cases <- list()
add_case <- function(id, r_code, argv, rows) {
  cases[[length(cases) + 1]] <<- sprintf(
    "    {\n      \"id\": %s,\n      \"r\": %s,\n      \"argv\": [%s],\n      \"expected\": [\n        %s\n      ]\n    }",
    str(id), str(gsub("\"", "\\\\\"", r_code)), paste(sapply(argv, str), collapse = ", "), paste(rows, collapse = ",\n        "))
}

strat_args <- c("--input", "apistrat.csv", "--weights", "pw", "--strata", "stype", "--fpc", "fpc")
clus_args <- c("--input", "apiclus1.csv", "--weights", "pw", "--cluster", "dnum", "--fpc", "fpc")
pop_types_arg <- paste0(pop.types$stype, "=", pop.types$Freq, collapse = ",")
pop_schwide_arg <- paste0(pop.schwide$sch.wide, "=", pop.schwide$Freq, collapse = ",")
rake_types_arg <- paste0("stype=", paste0(pop.types$stype, ":", pop.types$Freq, collapse = ","))
rake_schwide_arg <- paste0("sch.wide=", paste0(pop.schwide$sch.wide, ":", pop.schwide$Freq, collapse = ","))
rake_compimp_arg <- paste0("comp.imp=", paste0(pop.compimp$comp.imp, ":", pop.compimp$Freq, collapse = ","))

add_case("stratified mean", "svymean(~api00, dstrat); confint(, df = degf(dstrat))",
         c(strat_args, "--value", "api00"), mean_row(dstrat, "api00"))
add_case("stratified mean with missing values", "svymean(~avg.ed, dstrat, na.rm = TRUE)",
         c(strat_args, "--value", "avg.ed"), mean_row(dstrat, "avg.ed"))
add_case("stratified, with replacement (no fpc)", "svymean(~api00, dstrat_wr)",
         c("--input", "apistrat.csv", "--weights", "pw", "--strata", "stype", "--value", "api00"), mean_row(dstrat_wr, "api00"))
add_case("equal weights, no design columns", "svymean(~api00, svydesign(id = ~1, data = apistrat))",
         c("--input", "apistrat.csv", "--value", "api00"), mean_row(dsrs, "api00"))
add_case("stratified clusters (nest = TRUE)", "svymean(~api00, svydesign(id = ~dnum, strata = ~stype, weights = ~pw, nest = TRUE))",
         c("--input", "apistrat.csv", "--weights", "pw", "--strata", "stype", "--cluster", "dnum", "--value", "api00"), mean_row(dstratclus, "api00"))
add_case("cluster mean", "svymean(~api00, dclus1)",
         c(clus_args, "--value", "api00"), mean_row(dclus1, "api00"))
add_case("cluster mean, with replacement", "svymean(~api00, dclus1_wr)",
         c("--input", "apiclus1.csv", "--weights", "pw", "--cluster", "dnum", "--value", "api00"), mean_row(dclus1_wr, "api00"))
add_case("cluster mean at level 0.90", "confint(svymean(~api00, dclus1), level = 0.9, df = degf(dclus1))",
         c(clus_args, "--value", "api00", "--level", "0.9"), mean_row(dclus1, "api00", level = 0.9))
add_case("cluster domains (svyby)", "svyby(~ell, ~stype, dclus1, svymean) with confint(df = degf(subset))",
         c(clus_args, "--value", "ell", "--by", "stype"), by_rows(dclus1, "stype", function(d, g) mean_row(d, "ell", g)))
add_case("stratified domains (svyby)", "svyby(~api00, ~sch.wide, dstrat, svymean)",
         c(strat_args, "--value", "api00", "--by", "sch.wide"), by_rows(dstrat, "sch.wide", function(d, g) mean_row(d, "api00", g)))
add_case("post-stratified cluster sample", "svymean(~api00, postStratify(dclus1, ~stype, pop.types))",
         c(clus_args, "--value", "api00", "--poststrata", "stype", "--population", pop_types_arg), mean_row(dclus1p, "api00"))
add_case("post-stratified, unequal weights within cells", "svymean(~api00, postStratify(dstrat, ~sch.wide, pop.schwide))",
         c(strat_args, "--value", "api00", "--poststrata", "sch.wide", "--population", pop_schwide_arg), mean_row(dstratp, "api00"))
add_case("post-stratified domains, unequal weights", "svyby(~api00, ~stype, postStratify(dstrat, ~sch.wide, pop.schwide), svymean)",
         c(strat_args, "--value", "api00", "--poststrata", "sch.wide", "--population", pop_schwide_arg, "--by", "stype"),
         by_rows(dstratp, "stype", function(d, g) mean_row(d, "api00", g)))
add_case("raked cluster sample", "svymean(~api00, rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide), control = list(epsilon = 1e-12)))",
         c(clus_args, "--value", "api00", "--rake", rake_types_arg, "--rake", rake_schwide_arg), mean_row(dclus1r, "api00"))
add_case("raked stratified sample, unequal weights within cells", "svymean(~api00, rake(dstrat, list(~sch.wide, ~comp.imp), list(pop.schwide, pop.compimp), control = list(epsilon = 1e-12)))",
         c(strat_args, "--value", "api00", "--rake", rake_schwide_arg, "--rake", rake_compimp_arg), mean_row(dstratr, "api00"))
for (method in c("beta", "logit", "mean")) {
  add_case(paste("cluster proportion,", method), sprintf("svyciprop(~sch.wide_Yes, dclus1, method = \"%s\")", method),
           c(clus_args, "--value", "sch.wide_Yes", "--ci", method), prop_row(dclus1, "sch.wide_Yes", method))
  add_case(paste("stratified proportion,", method), sprintf("svyciprop(~awards_Yes, dstrat, method = \"%s\")", method),
           c(strat_args, "--value", "awards_Yes", "--ci", method), prop_row(dstrat, "awards_Yes", method))
}
add_case("proportion domains, Korn-Graubard", "svyby(~both_Yes, ~stype, dclus1, svyciprop, method = \"beta\")",
         c(clus_args, "--value", "both_Yes", "--by", "stype"), by_rows(dclus1, "stype", function(d, g) prop_row(d, "both_Yes", "beta", g)))
add_case("proportion of a post-stratified sample, level 0.90", "svyciprop(~comp.imp_Yes, dclus1p, method = \"beta\", level = 0.9)",
         c(clus_args, "--value", "comp.imp_Yes", "--poststrata", "stype", "--population", pop_types_arg, "--level", "0.9"),
         prop_row(dclus1p, "comp.imp_Yes", "beta", level = 0.9))

json <- sprintf("{\n  \"generatedBy\": \"scripts/r-reference/api-reference.R\",\n  \"r\": %s,\n  \"survey\": %s,\n  \"cases\": [\n%s\n  ]\n}\n",
                str(R.version.string), str(as.character(packageVersion("survey"))), paste(cases, collapse = ",\n"))
dir.create(dirname(out_file), recursive = TRUE, showWarnings = FALSE)
writeLines(json, out_file, sep = "")
cat(sprintf("wrote %d cases to %s\n", length(cases), out_file))
