#!/usr/bin/env node
// Starts the production server from the build: `npm run build` builds scripts/server.ts into
// build/server/server.mjs beside the app (vite.config.ts), so nothing is compiled while it runs.
// A copy of a build elsewhere (HAILONG_BUILD_DIR) lets a test or the security check run while build/ is rebuilt.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = path.join(path.resolve(root, process.env.HAILONG_BUILD_DIR ?? 'build'), 'server', 'server.mjs')
if (!fs.existsSync(entry)) {
  console.error(`No server build at ${entry}: run \`npm run build\` first (\`npm start\` does).`)
  process.exit(1)
}
await import(pathToFileURL(entry).href)
