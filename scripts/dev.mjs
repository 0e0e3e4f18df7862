#!/usr/bin/env node
// `npm run dev`: starts the development server (scripts/server/dev.ts) through tsx, like the CLI.
import { register } from 'tsx/esm/api'

// Before anything reads it: development mode for Remix, React, Vite and the app's configuration.
process.env.NODE_ENV ??= 'development'
register()
await import('./server/dev.ts')
