/** Where the tests find their data files. */
import { readFileSync } from "node:fs"
import { Readable } from "node:stream"
import { fileURLToPath } from "node:url"

/** The real January 2006 Sacramento crime reports (`data/` at the project root; source in its README). */
export const sacramentoReportsFile = fileURLToPath(
  new URL("../../../../../data/sacramento-crime-2006-01.csv", import.meta.url)
)

/** The project root, where `node --import tsx` finds the tsconfig that maps package names to sources. */
export const projectRoot = fileURLToPath(new URL("../../../../../", import.meta.url))

/** The fixtures folder. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

/** The tenant every test imports into. */
export const tenantId = "sacramento"

/** The header and the first `count` records of the 2006 reports, as a stream read from the file in place. */
export const firstReports = (count: number): Readable => {
  const [header = "", ...records] = readFileSync(sacramentoReportsFile, "latin1").split("\r")
  return Readable.from([Buffer.from([header, ...records.slice(0, count)].join("\r"), "latin1")])
}
