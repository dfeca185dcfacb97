import { defineConfig } from "tsup"
import { packageBuild } from "../../tsup.base.ts"

/**
 * One entry per subpath export of package.json: the root, each shared layer
 * and each program. Shared chunks (`splitting`) keep one copy of every
 * module, so a class (a port's tag, an error, a schema) is the same object
 * whether it was imported from the root or from a subpath.
 */
export default defineConfig({
  ...packageBuild({
    index: "src/index.ts",
    kernel: "src/kernel/index.ts",
    calls: "src/calls/index.ts",
    engine: "src/engine/index.ts",
    ports: "src/ports/index.ts",
    notifications: "src/notifications/index.ts",
    "justice-for-neighbors": "src/justice-for-neighbors/index.ts",
    commission: "src/commission/index.ts"
  }),
  splitting: true
})
