/**
 * Starts one real PostgreSQL server for the whole vitest run and hands its
 * admin URL to the tests (`inject("postgresAdminUrl")`); each suite creates
 * its own database on it. With DATABASE_URL set (an admin URL of a server you
 * run, e.g. Debian's PostgreSQL 15 in CI), that server is used instead and
 * nothing is started. A run filtered to other packages' files starts nothing.
 */
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"
import { startEmbeddedServer } from "./support/embeddedServer.ts"
import "./support/provided.ts"

const suites = fileURLToPath(new URL(".", import.meta.url))

/**
 * Whether the run includes a suite of this folder. vitest keeps the command
 * line's file filters in `filenamePattern`, which is not public API: when it
 * is missing (or empty, which means every file), assume the suites run.
 */
const runsPostgresSuites = async (project: TestProject): Promise<boolean> => {
  const filters = (project.vitest as unknown as { readonly filenamePattern?: ReadonlyArray<string> }).filenamePattern
  if (filters === undefined || filters.length === 0) return true
  const specifications = await project.vitest.globTestSpecifications([...filters])
  return specifications.some((specification) => specification.moduleId.startsWith(suites))
}

/** Provides `postgresAdminUrl` for the run; the returned function stops the server it started. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.DATABASE_URL
  if (external !== undefined && external.length > 0) {
    project.provide("postgresAdminUrl", external)
    return undefined
  }
  if (!(await runsPostgresSuites(project))) return undefined
  const server = await startEmbeddedServer({ durable: false })
  project.provide("postgresAdminUrl", server.adminUrl)
  return server.stop
}
