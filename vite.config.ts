import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'
import { aliases } from './vitest.config.ts'

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
