/**
 * `npm run dev`: the production server's express app (./app.ts), start-up and load context
 * (./prepare.ts), with Vite in middleware mode in place of the built files. Route modules, components
 * and everything they import reload on each edit; the database handle, the configuration and the rate
 * limiter are created here, in the process Vite's module graph never re-evaluates, so they survive
 * every reload (one SQLite connection, one PostgreSQL pool).
 */
import http from 'node:http'
import type { ServerBuild } from '@remix-run/node'
import { createServer as createViteServer } from 'vite'
import { createApp } from './app.ts'
import { prepareServer, serve } from './prepare.ts'

const prepared = await prepareServer()
// The HMR socket shares the app's port (one origin, allowed by the Content-Security-Policy's 'self').
const server = http.createServer()
// Remix's plugin starts a second Vite server (its child compiler, which reads route exports) outside
// middleware mode, and Vite gives such a server a SIGTERM handler that exits the process at once. `serve`
// stops in order (requests, Vite and its child, then the database), so that handler goes.
const ownSigtermHandlers = new Set(process.listeners('SIGTERM'))
const vite = await createViteServer({ server: { middlewareMode: true, hmr: { server } } })
for (const handler of process.listeners('SIGTERM'))
  if (!ownSigtermHandlers.has(handler)) process.off('SIGTERM', handler)
const app = createApp({
  ...prepared,
  build: () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
  assets: vite.middlewares,
})
server.on('request', app)
serve(server, prepared, () => vite.close())
