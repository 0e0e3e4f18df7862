/** A fresh temporary folder. Its own module: scripts outside vitest (benchmarks, crash test) use it too. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export function tempDir(prefix = 'hailong-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}
