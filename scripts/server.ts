/**
 * The production server: migrates and seeds, then serves the Remix build with express. The database
 * and configuration are created here once and handed to every loader and action as load context.
 */
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { builtAssets, createApp } from './server/app.ts'
import { prepareServer, serve } from './server/prepare.ts'

// This module runs built, as <build>/server/server.mjs (vite.config.ts; scripts/start.mjs picks the build),
// beside the Remix build it serves.
const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const prepared = await prepareServer()
const build = (await import(pathToFileURL(path.join(buildDir, 'server/index.js')).href)) as ServerBuild
const app = createApp({ ...prepared, build, assets: builtAssets(path.join(buildDir, 'client')) })
serve(http.createServer(app), prepared)
