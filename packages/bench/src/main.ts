/**
 * The storage benchmark of issue 3 and the calls-import benchmark of
 * issue 4, run by `npm run bench` at the root.
 *
 * Storage rows: on each engine, our adapter, the raw driver it is built on
 * and Emmett's event store append the same 100,000 events (1,000 batches of
 * 100, one per stream, with the expected version) and read them all back,
 * decoded. Calls rows (printed after): 2,000,000 generated Sacramento calls
 * imported from CSV into our SQLite adapter and into DuckDB, the 90-day
 * count per place on both, and a daily refresh of one more day (see
 * calls/CallsBench.ts). Every measurement runs in a fresh child process on a
 * fresh SQLite file, PostgreSQL database or DuckDB file; each contender is
 * measured several times, in rotating order, and the tables show medians.
 *
 * Environment:
 * - `BENCH_RUNS`: runs per contender (default 3).
 * - `BENCH_ONLY`: comma-separated contender ids to run (default all: sqlite-ours,
 *   sqlite-raw, sqlite-emmett, postgres-ours, postgres-raw, postgres-emmett,
 *   calls-sqlite, calls-duckdb, notify-dispatcher, notify-fetch; the last
 *   two are the notifications row of issue 13, see notifications/NotificationsBench.ts).
 * - `BENCH_CALLS`: calls in the imported history (default 2,000,000; at
 *   least 1,000); fewer calls cover fewer days at the same daily rate.
 * - `BENCH_CPU_PROF`: a folder; every child then writes a V8 CPU profile there.
 * - `DATABASE_URL`: a PostgreSQL server to use (a superuser's URL: the bench
 *   creates and drops databases) instead of starting an embedded one.
 *
 * @module
 */
import Database from "better-sqlite3"
import { spawnSync } from "node:child_process"
import { closeSync, existsSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { cpus, loadavg, tmpdir, totalmem } from "node:os"
import { join } from "node:path"
import { runCallsBench } from "./calls/CallsBench.ts"
import { callsContenders } from "./calls/CallsContenders.ts"
import { callsPlan, FULL_CALLS } from "./calls/CallsWorkload.ts"
import type { Target } from "./Contender.ts"
import { buildChildren, type ChildBuild } from "./ChildBuild.ts"
import { type ContenderEntry, contenders } from "./Contenders.ts"
import type { Measurement, Phase, Reference } from "./measure.ts"
import { type PostgresServer, startPostgres } from "./PostgresServer.ts"
import { notificationContenders } from "./notifications/NotificationContenders.ts"
import { median, type Outcome, runDetails, table, targets, unavailableNotes } from "./Report.ts"
import { benchFolder, cpuProfileFolder, runChild } from "./RunChild.ts"
import { BATCH_SIZE, PAGE_SIZE, STREAMS, TOTAL_EVENTS } from "./Workload.ts"

const runs = Number(process.env["BENCH_RUNS"] ?? "3")
const only = process.env["BENCH_ONLY"]?.split(",").map((id) => id.trim()).filter((id) => id !== "")
const calls = Number(process.env["BENCH_CALLS"] ?? String(FULL_CALLS))
/** A measurement that takes longer than this is stopped and counted as failed (a calls import gets more; see CallsBench.ts). */
const childTimeoutMillis = 5 * 60_000
/** How many times a contender's run is tried before its cells print n/a. */
const maxAttempts = 3

const say = (line: string) => process.stdout.write(`${line}\n`)
const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`

/** Measures one phase of one contender in a child process. */
const measure = async (children: ChildBuild, entry: ContenderEntry, phase: Phase, target: Target): Promise<Measurement> => {
  const reply = await runChild(children, [entry.id, phase, JSON.stringify(target)], `${entry.id}-${phase}`, childTimeoutMillis)
  if (!reply.ok || !("measurement" in reply)) throw new Error(`the ${phase} child sent no measurement`)
  return reply.measurement
}

/** Runs the reference child: what every child's RSS stands on, and what the untimed batch building costs. */
const reference = async (children: ChildBuild): Promise<Reference> => {
  const reply = await runChild(children, ["-", "reference"], "reference", childTimeoutMillis)
  if (!reply.ok || !("reference" in reply)) throw new Error("the reference child sent no reference")
  return reply.reference
}

/**
 * Emmett's SQLite store is a separate npm project (its Emmett version differs
 * from emmett-postgresql's); installs it on first use. Returns why it cannot
 * run, or `undefined` when it can.
 */
const ensureEmmettSqlite = (): string | undefined => {
  const project = join(benchFolder, "emmett-sqlite")
  if (existsSync(join(project, "node_modules", "@event-driven-io", "emmett-sqlite", "package.json"))) return undefined
  say(`Installing Emmett's SQLite store in ${project} (first run only; sqlite3 builds from source, about 2 minutes)...`)
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: project, stdio: "inherit" })
  return result.status === 0 ? undefined : `npm ci in ${project} failed (exit ${result.status}); see the output above`
}

/**
 * The median latency of writing 8 KiB and `fdatasync` in the temporary
 * folder: the floor of every durable commit (SQLite with synchronous=FULL,
 * PostgreSQL with synchronous_commit=on), for reading the append numbers.
 */
const fdatasyncMillis = (folder: string): number => {
  const file = join(folder, "fsync-probe")
  const fd = openSync(file, "w")
  const block = Buffer.alloc(8192, 1)
  const samples: Array<number> = []
  try {
    for (let index = 0; index < 200; index++) {
      const start = performance.now()
      writeSync(fd, block, 0, block.length, (index % 16) * block.length)
      fdatasyncSync(fd)
      samples.push(performance.now() - start)
    }
  } finally {
    closeSync(fd)
    rmSync(file, { force: true })
  }
  return median(samples)
}

const sqliteVersion = (): string => {
  const db = new Database(":memory:")
  try {
    return String(db.prepare("SELECT sqlite_version()").pluck().get())
  } finally {
    db.close()
  }
}

/** The storage rows (issue 3): runs them and prints their table. */
const storageBench = async (children: ChildBuild, selected: ReadonlyArray<ContenderEntry>) => {
  const outcomes: Array<Outcome> = selected.map((entry) => ({ entry, append: [], read: [], failures: [] }))
  const emmettSqlite = outcomes.find((outcome) => outcome.entry.id === "sqlite-emmett")
  if (emmettSqlite !== undefined) {
    const problem = ensureEmmettSqlite()
    if (problem !== undefined) emmettSqlite.unavailable = problem
  }

  const needsPostgres = outcomes.some((outcome) => outcome.entry.engine === "postgres")
  let postgres: PostgresServer | undefined
  if (needsPostgres) {
    try {
      postgres = await startPostgres()
    } catch (cause) {
      for (const outcome of outcomes) {
        if (outcome.entry.engine === "postgres") outcome.unavailable = `no PostgreSQL server: ${String(cause)}`
      }
    }
  }
  const sqliteFolder = await mkdtemp(join(tmpdir(), "community-policing-bench-sqlite-"))

  say("Storage benchmark (issue 3)")
  say(`PostgreSQL ${postgres?.version ?? "n/a"} (${postgres?.description ?? "not started"})`)
  if (postgres !== undefined) say(`PostgreSQL settings: ${postgres.settings}`)
  say(`Workload: ${TOTAL_EVENTS.toLocaleString("en-US")} events, ${STREAMS.toLocaleString("en-US")} streams, batches of ${BATCH_SIZE}; reads in pages of ${PAGE_SIZE.toLocaleString("en-US")}; ${runs} runs per contender, medians`)
  const floor = await reference(children)
  say(`Reference child (loads core and builds every batch, stores nothing): peak RSS ${mebibytes(floor.loadedRssBytes)} loaded, ${mebibytes(floor.builtRssBytes)} after building the batches; building took ${Math.round(floor.buildMillis)} ms (never timed)`)
  say("")

  const engines = ["sqlite", "postgres"] as const
  for (let run = 0; run < runs; run++) {
    // One engine's contenders run back to back, so that a ratio compares measurements
    // minutes apart at most; rotating the order spreads a shared machine's drift.
    const order = (run % 2 === 0 ? engines : [...engines].reverse()).flatMap((engine) => {
      const group = outcomes.filter((outcome) => outcome.entry.engine === engine)
      return group.map((_, index) => group[(index + run) % group.length]!)
    })
    for (const outcome of order) {
      if (outcome.unavailable !== undefined) continue
      const { entry } = outcome
      // A failed measurement is retried on a fresh target (Emmett's SQLite store fails now and
      // then under load; see docs/performance.md); every failure is reported.
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const name = `${entry.id}-run${run + 1}-${attempt}`.replaceAll("-", "_")
        let target: Target | undefined
        try {
          target = entry.engine === "sqlite"
            ? { engine: "sqlite", file: join(sqliteFolder, `${name}.db`) }
            : { engine: "postgres", url: await postgres!.createDatabase(name) }
          const appended = await measure(children, entry, "append", target)
          const read = await measure(children, entry, "read", target)
          outcome.append.push({ ...appended, run })
          outcome.read.push({ ...read, run })
          say(`run ${run + 1}/${runs} ${entry.id}: append ${Math.round(appended.millis)} ms, read ${Math.round(read.millis)} ms`)
          break
        } catch (cause) {
          const failure = `run ${run + 1} attempt ${attempt}: ${cause instanceof Error ? cause.message : String(cause)}`
          outcome.failures.push(failure)
          say(`${entry.id} FAILED ${failure}`)
          if (attempt === maxAttempts) outcome.unavailable = `failed ${maxAttempts} times in run ${run + 1}; last: ${failure}`
        } finally {
          if (target?.engine === "sqlite") {
            for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(`${target.file}${suffix}`, { force: true })
          } else if (target?.engine === "postgres") {
            await postgres!.dropDatabase(name)
          }
        }
      }
    }
  }
  await rm(sqliteFolder, { recursive: true, force: true })
  await postgres?.stop()

  say("")
  say(`Results (medians of ${runs} runs; "time vs X": this row's time divided by X's in the same run, median; below 1 is faster):`)
  say("")
  say(table(outcomes))
  say("")
  for (const line of unavailableNotes(outcomes)) say(line)
  for (const outcome of outcomes) {
    for (const failure of outcome.failures) say(`Failed and retried: ${outcome.entry.label} (${outcome.entry.engine}) ${failure}`)
  }
  say("Targets:")
  for (const line of targets(outcomes)) say(`  ${line}`)
  say("")
  say("Every run (events/s):")
  for (const line of runDetails(outcomes)) say(`  ${line}`)
}

const main = async () => {
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a whole number >= 1, got ${process.env["BENCH_RUNS"]}`)
  const notifyIds = notificationContenders.map((entry) => entry.id)
  const known = [...contenders.map((entry) => entry.id), ...callsContenders.map((entry) => entry.id), ...notifyIds]
  const unknown = only?.filter((id) => !known.includes(id)) ?? []
  if (unknown.length > 0) throw new Error(`unknown contender ${unknown.join(", ")} in BENCH_ONLY; known: ${known.join(", ")}`)
  const selectedStorage = contenders.filter((entry) => only === undefined || only.includes(entry.id))
  const selectedCalls = callsContenders.filter((entry) => only === undefined || only.includes(entry.id))
  const selectedNotify = notifyIds.filter((id) => only === undefined || only.includes(id))
  // Checked before anything runs, so a bad BENCH_CALLS does not wait for the storage rows.
  const plan = selectedCalls.length > 0 ? callsPlan(calls) : undefined
  if (cpuProfileFolder !== undefined) await mkdir(cpuProfileFolder, { recursive: true })
  const children = await buildChildren(benchFolder)

  const started = performance.now()
  const loadBefore = loadavg()
  const probeFolder = await mkdtemp(join(tmpdir(), "community-policing-bench-disk-"))
  say(`Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}`)
  say(`Disk: 8 KiB write + fdatasync in ${tmpdir()} takes ${fdatasyncMillis(probeFolder).toFixed(2)} ms (median of 200)`)
  await rm(probeFolder, { recursive: true, force: true })
  say(`SQLite ${sqliteVersion()} (better-sqlite3) in ${tmpdir()}`)
  say("")
  if (selectedStorage.length > 0) await storageBench(children, selectedStorage)
  if (plan !== undefined) {
    if (selectedStorage.length > 0) say("")
    await runCallsBench({ children, runs, plan, selected: selectedCalls, childTimeoutMillis, say })
  }
  if (selectedNotify.length > 0) {
    if (selectedStorage.length > 0 || plan !== undefined) say("")
    const { runNotificationsBench } = await import("./notifications/NotificationsBench.ts")
    await runNotificationsBench({ runs, selected: selectedNotify, say })
  }
  const loads = (values: ReadonlyArray<number>) => values.map((value) => value.toFixed(1)).join(" ")
  say(`Total time ${Math.round((performance.now() - started) / 1000)} s; load average ${loads(loadBefore)} before, ${loads(loadavg())} after.`)
}

await main()
