/**
 * Compiles the measuring child (measure.ts, with core's and the adapters'
 * sources) to plain JavaScript before a run, so that children run on bare
 * `node`. Under tsx every child would carry tsx's loader and its transforms
 * of every module it loads (160 MiB of RSS here instead of 78 MiB once core
 * and effect are loaded), which would swamp the peak-RSS comparison.
 *
 * npm packages stay external, each loaded from node_modules as in production;
 * the workspace packages are bundled from source through the tsconfig paths,
 * so no `npm run build` is needed first. Dynamic imports become chunks of
 * their own, so a child loads only its contender's drivers.
 *
 * @module
 */
import { build } from "esbuild"
import { rm } from "node:fs/promises"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

/** Where the compiled entry points are. */
export interface ChildBuild {
  /** The child's entry, to run with `node`. */
  readonly measure: string
  /** The compiled Emmett SQLite contender, as a `file:` URL for `import()`. */
  readonly emmettSqliteModule: string
}

const options = {
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning"
} as const

export const buildChildren = async (benchFolder: string): Promise<ChildBuild> => {
  const tsconfig = join(benchFolder, "tsconfig.json")
  // Chunk names carry content hashes: clear out the previous build's.
  await rm(join(benchFolder, "dist"), { recursive: true, force: true })
  await build({
    ...options,
    tsconfig,
    entryPoints: [join(benchFolder, "src", "measure.ts")],
    outdir: join(benchFolder, "dist")
  })
  // Built next to its own node_modules, where its Emmett 0.38.5 packages resolve.
  const emmettFolder = join(benchFolder, "emmett-sqlite")
  await build({
    ...options,
    tsconfig,
    entryPoints: [join(emmettFolder, "SqliteEmmett.ts")],
    outdir: join(emmettFolder, "dist")
  })
  return {
    measure: join(benchFolder, "dist", "measure.js"),
    emmettSqliteModule: pathToFileURL(join(emmettFolder, "dist", "SqliteEmmett.js")).href
  }
}
