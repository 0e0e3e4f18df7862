/** Where the tests find R's California API data set (public domain), kept in the repository as fixtures. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Folder of apistrat.csv, apiclus1.csv and apipop.csv (see its README.md). */
export const API_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/api')
