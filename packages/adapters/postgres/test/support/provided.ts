/**
 * What the global setup (test/globalSetup.ts) hands to the suites.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** A URL with rights to create and drop databases on the test server. */
    postgresAdminUrl: string
  }
}

export {}
