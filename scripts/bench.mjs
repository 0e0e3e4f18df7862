#!/usr/bin/env node
// `npm run bench` — runs the TypeScript benchmarks through tsx. Usage: npm run bench [-- page|lighthouse|scores|submissions|analytics|all]
import { register } from 'tsx/esm/api'

register()
const { runBenchmarks } = await import('./bench/run.ts')
process.exitCode = await runBenchmarks(process.argv.slice(2))
