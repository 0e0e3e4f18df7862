/** A fresh temporary folder, for tests and for the scripts that start servers of their own (benchmarks, crash test). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export function tempDir(prefix = 'hailong-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}
