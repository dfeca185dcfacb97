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
      {
        find: /^@community-policing\/core\/(kernel|calls|engine|ports|notifications|justice-for-neighbors)$/,
        replacement: src("./packages/core/src/$1/index.ts")
      },
      { find: /^@community-policing\/core\/commission$/, replacement: src("./packages/core/src/commission/ComplaintReports.ts") },
      { find: /^@community-policing\/adapter-memory$/, replacement: src("./packages/adapters/memory/src/index.ts") },
      { find: /^@community-policing\/testkit$/, replacement: src("./packages/adapters/testkit/src/index.ts") },
      { find: /^@community-policing\/adapter-sqlite$/, replacement: src("./packages/adapters/sqlite/src/index.ts") },
      { find: /^@community-policing\/adapter-postgres$/, replacement: src("./packages/adapters/postgres/src/index.ts") },
      { find: /^@community-policing\/records-csv$/, replacement: src("./packages/adapters/records-csv/src/index.ts") },
      { find: /^@community-policing\/adapter-webhook$/, replacement: src("./packages/adapters/webhook/src/index.ts") },
      { find: /^@community-policing\/adapter-email$/, replacement: src("./packages/adapters/email/src/index.ts") },
      { find: /^@community-policing\/adapter-console$/, replacement: src("./packages/adapters/console/src/index.ts") }
    ]
  },
  test: {
    globalSetup: ["packages/adapters/postgres/test/globalSetup.ts"],
    include: ["packages/**/test/**/*.test.ts"],
    // Shared 2-core machines: property tests and real databases need room under load.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    exclude: ["**/node_modules/**", "**/dist/**"]
  }
})
