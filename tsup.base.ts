import type { Options } from "tsup"

/** The build every published package shares: ESM only, with declarations. */
export const packageBuild = (entry: Record<string, string>): Options => ({
  entry,
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  treeshake: true,
  splitting: false,
  tsconfig: "tsconfig.build.json"
})
