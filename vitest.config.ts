import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * One vitest run over every workspace. Packages import each other by name;
 * the aliases point those names at the sources so tests never need a build.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@community-policing\/core$/, replacement: src("./packages/core/src/index.ts") },
      { find: /^@community-policing\/adapter-memory$/, replacement: src("./packages/adapters/memory/src/index.ts") },
      { find: /^@community-policing\/testkit$/, replacement: src("./packages/adapters/testkit/src/index.ts") }
    ]
  },
  test: {
    include: ["packages/**/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"]
  }
})
