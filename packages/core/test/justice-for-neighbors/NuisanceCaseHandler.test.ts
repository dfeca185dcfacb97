/**
 * The nuisance case end to end: a whole case through `handleCommand` on the
 * memory adapter, with the access rules built from the jurisdiction's
 * duties and the time from `TestClock`; what is stored, what is refused,
 * and what each audience may see of the case.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import {
  AccessPolicy,
  accessDenialStream,
  type CommandEnvelope,
  EventStore,
  handleCommand,
  loadStream,
  redact,
  sacramento,
  verifyChain
} from "@community-policing/core"
import {
  decodeNuisanceCaseCommand,
  nuisanceCase,
  nuisanceCaseAccessRules,
  type NuisanceCaseCommand,
  NuisanceCaseEvent,
  nuisanceCaseStreamId,
  NuisanceCaseState
} from "@community-policing/core/justice-for-neighbors"
import { MemoryStore } from "@community-policing/adapter-memory"
import { at, caseId, ceo, ceoOfDistrict5, excessiveCallsStoryline, iso, opened, replay, resident, standardStoryline, type Step } from "./NuisanceCaseFixtures.ts"

const cases = nuisanceCase(sacramento)
const TestLayer = Layer.merge(MemoryStore.layer(), AccessPolicy.fromRules(nuisanceCaseAccessRules(sacramento)))
const tenantId = "sacramento"
const story = standardStoryline()

const envelope = (step: Step, commandId = `cmd-${step.name}`): CommandEnvelope<NuisanceCaseCommand> => ({
  tenantId,
  commandId,
  actor: step.actor,
  command: step.command
})

const handle = (step: Step, commandId?: string) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(DateTime.toEpochMillis(step.now))
    return yield* handleCommand(cases, envelope(step, commandId))
  })

describe("a nuisance case through handleCommand", () => {
  it.effect("runs from intake to closure, storing hash-chained events that read back to the same case", () =>
    Effect.gen(function*() {
      for (const step of story) yield* handle(step)
      const store = yield* EventStore
      const stored = yield* store.readStream(tenantId, nuisanceCaseStreamId(caseId))
      assert.isTrue(verifyChain(stored).valid)
      const types = stored.map((event) => event.eventType)
      assert.strictEqual(types[0], "CaseOpened")
      assert.strictEqual(types[types.length - 1], "CaseClosed")
      assert.strictEqual(types.filter((type) => type === "CaseStageChanged").length, 16)
      assert.isTrue(stored.every((event) => event.schemaVersion === (event.eventType === "CaseOpened" ? 2 : 1)))

      // Stored data is plain JSON that every read model can file by district and category.
      for (const event of stored) {
        assert.deepInclude(event.data as object, { caseId, councilDistrict: "3", category: "blight" })
        assert.doesNotThrow(() => JSON.parse(JSON.stringify(event.data)))
      }
      const citation = stored.find((event) => event.eventType === "CitationIssued")
      assert.deepInclude(citation?.data as object, { amountInDollars: 100, capInDollars: 100, violationNumber: 1, issuedAt: "2026-03-24T17:00:00.000Z" })
      const noticeDeadline = stored.find((event) => event.eventType === "DeadlineSet" && (event.data as { deadline: { purpose: string } }).deadline.purpose === "compliance")
      assert.deepInclude((noticeDeadline?.data as { deadline: object }).deadline, { start: "2026-03-04T19:00:00.000Z", due: "2026-03-19T06:59:59.999Z" })

      // Envelope: who and when.
      const opening = stored[0]!
      assert.strictEqual(opening.actor, "Staff:clerk-3")
      assert.strictEqual(iso(opening.recordedAt), iso(story[0]!.now))

      const loaded = yield* loadStream(cases, tenantId, nuisanceCaseStreamId(caseId))
      assert.deepStrictEqual(loaded.state, replay(cases.decider, story).state)
      assert.strictEqual(opened(loaded.state).stage, "closed")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("runs the excessive-calls path opened by the analytics (a System actor)", () =>
    Effect.gen(function*() {
      for (const step of excessiveCallsStoryline()) yield* handle(step)
      const loaded = yield* loadStream(cases, tenantId, nuisanceCaseStreamId("2026-000200"))
      assert.strictEqual(opened(loaded.state).stage, "abatement-plan-agreed")
      assert.strictEqual(opened(loaded.state).source._tag, "AnalyticsFinding")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a command refused by the decider fails with its typed refusal and appends nothing", () =>
    Effect.gen(function*() {
      for (const step of story.slice(0, 4)) yield* handle(step)
      const store = yield* EventStore
      const before = (yield* store.readStream(tenantId, nuisanceCaseStreamId(caseId))).length
      const early: Step = {
        name: "early",
        command: { _tag: "RecordReinspection", caseId, inspectedAt: at("2026-03-10T17:00:00Z"), compliant: false, comment: "too soon" },
        actor: ceo,
        now: at("2026-03-10T18:00:00Z")
      }
      const refused = yield* Effect.flip(handle(early))
      assert.strictEqual(refused._tag, "TooEarly")
      if (refused._tag === "TooEarly") assert.strictEqual(refused.rule, "non-compliance-after-compliance-deadline")
      assert.strictEqual((yield* store.readStream(tenantId, nuisanceCaseStreamId(caseId))).length, before)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("the access rules from the duties refuse another district's officer before the case is read, and audit it", () =>
    Effect.gen(function*() {
      for (const step of story.slice(0, 2)) yield* handle(step)
      const denied = yield* Effect.flip(handle({ ...story[2]!, actor: ceoOfDistrict5 }))
      assert.strictEqual(denied._tag, "AccessDenied")
      if (denied._tag === "AccessDenied") {
        assert.strictEqual(denied.rule, "nuisance-case.duty.inspect")
        assert.strictEqual(denied.action, "nuisance-case.record-inspection")
      }
      const audit = yield* (yield* EventStore).readStream(tenantId, accessDenialStream(ceoOfDistrict5))
      assert.strictEqual(audit.length, 1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a command decoded from untrusted JSON is handled; a retried command id appends nothing new", () =>
    Effect.gen(function*() {
      const decoded = decodeNuisanceCaseCommand(JSON.parse(JSON.stringify({
        _tag: "OpenCase",
        caseId: "2026-000300",
        category: "illegal-dumping",
        councilDistrict: "3",
        addressKey: "4100 STOCKTON BLVD",
        source: { _tag: "ResidentComplaint", channel: "web" },
        description: "tires dumped behind the lot",
        immediateHazard: false,
        comment: "web form"
      })))
      if (Result.isFailure(decoded)) return assert.fail(decoded.failure.message)
      const step: Step = { name: "web", command: decoded.success, actor: { _tag: "Public", id: "web-7" }, now: at("2026-03-02T20:00:00Z") }
      const first = yield* handle(step, "web-request-1")
      const again = yield* handle(step, "web-request-1")
      assert.strictEqual(first._tag, "Handled")
      assert.strictEqual(again._tag, "AlreadyHandled")
      assert.strictEqual((yield* (yield* EventStore).readStream(tenantId, nuisanceCaseStreamId("2026-000300"))).length, 3)
    }).pipe(Effect.provide(TestLayer)))
})

describe("what each audience sees of a case", () => {
  const { state, events } = replay(cases.decider, story)

  it("the public view has the stage, the address and the deadlines, never people, comments or the complainant", () => {
    const view = JSON.stringify(redact(NuisanceCaseState, state, "public"))
    assert.include(view, "2315 10TH AVE")
    assert.include(view, "\"stage\":\"closed\"")
    for (const hidden of ["R. Owner", "PO Box 1", "A. Neighbor", "311 complaint taken", "Staff:clerk-3", "Abandoned furniture"]) {
      assert.notInclude(view, hidden)
    }
  })

  it("staff see who was served and the comments, not the complainant; a prosecutor sees the complainant too", () => {
    const staff = JSON.stringify(redact(NuisanceCaseState, state, "staff"))
    assert.include(staff, "R. Owner")
    assert.include(staff, "311 complaint taken")
    assert.notInclude(staff, "A. Neighbor")
    assert.include(JSON.stringify(redact(NuisanceCaseState, state, "prosecutor")), "A. Neighbor")
  })

  it("events redact the same way, so a public feed of case events names nobody", () => {
    for (const event of events) {
      const view = JSON.stringify(redact(NuisanceCaseEvent, event, "public"))
      for (const hidden of ["R. Owner", "A. Neighbor", "Staff:"]) assert.notInclude(view, hidden)
    }
  })
})

describe("what a member of the public can learn through handleCommand (issue 9)", () => {
  const webComplaint = (id: string): NuisanceCaseCommand => ({
    _tag: "OpenCase",
    caseId: id,
    category: "illegal-dumping",
    councilDistrict: "3",
    addressKey: "4100 STOCKTON BLVD",
    source: { _tag: "ResidentComplaint", channel: "web", complainant: { name: "C. Caller", contact: "916-555-0199" } },
    description: "tires dumped behind the lot",
    immediateHazard: false,
    receivedAt: at("2026-03-02T19:00:00Z"),
    comment: "web form"
  })
  const residentStep = (command: NuisanceCaseCommand): Step => ({ name: "resident", command, actor: resident, now: at("2026-03-05T20:00:00Z") })

  it.effect("replaying the clerk's guessable command id gets CommandIdReused, a denial on record, and nothing of the case", () =>
    Effect.gen(function*() {
      for (const step of story.slice(0, 3)) yield* handle(step)
      const exit = yield* Effect.flip(handle(residentStep(webComplaint("2026-000301")), "cmd-open"))
      assert.strictEqual(exit._tag, "CommandIdReused")
      for (const hidden of ["A. Neighbor", "2315 10TH AVE", caseId]) assert.notInclude(JSON.stringify(exit), hidden)
      const denials = yield* (yield* EventStore).readStream(tenantId, accessDenialStream(resident))
      assert.strictEqual(denials.length, 1)
      // The exact same command as the clerk's, from the public: refused the same way.
      const same = yield* Effect.flip(handle({ ...story[0]!, actor: resident }, "cmd-open"))
      assert.strictEqual(same._tag, "CommandIdReused")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a resident's own complaint, handled or replayed, comes back without the confidential complainant", () =>
    Effect.gen(function*() {
      const first = yield* handle(residentStep(webComplaint("2026-000302")), "web-2")
      const again = yield* handle(residentStep(webComplaint("2026-000302")), "web-2")
      assert.strictEqual(again._tag, "AlreadyHandled")
      for (const outcome of [first, again]) {
        const json = JSON.stringify(outcome)
        for (const hidden of ["C. Caller", "916-555-0199", "web form", "Public:session-42"]) assert.notInclude(json, hidden)
        assert.include(json, "4100 STOCKTON BLVD")
      }
    }).pipe(Effect.provide(TestLayer)))

  it.effect("no outcome of a whole case carries a marked field when answered for the public, Handled or replayed", () =>
    Effect.gen(function*() {
      // Staff send every step; each answer is made for the public audience, the narrowest.
      const asPublic = { audience: () => "public" as const }
      const hidden = ["A. Neighbor", "R. Owner", "PO Box 1", "311 complaint taken", "Staff:", "notice handed to the owner"]
      for (const step of story) {
        yield* TestClock.setTime(DateTime.toEpochMillis(step.now))
        for (const _ of [1, 2]) {
          const outcome = yield* handleCommand(cases, envelope(step), asPublic)
          assert.strictEqual(outcome.audience, "public")
          const json = JSON.stringify(outcome)
          for (const value of hidden) assert.notInclude(json, value, `${step.name} (${outcome._tag})`)
        }
      }
      // The staff view of the same case still names the owner served: the test is not vacuous.
      const staffView = yield* handleCommand(cases, envelope(story[0]!))
      assert.include(JSON.stringify(staffView.view), "R. Owner")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("a public actor naming a case whose events no longer decode gets AccessDenied, not UnreadableEvent", () =>
    Effect.gen(function*() {
      for (const step of story.slice(0, 2)) yield* handle(step)
      const store = yield* EventStore
      const written = yield* store.readStream(tenantId, nuisanceCaseStreamId(caseId))
      const { globalPosition: _, ...first } = written[0]!
      yield* store.append({
        tenantId,
        streamId: nuisanceCaseStreamId(caseId),
        expectedVersion: written.length,
        events: [{ ...first, streamVersion: written.length + 1, eventId: "garbled", schemaVersion: 99 }]
      })
      const probe: Step = { name: "probe", command: { _tag: "TriageCase", caseId, immediateHazard: true, comment: "?" }, actor: resident, now: at("2026-03-05T20:00:00Z") }
      const denied = yield* Effect.flip(handle(probe, "probe-1"))
      assert.strictEqual(denied._tag, "AccessDenied")
      const staffProbe = yield* Effect.flip(handle({ ...probe, actor: ceo }, "probe-2"))
      assert.strictEqual(staffProbe._tag, "UnreadableEvent")
    }).pipe(Effect.provide(TestLayer)))
})
