/**
 * Real database files for the tests: a fresh folder under the system's temp
 * folder, removed when the test file is done.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll } from "vitest"

/**
 * A new temp folder for this test file, deleted after its last test. Returns
 * a function naming a fresh database file inside it.
 */
export const tempDatabases = (label: string): (name: string) => string => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `adapter-sqlite-${label}-`))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))
  let count = 0
  return (name) => path.join(folder, `${String(++count).padStart(3, "0")}-${name}.db`)
}
