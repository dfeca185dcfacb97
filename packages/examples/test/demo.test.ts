/**
 * The `npm run demo` example, run as a program: a small generated year
 * (20,000 calls) into a temporary folder, then the same run again on the
 * same SQLite file with `--reuse`. What the demo claims is checked against
 * the database file itself, read back through the store's ports, not only
 * against what the demo returned.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "vitest"
import { EventStore, sacramento, type StoredEvent } from "@community-policing/core"
import {
  capForViolation,
  caseSummaries,
  fineSchedule,
  type FineScheduleKind,
  type NoticeDocument,
  noticeDocumentId,
  teamRosters
} from "@community-policing/core/justice-for-neighbors"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { demoComplainant } from "../src/demo/CaseScripts.ts"
import { type DemoOutcome, defaultCalls, parseArguments, runDemo } from "../src/demo/main.ts"
import { demoStaff } from "../src/demo/TeamsStep.ts"
import { withIllustrativeDistricts } from "../src/demo/DemoJurisdiction.ts"

const tenantId = "sacramento"
const jurisdiction = withIllustrativeDistricts(sacramento)
const folder = mkdtempSync(join(tmpdir(), "jfn-demo-"))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const run = async (reuse: boolean): Promise<{ readonly outcome: DemoOutcome; readonly text: string }> => {
  const written: Array<string> = []
  const outcome = await Effect.runPromise(runDemo({ reuse, calls: 20_000, out: folder }, (text) => written.push(text), false))
  return { outcome, text: written.join("") }
}

/** Everything stored in the demo's database, read through the store's own ports. */
const readBack = (database: string) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    const events: Array<StoredEvent> = []
    for (;;) {
      const page = yield* store.readAll({ tenantId, after: events.at(-1)?.globalPosition ?? 0, limit: 1_000 })
      if (page.length === 0) break
      events.push(...page)
    }
    return { events, rosters: yield* teamRosters(tenantId), summaries: yield* caseSummaries(tenantId) }
  }).pipe(Effect.provide(SqliteStore.layer({ filename: database })), Effect.runPromise)

let first: { readonly outcome: DemoOutcome; readonly text: string }
let firstBytes: number
let stored: Awaited<ReturnType<typeof readBack>>
let second: { readonly outcome: DemoOutcome; readonly text: string }
let storedAgain: Awaited<ReturnType<typeof readBack>>

beforeAll(async () => {
  first = await run(false)
  firstBytes = readdirSync(folder).reduce((sum, file) => sum + statSync(join(folder, file)).size, 0)
  stored = await readBack(first.outcome.database)
  second = await run(true)
  storedAgain = await readBack(second.outcome.database)
}, 120_000)

const dataOf = (event: StoredEvent) => event.data as Record<string, unknown>

describe("npm run demo", () => {
  it("finds chronic non-residential callers and shows one's evidence with the protected calls and their law", () => {
    const { candidates, shown } = first.outcome.findings
    assert.isAbove(candidates.length, 0)
    for (const evidence of candidates) {
      assert.strictEqual(evidence.place.landUse._tag, "non-residential")
      assert.isAtLeast(evidence.counted.length, 3)
      assert.isDefined(evidence.place.districts.councilDistrict)
    }
    assert.isDefined(shown)
    const protectedCalls = shown!.excluded.filter((call) => call.reasons.some((reason) => reason.code === "protected"))
    assert.isAbove(protectedCalls.length, 0)
    assert.include(first.text, `threshold met: ${shown!.ruleDescription}`)
    assert.match(first.text, /protected calls kept out, which the law forbids counting: [1-9]/)
    assert.match(first.text, /(domestic-violence-or-victimization|medical-emergency|fire-or-ems|caller-is-victim) \[Gov\. Code 53165/)
  })

  it("staffs every configured seat of the eight district teams, as the stored rosters show", () => {
    assert.strictEqual(stored.rosters.length, 8)
    const staff = demoStaff(jurisdiction)
    for (const roster of stored.rosters) {
      assert.strictEqual(roster.understaffedSince, null)
      assert.deepStrictEqual(roster.seats.map((seat) => seat.seat.role), [...sacramento.programs.justiceForNeighbors.teamSeats])
      for (const seat of roster.seats) {
        const expected = staff.find((member) => member.district === roster.district && member.seat.role === seat.seat.role)
        assert.strictEqual(seat.occupant?.staffId, expected?.staff.id)
      }
    }
    assert.deepStrictEqual(first.outcome.report.understaffed, [])
    assert.strictEqual(first.outcome.report.staffedTeams, 8)
  })

  it("opens capped candidate cases and complaint cases in every district, in several stages, some closed", () => {
    const summaries = stored.summaries
    const candidateCases = summaries.filter((summary) => summary.source === "AnalyticsFinding")
    assert.strictEqual(candidateCases.length, Math.min(5, first.outcome.findings.candidates.length))
    for (const category of ["illegal-dumping", "dangerous-building", "squatters"] as const) {
      assert.isTrue(summaries.some((summary) => summary.category === category && summary.source === "ResidentComplaint"), category)
    }
    assert.deepStrictEqual(
      [...new Set(summaries.map((summary) => summary.councilDistrict))].sort(),
      jurisdiction.councilDistricts.map((district) => district.id)
    )
    assert.isAtLeast(new Set(summaries.map((summary) => summary.stage)).size, 6)
    const closures = new Set(summaries.flatMap((summary) => summary.closureReason === null ? [] : [summary.closureReason]))
    for (const reason of ["complied", "costs-recovered", "no-violation"] as const) assert.isTrue(closures.has(reason), reason)
    assert.isTrue(summaries.some((summary) => summary.stage !== "closed"))
  })

  it("serves only documents the case made: each recorded id is the content id of the document the event holds", () => {
    const served = stored.events.filter((event) => event.eventType === "DocumentServed").map(dataOf)
    assert.isAbove(served.length, 0)
    for (const data of served) {
      const notice = data.notice as NoticeDocument
      assert.strictEqual((data.document as { documentId: string }).documentId, notice.id)
      assert.strictEqual(noticeDocumentId(notice), notice.id)
    }
    const made = first.outcome.walk.documents.map((notice) => notice.document.id)
    assert.deepStrictEqual(served.map((data) => (data.notice as NoticeDocument).id).sort(), [...made].sort())
    assert.isTrue(first.outcome.walk.documents.some((notice) => notice.document.kind === "notice-of-violation"))
    assert.include(first.text, "Notice of violation\n")
  })

  it("lists overdue deadlines of open cases, each due before the report's instant", () => {
    const { overdue } = first.outcome.report
    assert.isAbove(overdue.length, 0)
    const asOf = first.outcome.walk.asOf.epochMilliseconds
    for (const item of overdue) {
      assert.isBelow(item.deadline.due.epochMilliseconds, asOf)
      assert.notStrictEqual(item.stage, "closed")
    }
    assert.isTrue(overdue.some((item) => item.deadline.purpose === "inspection"))
  })

  it("issues every fine within the configured cap of its violation, and reports the same totals", () => {
    const citations = stored.events.filter((event) => event.eventType === "CitationIssued").map(dataOf)
    assert.isAbove(citations.length, 0)
    const caps = sacramento.programs.justiceForNeighbors.fineCaps
    let total = 0
    for (const citation of citations) {
      const cap = capForViolation(fineSchedule(caps, citation.schedule as FineScheduleKind), citation.violationNumber as number)
      assert.strictEqual(citation.capInDollars, cap)
      assert.isAtMost(citation.amountInDollars as number, cap)
      total += citation.amountInDollars as number
    }
    assert.isTrue(citations.some((citation) => (citation.violationNumber as number) > 1))
    const reported = first.outcome.report.fines.reduce((sum, row) => sum + row.issuedInDollars, 0)
    assert.strictEqual(reported, total)
  })

  it("shows a property's public status with no person in it, and writes the same report as an HTML page", () => {
    const status = JSON.stringify(first.outcome.report.publicStatus)
    assert.include(status, "\"category\":\"dangerous-building\"")
    const html = readFileSync(first.outcome.report.htmlFile, "utf8")
    const people = [
      ...demoStaff(jurisdiction).map((member) => member.staff.name),
      ...first.outcome.walk.documents.map((notice) => notice.document.addressee.name),
      ...first.outcome.walk.documents.flatMap((notice) => notice.document.addressee.addressLines),
      demoComplainant.name,
      demoComplainant.contact,
      "(fictional)"
    ]
    for (const page of [status, html]) {
      for (const person of people) assert.notInclude(page, person)
    }
    // The chronic-caller findings (addresses and call counts) are labelled internal where they are shown.
    const findings = html.split("<section>").find((part) => part.includes("Chronic non-residential 911 users"))
    assert.include(findings, "Internal, not for public release:")
    assert.match(first.text, /Chronic non-residential 911 users.*\n {2}INTERNAL, NOT FOR PUBLIC RELEASE: /)
    assert.match(first.text, /The evidence for one candidate \(internal, not for public release/)
    assert.match(first.text, /met a threshold on 2025-12-31 .*\nThe candidates \(internal, not for public release: addresses and call counts for the district teams\):\n {2}\S/)
    assert.strictEqual((html.match(/<rect /g) ?? []).length, 8)
    assert.include(html, "Cases per council district")
    assert.include(html, "Overdue items as of")
  })

  it("names each council district one way, by its configured name, in the report's tables and in the terminal", () => {
    const names = new Set(jurisdiction.councilDistricts.map((district) => district.name))
    let cells = 0
    for (const section of first.outcome.report.report.sections) {
      if (!("table" in section)) continue
      const column = section.table.columns.indexOf("district")
      if (column < 0) continue
      for (const row of section.table.rows) {
        const cell = String(row[column])
        if (cell === "all districts") continue
        assert.isTrue(names.has(cell), `${section.heading}: ${cell}`)
        cells += 1
      }
    }
    assert.isAbove(cells, 8)
    assert.deepStrictEqual(first.outcome.report.report.chart.bars.map((bar) => bar.label), [...names])
    // No bare id ("district 6", "6") next to the names: every mention is "Council District 6".
    assert.notMatch(first.text, /(?<!Council )\b[Dd]istrict \d/)
    assert.match(first.text, /Council District \d/)
  })

  it("sends the cases' notices by the rules written as data: every email to the local SMTP server, every webhook signed, owners without email recorded for mailing; --reuse sends nothing again", () => {
    const notices = first.outcome.notices
    const queued = (channel: string) => notices.rows.filter((row) => row.channel === channel).reduce((sum, row) => sum + row.queued, 0)
    const rules = new Set(notices.rows.map((row) => row.rule))
    for (const rule of ["case-opened", "notice-served", "deadline-near", "overdue-digest", "case-opened-neighborhood"]) assert.isTrue(rules.has(rule), rule)
    // Every queued message was delivered, and each arrived once at its receiver.
    for (const row of notices.rows) assert.deepStrictEqual([row.delivered, row.dead, row.waiting], [row.queued, 0, 0], row.rule)
    assert.strictEqual(notices.emailsReceived, queued("email"))
    assert.strictEqual(notices.webhooksReceived, queued("webhook"))
    assert.strictEqual(notices.webhooksVerified, notices.webhooksReceived)
    // Owners asked for Spanish got it; the others' notices go by mail.
    assert.isTrue(notices.rows.some((row) => row.rule === "notice-served" && row.locale === "es"))
    assert.isAbove(notices.mailRequired, 0)
    // A rerun queues and sends nothing: the receivers get nothing, the stored table is the same.
    assert.strictEqual(second.outcome.notices.emailsReceived, 0)
    assert.strictEqual(second.outcome.notices.webhooksReceived, 0)
    assert.deepStrictEqual(second.outcome.notices.rows, notices.rows)
    assert.include(first.text, "Notices sent by the notification rules (written as data)")
  })

  it("runs again on the same file with --reuse: nothing new is stored and the report is the same", () => {
    assert.strictEqual(second.outcome.walk.handled, 0)
    assert.strictEqual(second.outcome.walk.alreadyHandled, first.outcome.walk.handled)
    assert.strictEqual(second.outcome.staffing.appointed, 0)
    // The import resumes after the last row the first run committed: its totals are the first run's.
    assert.isAbove(second.outcome.imported.calls.resumedAfterRow, first.outcome.imported.calls.read - 1)
    assert.strictEqual(second.outcome.imported.calls.imported, first.outcome.imported.calls.imported)
    assert.include(second.text, "imported by an earlier run")
    assert.strictEqual(storedAgain.events.length, stored.events.length)
    assert.deepStrictEqual(second.outcome.report.report, first.outcome.report.report)
    assert.strictEqual(readFileSync(second.outcome.report.htmlFile, "utf8"), readFileSync(first.outcome.report.htmlFile, "utf8"))
  })
})

describe("demo options", () => {
  it("defaults to a year of calls in demo-output, and reads --calls, --out and --reuse", () => {
    const defaults = parseArguments([])
    assert.isTrue(Result.isSuccess(defaults) && defaults.success.calls === defaultCalls && defaults.success.out.endsWith("demo-output"))
    const given = parseArguments(["--calls", "20_000", "--out", "/tmp/x", "--reuse"])
    assert.deepStrictEqual(given, Result.succeed({ reuse: true, calls: 20_000, out: "/tmp/x" }))
  })

  it("writes under 50 MB by default: the default year, scaled from this 20,000-call run's folder", () => {
    // Everything the demo writes (the CSV files, the database, the report) grows with the calls.
    assert.isBelow((firstBytes * defaultCalls) / 20_000, 50_000_000)
    assert.isAtLeast(defaultCalls, 20_000)
  })

  it("says how many calls the generated year has, and over what period, in the report", () => {
    assert.include(first.outcome.report.report.subtitle, "20,000 calls generated for 2025-01-01 to 2025-12-31")
    assert.match(first.text, /generated 20,000 calls for 2025-01-01 to 2025-12-31 /)
  })

  it("refuses an unknown option, a missing value or too few calls, saying why", () => {
    for (const [args, expected] of [
      [["--fast"], /unknown option --fast/],
      [["--calls"], /--calls needs a value/],
      [["--calls", "999"], /at least 1000/],
      [["--calls", "many"], /at least 1000, not many/]
    ] as const) {
      const parsed = parseArguments(args)
      assert.isTrue(Result.isFailure(parsed))
      if (Result.isFailure(parsed)) assert.match(parsed.failure, expected)
    }
  })
})
