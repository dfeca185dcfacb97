/**
 * The Justice for Neighbors demo, the README's main command (`npm run demo`
 * at the repository root). On an embedded SQLite file it imports a
 * generated Sacramento-like year of calls, finds the chronic non-residential
 * 911 users, staffs the district teams, opens and works cases with the clock
 * moved forward, and prints a report (also written as an HTML page).
 *
 * Options:
 * - `--reuse`: keep the SQLite file of an earlier run; every step is
 *   idempotent (imports resume after their last committed row, commands are
 *   deduplicated by id), so the run ends in the same state and report.
 * - `--calls N`: how many calls to generate over the year (default
 *   {@link defaultCalls}, 25,000).
 * - `--out DIR`: where the SQLite file, the CSV files and the HTML report go
 *   (default `demo-output` in the working directory).
 *
 * @module
 */
import { DateTime, Effect, Layer, Result } from "effect"
import { sacramento, sacramentoLanguageAccess, validateJurisdiction } from "@community-policing/core"
import {
  justiceForNeighbors,
  justiceForNeighborsNotifications,
  sacramentoNoticeTemplates
} from "@community-policing/core/justice-for-neighbors"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { mkdirSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { type ChronicCallerFindings, findCandidates } from "./ChronicCallersStep.ts"
import { demoStart, demoZone } from "./CaseScripts.ts"
import { candidateCaseLimit, type CaseWalk, walkCases } from "./CasesStep.ts"
import { withIllustrativeDistricts } from "./DemoJurisdiction.ts"
import { type ImportedYear, importYear } from "./ImportStep.ts"
import { checkedDemoRules, type NoticesSent, sendNotices } from "./NotificationsStep.ts"
import { type ProgramReport, programReport } from "./ReportStep.ts"
import { type Staffing, staffingRoles, staffTeams } from "./TeamsStep.ts"

/** The demo's command-line options. */
export interface DemoOptions {
  readonly reuse: boolean
  readonly calls: number
  readonly out: string
}

/**
 * How many calls the demo generates over its year unless told otherwise:
 * 25,000, about a sixteenth of a Sacramento year (about 400,000 calls).
 *
 * Why not a full year: the SQLite file holds about 1.2 kB per call (the
 * calls table and its indexes: 469 MB for 400,000 calls, plus a 95 MB CSV
 * file), and the calls import (about 12,000 rows/s on the project's 2-core
 * machines) made a 400,000-call run take 40 to 62 s. At 25,000 calls the
 * demo writes about 36 MB and took a median of about 13 s, and the scan
 * still finds a few dozen chronic callers (30), with protected calls kept
 * out of the evidence it shows (`test/demo.test.ts` checks the same at
 * 20,000). Raise it when the calls import is fast and its storage smaller;
 * `--calls 400000` runs a Sacramento-sized year meanwhile.
 */
export const defaultCalls = 25_000

/** Reads the options from the command line, or explains what is wrong. */
export const parseArguments = (args: ReadonlyArray<string>): Result.Result<DemoOptions, string> => {
  let reuse = false
  let calls = defaultCalls
  let out = "demo-output"
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]
    if (arg === "--reuse") reuse = true
    else if (arg === "--calls" || arg === "--out") {
      const value = args[index + 1]
      if (value === undefined) return Result.fail(`${arg} needs a value`)
      index += 1
      if (arg === "--out") out = value
      else {
        const parsed = Number(value.replace(/_/g, ""))
        if (!Number.isInteger(parsed) || parsed < 1_000) return Result.fail(`--calls must be a whole number of at least 1000, not ${value}`)
        calls = parsed
      }
    } else return Result.fail(`unknown option ${arg} (options: --reuse, --calls N, --out DIR)`)
  }
  return Result.succeed({ reuse, calls, out: resolve(out) })
}

const tenantId = "sacramento"

/** The generated year: a calendar year before the demo's cases, with a fixed seed. */
export const demoYear = { seed: 2026, from: "2025-01-01", to: "2025-12-31" } as const

/** What a run of the demo did, step by step. */
export interface DemoOutcome {
  readonly database: string
  readonly imported: ImportedYear
  readonly findings: ChronicCallerFindings
  readonly staffing: Staffing
  readonly walk: CaseWalk
  readonly notices: NoticesSent
  readonly report: ProgramReport
}

/**
 * Runs the demo, writing to `write`: the five steps on one SQLite file,
 * with Justice for Neighbors built once for the jurisdiction
 * (`justiceForNeighbors`: the aggregates, the read models, Sacramento's
 * notice templates, and one access policy for the whole run, the nuisance
 * case rules built from the jurisdiction's duties and team staffing granted
 * to city attorneys).
 */
export const runDemo = (options: DemoOptions, write: (text: string) => void, isTerminal: boolean) =>
  Effect.gen(function*() {
    const checked = validateJurisdiction(withIllustrativeDistricts(sacramento))
    if (Result.isFailure(checked)) return yield* Effect.fail(checked.failure)
    const jurisdiction = checked.success
    const rules = checkedDemoRules(jurisdiction)
    if (Result.isFailure(rules)) return yield* Effect.fail(rules.failure)
    const templates = justiceForNeighborsNotifications(sacramentoLanguageAccess)
    if (Result.isFailure(templates)) return yield* Effect.fail(templates.failure)
    const program = justiceForNeighbors(jurisdiction, {
      templates: sacramentoNoticeTemplates,
      teamStaffing: { roles: [...staffingRoles], scope: "own-district" },
      notifications: { rules: rules.success, templates: templates.success }
    })
    const output = { write, isTerminal }
    const database = join(options.out, "justice-for-neighbors.sqlite")
    mkdirSync(options.out, { recursive: true })
    if (!options.reuse) {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true })
    }
    write(`Justice for Neighbors demo: ${jurisdiction.name}, SQLite file ${database}${options.reuse ? " (reused)" : ""}\n\n`)

    const steps = Effect.gen(function*() {
      write("1. A year of calls for service and the places registry\n")
      const imported = yield* importYear({
        tenantId,
        jurisdiction,
        seed: demoYear.seed,
        calls: options.calls,
        from: demoYear.from,
        to: demoYear.to,
        folder: options.out,
        output
      })

      write("\n2. Chronic non-residential users of 911\n")
      const findings = yield* findCandidates({ tenantId, jurisdiction, asOfDay: demoYear.to, output })

      write("\n3. The district teams\n")
      // Staffed at 08:00 on day 0, an hour before the first case opens.
      const start = demoStart(yield* demoZone(jurisdiction), demoYear.to)
      const staffing = yield* staffTeams({ tenantId, program, millis: start - 3_600_000, output })

      write("\n4. Cases opened and worked, the clock moved forward\n")
      const walk = yield* walkCases({
        tenantId,
        program,
        directory: staffing.directory,
        candidates: findings.candidates,
        placesFile: imported.placesFile,
        lastDay: demoYear.to,
        output
      })

      write("\n5. Notices sent by rules written as data, to a local SMTP server and webhook receiver\n")
      const notices = yield* sendNotices({
        tenantId,
        jurisdiction,
        program,
        templates: templates.success,
        scripts: walk.scripts,
        asOfMillis: DateTime.toEpochMillis(walk.asOf),
        output
      })

      write("\n6. The report\n\n")
      const statusCase = walk.scripts.find((script) => script.category === "dangerous-building") ?? walk.scripts[0]
      const report = yield* programReport({
        tenantId,
        jurisdiction,
        asOf: walk.asOf,
        year: { from: demoYear.from, to: demoYear.to, calls: options.calls, seed: demoYear.seed },
        candidates: findings.candidates,
        candidateCaseLimit,
        statusAddress: statusCase?.addressKey ?? findings.candidates[0]?.addressKey ?? "NO CASE",
        notices: notices.section,
        folder: options.out
      }, write)
      return { database, imported, findings, staffing, walk, notices, report } satisfies DemoOutcome
    })

    return yield* steps.pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename: database }), program.policy)))
  })

const main = () => {
  const parsed = parseArguments(process.argv.slice(2))
  if (Result.isFailure(parsed)) {
    process.stderr.write(`${parsed.failure}\n`)
    process.exitCode = 2
    return
  }
  const started = Date.now()
  Effect.runPromise(runDemo(parsed.success, (text) => process.stdout.write(text), process.stdout.isTTY === true)).then(
    () => process.stdout.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s\n`),
    (error: unknown) => {
      process.stderr.write(`the demo failed: ${String(error)}\n`)
      process.exitCode = 1
    }
  )
}

if (import.meta.url === `file://${process.argv[1]}`) main()
