/**
 * The public test data lives outside the repository, in the `shared/` folder beside the checkout (in CI
 * too). HAILONG_SHARED_DIR overrides where to look.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function sharedDir(): string {
  const candidates = [process.env.HAILONG_SHARED_DIR, path.resolve(ROOT, '../shared'), '/work/shared'].filter(
    (c): c is string => !!c,
  )
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'data/api/apistrat.csv')))
  if (!found)
    throw new Error(`the shared test data was not found (looked in ${candidates.join(', ')}); set HAILONG_SHARED_DIR`)
  return found
}

/** Folder of R's California API data set (apistrat.csv, apiclus1.csv, apipop.csv). */
export const API_DATA_DIR = path.join(sharedDir(), 'data/api')
