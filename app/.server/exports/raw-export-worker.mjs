// The raw export's worker thread starts here (raw-export-thread.ts). The app is TypeScript, which the
// server runs through tsx (scripts/start.mjs); a worker thread does not inherit that, so it registers it.
import { register } from 'tsx/esm/api'

register()
await import('./raw-export-worker.ts')
