#!/usr/bin/env node
// Launcher for the `hailong` command: runs the TypeScript CLI through tsx so the
// command line and the app share one source of truth (db/, app/domain) without a build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
