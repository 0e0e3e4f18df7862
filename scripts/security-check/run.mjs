#!/usr/bin/env node
// `npm run security-check`: runs scripts/security-check/main.ts through tsx, like the server and the CLI.
import { register } from 'tsx/esm/api'

register()
await import('./main.ts')
