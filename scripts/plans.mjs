#!/usr/bin/env node
// `npm run plans` — EXPLAINs the app's hot queries on the configured database (see scripts/plans/query-plans.ts).
import { register } from 'tsx/esm/api'

register()
await import('./plans/query-plans.ts')
