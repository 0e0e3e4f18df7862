import path from 'node:path'
import { vitePlugin as remix } from '@remix-run/dev'
import { build, defineConfig } from 'vite'
import { aliases } from './vitest.config.ts'

/**
 * The raw exports' worker thread (ADR 0062) as one JavaScript file beside the server build, its packages
 * left to node_modules: the server build's copy of raw-export-thread.ts starts it from there, while the
 * source tree's starts it through tsx, which costs the thread 40 MiB more.
 */
async function buildExportWorker(buildDirectory: string) {
  await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: aliases },
    build: {
      ssr: 'app/.server/exports/raw-export-worker.ts',
      outDir: path.join(buildDirectory, 'server'),
      emptyOutDir: false,
      target: 'node20',
      rollupOptions: { output: { format: 'es', entryFileNames: 'raw-export-worker.mjs' } },
    },
  })
}

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  resolve: { alias: aliases },
  build: { target: 'es2019', cssMinify: true },
  server: { port: Number(process.env.PORT ?? 3000) },
  plugins: [
    remix({
      // Tests and benchmarks may build a private copy (HAILONG_BUILD_DIR), which scripts/server.ts then serves.
      buildDirectory: process.env.HAILONG_BUILD_DIR ?? 'build',
      buildEnd: ({ remixConfig }) => buildExportWorker(remixConfig.buildDirectory),
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
