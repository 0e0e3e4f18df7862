// Quantiles of the normal, Student t and beta distributions, written here so the
// domain layer has no dependencies. Target accuracy ~1e-12 relative, enough for intervals
// printed to 6 digits and for the Korn–Graubard interval whose beta shape parameters can
// be tiny (n*·θ near 0) or large (n* in the thousands).

const LANCZOS_G = 7
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos approximation, reflection below 0.5). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`)
  if (x < 0.5) {
    // Reflection keeps accuracy for the small shape parameters Korn–Graubard produces.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  }
  const z = x - 1
  let sum = LANCZOS_COEFFICIENTS[0]!
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS_COEFFICIENTS[i]! / (z + i)
  const t = z + LANCZOS_G + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** Stirling series remainder ln Γ(x) − [(x − ½)ln x − x + ½ln 2π], accurate for x ≥ 100. */
function stirlingCorrection(x: number): number {
  const x2 = x * x
  return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * x2)) / x2) / x2) / x
}

/**
 * ln B(a, b). With one large argument (df/2 of a t with big df, n* of a large unit) the naive
 * ln Γ(a) + ln Γ(b) − ln Γ(a+b) cancels millions against millions; the Stirling form of
 * ln Γ(big) − ln Γ(small + big) avoids that.
 */
function logBeta(a: number, b: number): number {
  const big = Math.max(a, b)
  const small = Math.min(a, b)
  if (big < 100) return logGamma(a) + logGamma(b) - logGamma(a + b)
  return (
    logGamma(small) -
    (big - 0.5) * Math.log1p(small / big) -
    small * Math.log(small + big) +
    small +
    stirlingCorrection(big) -
    stirlingCorrection(small + big)
  )
}

/** Continued fraction for I_x(a, b) (modified Lentz); converges fast when x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let result = d
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m
    let numerator = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + numerator * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + numerator / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    result *= d * c
    numerator = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + numerator * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + numerator / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    result *= delta
    if (Math.abs(delta - 1) < 1e-16) return result
  }
  throw new Error(`incomplete beta did not converge for x=${x}, a=${a}, b=${b}`)
}

/** Regularized incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`beta shapes must be > 0, got a=${a}, b=${b}`)
  if (x <= 0) return 0
  if (x >= 1) return 1
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b)
  // Use the continued fraction on whichever tail converges quickly (symmetry I_x(a,b) = 1 − I_{1−x}(b,a)).
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b
}

/** Beta(a, b) density, used as the Newton derivative. */
function betaDensity(x: number, a: number, b: number): number {
  if (x <= 0 || x >= 1) return 0
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b))
}

/**
 * Quantile of Beta(a, b): the x with I_x(a, b) = p.
 * Newton steps safeguarded by a shrinking bracket, so it never leaves (0, 1) even when the
 * density is huge near an edge (shape parameters below 1).
 */
/** Above this a + b, `betaQuantile` uses the normal approximation (its error is then below 1e-10). */
export const LARGE_BETA_SHAPES = 1e10

export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`)
  if (!(a > 0) || !(b > 0)) throw new RangeError(`beta shapes must be > 0, got a=${a}, b=${b}`)
  if (p === 0) return 0
  if (p === 1) return 1
  // Huge shapes (an effective sample size in the billions, e.g. a post-stratified variance that is zero but
  // for round-off) defeat the continued fraction; there the beta is normal to far better than 1e-9.
  if (a + b > LARGE_BETA_SHAPES) {
    const total = a + b
    const sd = Math.sqrt((a * b) / (total * total * (total + 1)))
    return Math.min(1, Math.max(0, a / total + normalQuantile(p) * sd))
  }
  let low = 0
  let high = 1
  let x = a / (a + b)
  for (let iteration = 0; iteration < 1000; iteration++) {
    const error = regularizedIncompleteBeta(x, a, b) - p
    if (error === 0) return x
    if (error > 0) high = x
    else low = x
    const density = betaDensity(x, a, b)
    let next = density > 0 ? x - error / density : Number.NaN
    if (!(next > low && next < high)) next = (low + high) / 2
    if (Math.abs(next - x) <= 1e-15 * Math.max(x, 1e-300) || high - low <= 1e-16 * high) return next
    x = next
  }
  return x
}

/** Standard normal distribution function: Φ(z) = ½ ± ½·P(½, z²/2). */
export function normalCdf(z: number): number {
  // The upper tail is computed directly (not as 1 − P) so far-tail quantiles keep their digits.
  const upperTail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2)
  return z >= 0 ? 1 - upperTail : upperTail
}

/** Regularized upper incomplete gamma Q(a, x) (series for x < a+1, continued fraction otherwise). */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1
  const logFront = a * Math.log(x) - x - logGamma(a)
  if (x < a + 1) {
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break
    }
    return 1 - sum * Math.exp(logFront)
  }
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-17) break
  }
  return Math.exp(logFront) * h
}

/** Quantile of the standard normal distribution (Newton on Φ from a logistic starting point). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity
    if (p === 1) return Infinity
    throw new RangeError(`probability must be in [0, 1], got ${p}`)
  }
  if (p === 0.5) return 0
  // Solve in the lower tail for accuracy, then mirror.
  const tail = Math.min(p, 1 - p)
  let z = -Math.sqrt(-2 * Math.log(tail))
  z = z + (2.515517 + 0.802853 * -z + 0.010328 * z * z) / (1 + 1.432788 * -z + 0.189269 * z * z + 0.001308 * -z * z * z)
  for (let i = 0; i < 50; i++) {
    const error = normalCdf(z) - tail
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
    const step = error / density
    z -= step
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break
  }
  return p < 0.5 ? z : -z
}

/** Student t distribution function with `df` degrees of freedom (df = Infinity gives the normal). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`)
  if (!Number.isFinite(df)) return normalCdf(t)
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

/** Quantile of Student's t with `df` degrees of freedom, via the beta quantile. */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`)
  if (!Number.isFinite(df)) return normalQuantile(p)
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity
    if (p === 1) return Infinity
    throw new RangeError(`probability must be in [0, 1], got ${p}`)
  }
  if (p === 0.5) return 0
  const tail = Math.min(p, 1 - p)
  // P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2), so invert a beta and map back to t. For
  // ordinary tails invert the mirror image y = t²/(df+t²) ~ Beta(1/2, df/2): with large df,
  // x is close to 1 and 1 − x would lose digits; y is small and keeps them.
  let t: number
  if (tail > 1e-4) {
    const y = betaQuantile(1 - 2 * tail, 0.5, df / 2)
    t = Math.sqrt((df * y) / (1 - y))
  } else {
    const x = betaQuantile(2 * tail, df / 2, 0.5)
    t = Math.sqrt((df * (1 - x)) / x)
  }
  return p < 0.5 ? -t : t
}

/**
 * Regularized lower incomplete gamma P(a, x) = 1 − Q(a, x). Below x = a + 1 the series is summed directly,
 * so a tiny P (a far Poisson tail) keeps its digits instead of vanishing in 1 − Q.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gamma shape must be > 0, got ${a}`)
  if (x <= 0) return 0
  if (x >= a + 1) return 1 - regularizedGammaQ(a, x)
  let term = 1 / a
  let sum = term
  for (let n = 1; n < 10000; n++) {
    term *= x / (a + n)
    sum += term
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break
  }
  return sum * Math.exp(a * Math.log(x) - x - logGamma(a))
}

/** P(X ≥ k) for X ~ Poisson(mean): P(X ≥ k) = P(k, mean) for k ≥ 1. */
export function poissonUpperTail(k: number, mean: number): number {
  if (!(mean >= 0)) throw new RangeError(`Poisson mean must be ≥ 0, got ${mean}`)
  if (!Number.isInteger(k)) throw new RangeError(`count must be an integer, got ${k}`)
  if (k <= 0) return 1
  if (mean === 0) return 0
  return regularizedGammaP(k, mean)
}

/** P(X ≥ x) for X ~ χ²(df): Q(df/2, x/2), computed as the upper tail itself so tiny p-values keep their digits. */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`)
  if (x <= 0) return 1
  return regularizedGammaQ(df / 2, x / 2)
}
