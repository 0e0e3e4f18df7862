import path from 'node:path'
import { vitePlugin as remix } from '@remix-run/dev'
import { build, defineConfig } from 'vite'
import { aliases } from './vitest.config.ts'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

/**
 * Node entries built beside the Remix build, each one JavaScript file with its packages left to
 * node_modules, so no TypeScript is compiled while the server runs (through tsx, each thread that loads
 * TypeScript also runs tsx's loader thread, about 40 MiB): the production server (scripts/start.mjs
 * imports it) and the raw exports' worker thread (ADR 0062).
 */
const NODE_ENTRIES = {
  server: 'scripts/server.ts',
  'raw-export-worker': 'app/.server/exports/raw-export-worker.ts',
}

async function buildNodeEntries(buildDirectory: string) {
  for (const [name, entry] of Object.entries(NODE_ENTRIES)) {
    await build({
      configFile: false,
      logLevel: 'warn',
      resolve: { alias: aliases },
      build: {
        ssr: entry,
        outDir: path.join(buildDirectory, 'server'),
        emptyOutDir: false,
        target: 'node20',
        rollupOptions: { output: { format: 'es', entryFileNames: `${name}.mjs` } },
      },
    })
  }
}

export default defineConfig({
  resolve: { alias: aliases },
  build: { target: 'es2019', cssMinify: true },
  server: { port: Number(process.env.PORT ?? 3000) },
  plugins: [
    remix({
      // Tests and benchmarks may build a private copy (HAILONG_BUILD_DIR), which scripts/start.mjs then serves.
      buildDirectory: process.env.HAILONG_BUILD_DIR ?? 'build',
      buildEnd: ({ remixConfig }) => buildNodeEntries(remixConfig.buildDirectory),
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
  ],
})
