#!/usr/bin/env node
// Starts the production server (scripts/server.ts) through tsx, like the CLI.
import { register } from 'tsx/esm/api'

register()
await import('./server.ts')
