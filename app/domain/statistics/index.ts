// Public API of the statistics module: survey designs, weighted estimates with design-based
// standard errors, calibration, intervals, SIPAS indices and publication rules.
export * from './distributions.ts'
export * from './design.ts'
export * from './estimators.ts'
export * from './calibration.ts'
export * from './intervals.ts'
export * from './indices.ts'
export * from './publication.ts'
export * from './cell-sums.ts'
