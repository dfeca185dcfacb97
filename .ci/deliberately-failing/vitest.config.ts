/**
 * The project's vitest configuration (same global setup, which starts the
 * embedded PostgreSQL server) over one test file that must fail. `.ci/run`
 * checks that this run exits non-zero: a failing test must fail the build.
 * The file lies outside `packages/`, so the real suite never picks it up.
 */
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import project from "../../vitest.config.ts"

// Spread, not mergeConfig: merging would add the suite's own `include` patterns to this one.
export default defineConfig({
  ...project,
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: { ...project.test, include: [".ci/deliberately-failing/*.test.ts"] }
})
