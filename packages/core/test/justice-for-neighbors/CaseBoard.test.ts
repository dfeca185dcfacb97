/**
 * The case board on the three stores: real cases through `handleCommand`
 * with the time from `TestClock`, the board caught up in two phases, and
 * the same answers to every query from memory, a real SQLite file and a
 * real PostgreSQL database.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted, Schema } from "effect"
import { TestClock } from "effect/testing"
import { afterAll } from "vitest"
import { AccessPolicy, type Actor, handleCommand, ReadModelStore, sacramento } from "@community-policing/core"
import {
  nuisanceCase,
  nuisanceCaseAccessRules,
  type NuisanceCaseCommand
} from "@community-policing/core/justice-for-neighbors"
import { MemoryStore } from "@community-policing/adapter-memory"
import { PostgresStore } from "@community-policing/adapter-postgres"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { freshPostgresDatabase } from "../../../adapters/postgres/test/support/freshDatabase.ts"
import {
  caseBoardCollection,
  caseBoardProjection,
  caseSummary,
  CaseSummary,
  caseSummaryView,
  updateCaseBoard
} from "../../src/justice-for-neighbors/CaseBoard.ts"
import {
  CaseCount,
  caseCounts,
  DistrictFines,
  finesIssued,
  openCasesOfDistrict,
  OverdueItem,
  overdueItems,
  StageDuration,
  timeInStage
} from "../../src/justice-for-neighbors/CaseQueries.ts"
import { propertyStatus } from "../../src/justice-for-neighbors/PropertyStatus.ts"
import {
  citationsAtProperty,
  issueCitationCommand,
  priorViolationsFor,
  RecordedCitation
} from "../../src/justice-for-neighbors/RepeatViolations.ts"
import {
  at,
  ceo,
  ceoOfDistrict5,
  service,
  motelAddress,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"
import { motelStoryline } from "./CaseBoardFixtures.ts"

const tenantId = "sacramento"
const cases = nuisanceCase(sacramento)
const Policy = AccessPolicy.fromRules(nuisanceCaseAccessRules(sacramento))

const blightId = "2026-000123"
const motelId = "2026-000200"
const dumpingId = "2026-000124"
const squatId = "2026-000301"
const blightAddress = "2315 10TH AVE"

const neighbor: Actor = { _tag: "Public", id: "web-7" }
const step = (name: string, command: NuisanceCaseCommand, actor: Actor, now: string): Step => ({ name, command, actor, now: at(now) })

const blight = standardStoryline(blightId)
const motel = motelStoryline(motelId)

/** Illegal dumping in district 3: opened from the web, triaged, then left without its inspection. */
const dumping: ReadonlyArray<Step> = [
  step("open", {
    _tag: "OpenCase",
    caseId: dumpingId,
    category: "illegal-dumping",
    councilDistrict: "3",
    addressKey: "4100 STOCKTON BLVD",
    source: { _tag: "ResidentComplaint", channel: "web", complainant: { name: "Pat Caller", contact: "pat@example.org" } },
    description: "tires dumped behind the lot",
    immediateHazard: false,
    receivedAt: at("2026-03-05T17:00:00Z"),
    comment: "web form"
  }, neighbor, "2026-03-05T17:30:00Z"),
  step("triage", { _tag: "TriageCase", caseId: dumpingId, immediateHazard: false, comment: "no hazard" }, ceo, "2026-03-05T18:30:00Z")
]

/** Squatters in district 5: opened by a resident and triaged; its inspection never comes. */
const squatters: ReadonlyArray<Step> = [
  step("open", {
    _tag: "OpenCase",
    caseId: squatId,
    category: "squatters",
    councilDistrict: "5",
    addressKey: "7200 FRANKLIN BLVD",
    source: { _tag: "ResidentComplaint", channel: "phone" },
    description: "people living in the vacant house",
    immediateHazard: false,
    receivedAt: at("2026-03-10T16:00:00Z"),
    comment: "phone complaint"
  }, neighbor, "2026-03-10T16:30:00Z"),
  step("triage", { _tag: "TriageCase", caseId: squatId, immediateHazard: false, comment: "vacant house" }, ceoOfDistrict5, "2026-03-10T20:00:00Z")
]

const byTime = (steps: ReadonlyArray<Step>) =>
  [...steps].sort((a, b) => DateTime.toEpochMillis(a.now) - DateTime.toEpochMillis(b.now))

/** Up to the end of March: the blight case awaits its hearing, the motel's plan runs, two inspections are late. */
const phaseOne = byTime([...upTo(blight, "hearing-notice"), ...motel, ...dumping, ...squatters])
const asOfOne = at("2026-03-30T17:00:00Z")

/** April to September: the dumping site is inspected, the motel keeps its plan, the blight case runs to closure. */
const phaseTwo = byTime([
  ...blight.slice(upTo(blight, "hearing-notice").length),
  step("inspection", {
    _tag: "RecordInspection",
    caseId: dumpingId,
    inspectedAt: at("2026-04-01T17:00:00Z"),
    violationFound: true,
    comment: "tires still there"
  }, ceo, "2026-04-01T18:00:00Z"),
  step("plan-review", {
    _tag: "ReviewAbatementPlan",
    caseId: motelId,
    reviewedAt: at("2026-04-02T17:00:00Z"),
    kept: true,
    comment: "calls down, guard in place"
  }, ceo, "2026-04-02T18:00:00Z")
])
const asOfTwo = at("2026-09-10T17:00:00Z")

const hours = (n: number) => n * 3_600_000

const run = (steps: ReadonlyArray<Step>, prefix: string) =>
  Effect.forEach(steps, (s, index) =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(s.now))
      const outcome = yield* handleCommand(cases, { tenantId, commandId: `${prefix}-${index}-${s.name}`, actor: s.actor, command: s.command })
      return outcome.events.length
    })).pipe(Effect.map((counts) => counts.reduce((a, b) => a + b, 0)))

const encodeSummaries = Schema.encodeSync(Schema.Array(CaseSummary))
const encodeOverdue = Schema.encodeSync(Schema.Array(OverdueItem))
const encodeCounts = Schema.encodeSync(Schema.Array(CaseCount))
const encodeDurations = Schema.encodeSync(Schema.Array(StageDuration))
const encodeFines = Schema.encodeSync(Schema.Array(DistrictFines))

/** Every query's answer as of an instant, in plain JSON so stores can be compared exactly. */
const answers = (asOf: DateTime.Utc) =>
  Effect.gen(function*() {
    return {
      open3: encodeSummaries(yield* openCasesOfDistrict(tenantId, "3")),
      open5: encodeSummaries(yield* openCasesOfDistrict(tenantId, "5")),
      overdue: encodeOverdue(yield* overdueItems(tenantId, asOf)),
      overdue5: encodeOverdue(yield* overdueItems(tenantId, asOf, { district: "5" })),
      counts: encodeCounts(yield* caseCounts(tenantId)),
      durations: encodeDurations(yield* timeInStage(tenantId, asOf)),
      fines: encodeFines(yield* finesIssued(tenantId)),
      blightStatus: yield* propertyStatus(tenantId, blightAddress),
      motelStatus: yield* propertyStatus(tenantId, motelAddress),
      nowhere: yield* propertyStatus(tenantId, "9999 NOWHERE RD"),
      checkpoint: yield* (yield* ReadModelStore).checkpoint(tenantId, caseBoardProjection)
    }
  })

/**
 * The whole story on the store in context: phase one, a first catch-up in
 * small batches (one command's events split across commits), an access
 * denial (an event of another stream), phase two, an incremental catch-up
 * and a rerun that finds nothing to do.
 */
const scenario = Effect.gen(function*() {
  const phaseOneEvents = yield* run(phaseOne, "one")
  const first = yield* updateCaseBoard(tenantId, { batchSize: 4 })
  const one = yield* answers(asOfOne)
  const denied = yield* Effect.flip(run([step("intruder", {
    _tag: "RecordInspection",
    caseId: dumpingId,
    inspectedAt: at("2026-03-31T17:00:00Z"),
    violationFound: false,
    comment: "not my district"
  }, ceoOfDistrict5, "2026-03-31T18:00:00Z")], "denied"))
  const phaseTwoEvents = yield* run(phaseTwo, "two")
  const second = yield* updateCaseBoard(tenantId)
  const two = yield* answers(asOfTwo)
  const again = yield* updateCaseBoard(tenantId, { batchSize: 2 })
  const twoAgain = yield* answers(asOfTwo)
  return { phaseOneEvents, phaseTwoEvents, first, second, again, denied: denied._tag, one, two, twoAgain }
})

type Outcome = Effect.Success<typeof scenario>

const summaryOf = (json: ReadonlyArray<unknown>, caseId: string) =>
  json.find((s) => (s as { caseId: string }).caseId === caseId) as Record<string, unknown> | undefined

/** Checks a scenario's outcome: every store must give exactly these answers. */
const checkOutcome = (outcome: Outcome) => {
  const { one, two } = outcome
  assert.strictEqual(outcome.denied, "AccessDenied")
  // Every nuisance case event is applied once: all of phase one, then only phase two's.
  assert.strictEqual(outcome.first.eventsApplied, outcome.phaseOneEvents)
  assert.strictEqual(outcome.second.eventsApplied, outcome.phaseTwoEvents)
  assert.isAbove(outcome.phaseTwoEvents, 0)
  // The denial's audit event lies between the phases: it moved the checkpoint but applied nothing.
  assert.isAbove(outcome.second.checkpoint, outcome.first.checkpoint + outcome.phaseTwoEvents)
  assert.strictEqual(outcome.again.eventsApplied, 0)
  assert.strictEqual(outcome.again.checkpoint, outcome.second.checkpoint)
  assert.deepStrictEqual(outcome.twoAgain, two)
  assert.strictEqual(two.checkpoint, outcome.second.checkpoint)

  // A team's open cases, oldest first; closed cases leave the list.
  assert.deepStrictEqual(one.open3.map((s) => [s.caseId, s.stage]), [
    [blightId, "hearing-scheduled"],
    [motelId, "abatement-plan-agreed"],
    [dumpingId, "triaged"]
  ])
  assert.deepStrictEqual(two.open3.map((s) => [s.caseId, s.stage]), [[dumpingId, "violation-found"]])
  assert.deepStrictEqual(two.open5.map((s) => s.caseId), [squatId])

  // The blight case's summary before its hearing.
  const blightOne = summaryOf(one.open3, blightId)!
  assert.deepInclude(blightOne, {
    councilDistrict: "3",
    category: "blight",
    addressKey: blightAddress,
    source: "ResidentComplaint",
    openedAt: "2026-03-02T17:00:00.000Z",
    stageEnteredAt: "2026-03-25T17:00:00.000Z",
    hearingAt: "2026-04-08T17:00:00.000Z",
    closedAt: null,
    citations: [{ citationNumber: "AC-1001", codeSection: "SCC 8.04.100", responsiblePersonId: "owner-of-record", amountInDollars: 100, issuedAt: "2026-03-24T17:00:00.000Z", paidInDollars: 0, status: "unpaid" }]
  })
  assert.notProperty(blightOne, "complainant")

  // Overdue at the end of March: two inspections and the motel's plan review, most overdue first.
  assert.deepStrictEqual(
    one.overdue.map((item) => [item.caseId, item.deadline.purpose, item.deadline.due, item.overdueMilliseconds]),
    [
      [dumpingId, "inspection", "2026-03-07T17:00:00.000Z", DateTime.toEpochMillis(asOfOne) - DateTime.toEpochMillis(at("2026-03-07T17:00:00Z"))],
      [squatId, "inspection", "2026-03-12T16:00:00.000Z", DateTime.toEpochMillis(asOfOne) - DateTime.toEpochMillis(at("2026-03-12T16:00:00Z"))],
      [motelId, "abatement-plan", "2026-03-26T06:59:59.999Z", DateTime.toEpochMillis(asOfOne) - DateTime.toEpochMillis(at("2026-03-26T06:59:59.999Z"))]
    ]
  )
  assert.strictEqual(one.overdue[0]!.deadline.rule, "inspection within periods.inspection of intake")
  assert.match(one.overdue[2]!.deadline.rule, /periods\.compliance\.excessive-calls-for-service/)
  assert.deepStrictEqual(one.overdue5.map((item) => item.caseId), [squatId])
  // Once the inspection and the review are recorded, only the untouched squatters case is overdue.
  assert.deepStrictEqual(two.overdue.map((item) => [item.caseId, item.deadline.purpose]), [[squatId, "inspection"]])

  assert.deepStrictEqual(two.counts, [
    { councilDistrict: "3", category: "illegal-dumping", stage: "violation-found", open: true, cases: 1 },
    { councilDistrict: "3", category: "excessive-calls-for-service", stage: "closed", open: false, cases: 1 },
    { councilDistrict: "3", category: "blight", stage: "closed", open: false, cases: 1 },
    { councilDistrict: "5", category: "squatters", stage: "triaged", open: true, cases: 1 }
  ])

  // Intake lasted 2 h (blight), 1 h (motel), 1.5 h (dumping: received 17:00, triaged 18:30) and 4 h (squatters).
  const intake = { stage: "intake", cases: 4, medianMilliseconds: hours(1.75), meanMilliseconds: hours(2.125) }
  assert.deepInclude(one.durations, intake)
  assert.deepInclude(two.durations, intake)
  // The motel's plan is still running at the end of March: counted up to the instant asked about.
  assert.deepInclude(one.durations, { stage: "abatement-plan-agreed", cases: 1, medianMilliseconds: hours(19 * 24), meanMilliseconds: hours(19 * 24) })
  // Cited on the 24th, hearing notice served on the 25th.
  assert.deepInclude(two.durations, { stage: "cited", cases: 1, medianMilliseconds: hours(24), meanMilliseconds: hours(24) })
  // The squatters case is still triaged in September.
  const triagedSquat = DateTime.toEpochMillis(asOfTwo) - DateTime.toEpochMillis(at("2026-03-10T20:00:00Z"))
  const triaged = two.durations.find((row) => row.stage === "triaged")!
  assert.strictEqual(triaged.cases, 4)
  assert.isTrue(triaged.meanMilliseconds > triagedSquat / 4)
  assert.notInclude(two.durations.map((row) => row.stage), "closed")

  assert.deepStrictEqual(two.fines, [
    { councilDistrict: "3", citations: 1, issuedInDollars: 100, cancelledCitations: 0, cancelledInDollars: 0, paidInDollars: 0 },
    { councilDistrict: "5", citations: 0, issuedInDollars: 0, cancelledCitations: 0, cancelledInDollars: 0, paidInDollars: 0 }
  ])

  // The public page of the blight property, before and after.
  assert.deepStrictEqual(one.blightStatus, {
    addressKey: blightAddress,
    cases: [{
      caseId: blightId,
      category: "blight",
      categoryInWords: "Blight",
      stage: "hearing-scheduled",
      stageInWords: "Hearing scheduled",
      openedAt: "2026-03-02T17:00:00.000Z",
      closedAt: null,
      outcomeInWords: null,
      nextStep: { inWords: "Administrative hearing", due: "2026-04-08T17:00:00.000Z" }
    }]
  })
  assert.deepStrictEqual(two.blightStatus, {
    addressKey: blightAddress,
    cases: [{
      caseId: blightId,
      category: "blight",
      categoryInWords: "Blight",
      stage: "closed",
      stageInWords: "Closed",
      openedAt: "2026-03-02T17:00:00.000Z",
      closedAt: "2026-09-02T18:00:00.000Z",
      outcomeInWords: "The civil action has ended",
      nextStep: null
    }]
  })
  assert.deepNestedInclude(one.motelStatus, {
    "cases[0].stage": "abatement-plan-agreed",
    "cases[0].nextStep.due": "2026-03-26T06:59:59.999Z"
  })
  assert.deepStrictEqual(one.nowhere, { addressKey: "9999 NOWHERE RD", cases: [] })
  for (const page of [one.blightStatus, one.motelStatus, two.blightStatus, two.motelStatus]) {
    const text = JSON.stringify(page)
    for (const hidden of ["R. Owner", "PO Box", "A. Neighbor", "Staff:", "311 complaint taken", "Abandoned furniture", "security guard", "SAC-CALL", "53165"]) {
      assert.notInclude(text, hidden)
    }
  }
}

// ---------------------------------------------------------------------------
// Repeat violations across cases, read from the board
// ---------------------------------------------------------------------------

const repeatsTenant = "repeats"
const overturnedId = "2026-000500"
const standingId = "2026-000501"
const newId = "2026-000502"
const blightCitation = (steps: ReadonlyArray<Step>, citationNumber: string, responsiblePersonId = "owner-of-record"): ReadonlyArray<Step> =>
  steps.map((s) =>
    s.command._tag === "IssueCitation" ? { ...s, command: { ...s.command, citationNumber, responsiblePersonId } } : s
  )

/**
 * Three blight cases at 2315 10TH AVE against the same owner for the same
 * section: the first one's citation is cancelled by an overturned hearing,
 * the second's stands, and on the third (opened at another spelling of the
 * address) a citation is built by `issueCitationCommand` from the board.
 * A tenant's citation on the second case is not the owner's.
 */
const repeatScenario = Effect.gen(function*() {
  const overturned = upTo(blightCitation(standardStoryline(overturnedId), "AC-5001"), "hearing-notice")
  const decision = standardStoryline(overturnedId).find((s) => s.name === "hearing-decision")!
  const standing = upTo(blightCitation(standardStoryline(standingId), "AC-5101"), "citation")
  const tenantStep = blightCitation(standardStoryline(standingId), "AC-5102", "tenant-7").find((s) => s.name === "citation")!
  const tenant: Step = {
    name: "tenant-citation",
    command: { ...(tenantStep.command as Extract<NuisanceCaseCommand, { _tag: "IssueCitation" }>), service: service("administrative-citation", at("2026-03-24T18:00:00Z")) },
    actor: ceo,
    now: at("2026-03-24T19:00:00Z")
  }
  const fresh = upTo(standardStoryline(newId), "public-nuisance").map((s) =>
    s.command._tag === "OpenCase" ? { ...s, command: { ...s.command, addressKey: "2315 10th Avenue" } } : s
  )
  const runIn = (steps: ReadonlyArray<Step>, prefix: string) =>
    Effect.forEach(steps, (s, index) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(DateTime.toEpochMillis(s.now))
        return yield* handleCommand(cases, { tenantId: repeatsTenant, commandId: `${prefix}-${index}-${s.name}`, actor: s.actor, command: s.command })
      }))
  yield* runIn(byTime([
    ...overturned,
    { ...decision, command: { ...decision.command, outcome: "overturned", comment: "not a nuisance" } } as Step,
    ...standing,
    tenant
  ]), "history")
  yield* runIn(fresh, "fresh")
  yield* TestClock.setTime(DateTime.toEpochMillis(at("2026-04-10T18:00:00Z")))
  const key = { addressKey: "2315 10th avenue", responsiblePersonId: "owner-of-record", codeSection: "SCC 8.04.100" }
  yield* updateCaseBoard(repeatsTenant, { batchSize: 7 })
  const all = yield* citationsAtProperty(repeatsTenant, key)
  const priors = yield* priorViolationsFor(repeatsTenant, newId, key)
  const command = yield* issueCitationCommand(repeatsTenant, {
    caseId: newId,
    citationNumber: "AC-5201",
    codeSection: "SCC 8.04.100",
    schedule: "general",
    amountInDollars: 200,
    responsiblePersonId: "owner-of-record",
    service: service("administrative-citation", at("2026-04-10T17:00:00Z")),
    comment: "second violation within the year"
  })
  const outcome = yield* handleCommand(cases, { tenantId: repeatsTenant, commandId: "cite-5201", actor: ceo, command })
  const issued = outcome.events.find((e) => e.eventType === "CitationIssued")?.data as { violationNumber: number; capInDollars: number } | undefined
  yield* updateCaseBoard(repeatsTenant)
  const after = yield* citationsAtProperty(repeatsTenant, key)
  return {
    all: encodeCitations(all),
    priors: priors.map((p) => [p.caseId, p.citationNumber, DateTime.formatIso(p.issuedAt)]),
    commandPriors: command.priorViolations.map((p) => [p.caseId, p.citationNumber]),
    issued: issued === undefined ? null : [issued.violationNumber, issued.capInDollars],
    after: encodeCitations(after)
  }
})

const encodeCitations = Schema.encodeSync(Schema.Array(RecordedCitation))

const checkRepeats = (outcome: Effect.Success<typeof repeatScenario>) => {
  // Every citation of the owner for the section at the property, cancelled included; not the tenant's.
  assert.deepStrictEqual(outcome.all.map((c) => [c.caseId, c.citationNumber, c.status]), [
    [overturnedId, "AC-5001", "cancelled"],
    [standingId, "AC-5101", "unpaid"]
  ])
  // The cancelled citation is no earlier violation.
  assert.deepStrictEqual(outcome.priors, [[standingId, "AC-5101", "2026-03-24T17:00:00.000Z"]])
  assert.deepStrictEqual(outcome.commandPriors, [[standingId, "AC-5101"]])
  // So the new case's first citation is the owner's second violation within the year: $200.
  assert.deepStrictEqual(outcome.issued, [2, 200])
  assert.deepStrictEqual(outcome.after.map((c) => c.citationNumber), ["AC-5001", "AC-5101", "AC-5201"])
}

describe("case board: memory store", () => {
  it.effect("answers every query, catches up incrementally and reruns to no effect", () =>
    scenario.pipe(Effect.map(checkOutcome), Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("repeat violations: the person's citations for a section at a property across cases, and the command built from them", () =>
    repeatScenario.pipe(Effect.map(checkRepeats), Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("staff see the description and the last comment of a summary; the public and the commission do not", () =>
    Effect.gen(function*() {
      yield* run(phaseOne, "one")
      yield* updateCaseBoard(tenantId)
      const summary = Option.getOrThrow(yield* caseSummary(tenantId, blightId))
      const staff = JSON.stringify(caseSummaryView(summary, "staff"))
      assert.include(staff, "Abandoned furniture")
      assert.include(staff, "Staff:ceo-3")
      // The person a citation was issued to is personal data.
      assert.include(staff, "owner-of-record")
      for (const audience of ["public", "commission"] as const) {
        const view = JSON.stringify(caseSummaryView(summary, audience))
        assert.include(view, blightAddress)
        assert.include(view, "SCC 8.04.100")
        for (const hidden of ["Abandoned furniture", "Staff:ceo-3", "owner appealed the citation", "owner-of-record"]) assert.notInclude(view, hidden)
      }
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("a malformed district or address is refused with a typed error naming the field, reading nothing", () =>
    Effect.gen(function*() {
      const district = yield* Effect.flip(openCasesOfDistrict(tenantId, ""))
      assert.strictEqual(district._tag, "InvalidCaseQuery")
      if (district._tag === "InvalidCaseQuery") assert.deepInclude(district, { rule: "council-district-format", field: "district", value: "" })
      const overdue = yield* Effect.flip(overdueItems(tenantId, asOfOne, { district: " 3" }))
      assert.strictEqual(overdue._tag, "InvalidCaseQuery")
      const address = yield* Effect.flip(propertyStatus(tenantId, "   "))
      assert.strictEqual(address._tag, "InvalidCaseQuery")
      if (address._tag === "InvalidCaseQuery") assert.deepInclude(address, { rule: "address-key-format", field: "addressKey" })
    }).pipe(Effect.provide(MemoryStore.layer())))

  it.effect("a case opened at one spelling of an address is found by a status lookup with another (both normalized)", () =>
    Effect.gen(function*() {
      const spellingId = "2026-000400"
      yield* run([step("open", {
        _tag: "OpenCase",
        caseId: spellingId,
        category: "blight",
        councilDistrict: "3",
        addressKey: "3555 Auburn Boulevard",
        source: { _tag: "ResidentComplaint", channel: "web" },
        description: "broken windows and trash in the parking lot",
        immediateHazard: false,
        receivedAt: at("2026-03-05T17:00:00Z"),
        comment: "web form"
      }, neighbor, "2026-03-05T17:30:00Z")], "spelling")
      yield* updateCaseBoard(tenantId)
      for (const spelling of ["3555 AUBURN BLVD", "3555 auburn blvd.", " 3555 Auburn Blvd, Apt. 12 ", "3555 Auburn Boulevard"]) {
        const page = (yield* propertyStatus(tenantId, spelling)) as { addressKey: string; cases: ReadonlyArray<{ caseId: string }> }
        assert.strictEqual(page.addressKey, "3555 AUBURN BLVD", spelling)
        assert.deepStrictEqual(page.cases.map((c) => c.caseId), [spellingId], spelling)
      }
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("an unreadable stored summary is reported as a storage failure, not guessed at", () =>
    Effect.gen(function*() {
      const readModels = yield* ReadModelStore
      yield* readModels.commit(tenantId, {
        projection: "vandal",
        expectedCheckpoint: 0,
        checkpoint: 1,
        upserts: [{ collection: caseBoardCollection, id: blightId, data: { caseId: blightId, stage: "nowhere" }, indexed: { district: "3", open: true } }],
        deletes: []
      })
      const failure = yield* Effect.flip(openCasesOfDistrict(tenantId, "3"))
      assert.strictEqual(failure._tag, "StorageFailure")
      assert.match(failure.message, /does not decode/)
    }).pipe(Effect.provide(MemoryStore.layer())))
})

describe("case board: SQLite file", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "jfn-case-board-"))
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it.effect("gives the memory store's answers from a database file, also after reopening it", () =>
    Effect.gen(function*() {
      const filename = path.join(folder, "case-board.db")
      const reference = yield* scenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy)))
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename }), Policy)))
      checkOutcome(outcome)
      assert.deepStrictEqual(outcome, reference)
      const reopened = yield* answers(asOfTwo).pipe(Effect.provide(SqliteStore.layer({ filename })))
      assert.deepStrictEqual(reopened, outcome.two)
    }))

  it.effect("gives the memory store's repeat violations from a database file", () =>
    Effect.gen(function*() {
      const reference = yield* repeatScenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy)))
      const outcome = yield* repeatScenario.pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename: path.join(folder, "repeats.db") }), Policy)))
      checkRepeats(outcome)
      assert.deepStrictEqual(outcome, reference)
    }))
})

const databaseUrl = await freshPostgresDatabase("cp_jfn_case_board")

describe("case board: PostgreSQL", () => {
  it.effect("gives the memory store's answers from a PostgreSQL database", () =>
    Effect.gen(function*() {
      const reference = yield* scenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy)))
      const Storage = PostgresStore.layer({ url: Redacted.make(databaseUrl), maxConnections: 4, migrate: true })
      const outcome = yield* scenario.pipe(Effect.provide(Layer.merge(Storage, Policy)))
      checkOutcome(outcome)
      assert.deepStrictEqual(outcome, reference)
    }))

  it.effect("gives the memory store's repeat violations from a PostgreSQL database", () =>
    Effect.gen(function*() {
      const reference = yield* repeatScenario.pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy)))
      const Storage = PostgresStore.layer({ url: Redacted.make(databaseUrl), maxConnections: 4, migrate: true })
      const outcome = yield* repeatScenario.pipe(Effect.provide(Layer.merge(Storage, Policy)))
      checkRepeats(outcome)
      assert.deepStrictEqual(outcome, reference)
    }))
})
