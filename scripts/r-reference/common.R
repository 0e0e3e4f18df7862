# What the reference scripts (scores-, change- and drivers-reference.R) read and derive the same way, kept
# in one place so that the three recompute the published figures from one reading of the raw export and
# one definition of the composite. Each script sources this file from its own folder:
#   source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))
# Nothing here comes from Hài Lòng's code: only the questionnaire's structure and docs/method.md §2.

# A side file of SIDE_DIR, every column as text, empty cells kept as "".
read_side <- function(side, name) {
  read.csv(file.path(side, name), colClasses = "character", check.names = FALSE, na.strings = character(0))
}

# The structure every script needs: the agencies (with `final`, each one's final successor today, and
# `path_of`), the successions, the criteria (weights and thresholds as numbers) and the element codes.
read_structure <- function(side) {
  agencies <- read_side(side, "agencies.csv")
  successions <- read_side(side, "successions.csv")
  criteria <- read_side(side, "criteria.csv")
  criteria$element_weight <- as.numeric(criteria$element_weight)
  criteria$threshold <- as.numeric(criteria$threshold)
  # Chains such as district -> commune followed to the end.
  final_successor <- function(code) {
    hops <- 0
    while (code %in% successions$predecessor && hops < 50) {
      code <- successions$successor[match(code, successions$predecessor)]
      hops <- hops + 1
    }
    code
  }
  agencies$final <- vapply(agencies$code, final_successor, "")
  list(agencies = agencies, successions = successions, criteria = criteria,
       elements = unique(criteria$element), path_of = setNames(agencies$path, agencies$code))
}

# A raw export (/analytics/responses/csv) as text columns; empty cells are NA; the UTF-8 BOM is dropped.
read_raw <- function(file) {
  raw <- read.csv(file, colClasses = "character", check.names = FALSE, na.strings = "", encoding = "UTF-8")
  names(raw)[1] <- sub("^\ufeff", "", names(raw)[1])
  raw
}

# Per-respondent composites (docs/method.md, "The composite"): each criterion's indicator ("crit:" code,
# NA when unanswered); an element's score ("el:" code) is the share of its criteria answered at or above
# the threshold among those answered; the overall the element-weighted mean of the element scores, weights
# renormalised over the elements answered.
composites <- function(raw, criteria) {
  num <- rep(0, nrow(raw))
  den <- rep(0, nrow(raw))
  for (e in unique(criteria$element)) {
    rows <- criteria[criteria$element == e, ]
    answered <- rep(0, nrow(raw))
    satisfied <- rep(0, nrow(raw))
    for (k in seq_len(nrow(rows))) {
      v <- suppressWarnings(as.numeric(raw[[rows$criterion[[k]]]]))
      answered <- answered + !is.na(v)
      satisfied <- satisfied + (!is.na(v) & v >= rows$threshold[[k]])
      raw[[paste0("crit:", rows$criterion[[k]])]] <- ifelse(is.na(v), NA, as.numeric(v >= rows$threshold[[k]]))
    }
    x <- ifelse(answered > 0, satisfied / answered, NA)
    raw[[paste0("el:", e)]] <- x
    w <- rows$element_weight[[1]]
    num <- num + ifelse(is.na(x), 0, w * x)
    den <- den + ifelse(is.na(x), 0, w)
  }
  raw[["overall"]] <- ifelse(den > 0, num / den, NA)
  raw
}
