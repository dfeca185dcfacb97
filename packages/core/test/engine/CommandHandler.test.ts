import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import {
  AccessPolicy,
  type AccessRule,
  type Actor,
  accessDenialStream,
  type CommandEnvelope,
  EventStore,
  handleCommand,
  loadStream,
  Outbox,
  verifyChain
} from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { Complaint, type ComplaintCommand } from "./fixtures/Complaint.ts"

const rules: ReadonlyArray<AccessRule> = [
  { id: "ceo-in-district", actions: ["complaint.*"], roles: ["code-enforcement-officer"], scope: "own-district" }
]
const TestLayer = Layer.merge(MemoryStore.layer(), AccessPolicy.fromRules(rules))

const ceo3: Actor = { _tag: "Staff", id: "ceo-3", roles: ["code-enforcement-officer"], districts: ["3"] }
const ceo5: Actor = { _tag: "Staff", id: "ceo-5", roles: ["code-enforcement-officer"], districts: ["5"] }
const tenantId = "sacramento"

const open: ComplaintCommand = {
  _tag: "OpenComplaint",
  complaintId: "c1",
  district: "3",
  description: "mattresses dumped in the alley",
  complainant: "A. Resident"
}
const envelope = (command: ComplaintCommand, commandId: string, actor: Actor = ceo3): CommandEnvelope<ComplaintCommand> => ({
  tenantId,
  commandId,
  actor,
  command
})

describe("handleCommand", () => {
  it.effect("appends the decided events with a full, hash-chained envelope", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 2, 2, 9, 30))
      const first = yield* handleCommand(Complaint, { ...envelope(open, "cmd-1"), correlationId: "req-7" })
      const second = yield* handleCommand(Complaint, envelope({ _tag: "AcknowledgeComplaint", complaintId: "c1" }, "cmd-2"))
      assert.strictEqual(first._tag, "Handled")
      assert.strictEqual(second.version, 2)
      assert.deepStrictEqual(second.view, { status: "acknowledged", district: "3" })
      assert.strictEqual(second.audience, "staff")

      const stored = yield* (yield* EventStore).readStream(tenantId, "complaint-c1")
      assert.strictEqual(stored.length, 2)
      const [opened, acknowledged] = stored
      assert.strictEqual(opened?.actor, "Staff:ceo-3")
      assert.strictEqual(opened?.commandId, "cmd-1")
      assert.strictEqual(opened?.correlationId, "req-7")
      assert.strictEqual(acknowledged?.correlationId, "cmd-2")
      assert.strictEqual(opened?.schemaVersion, 2)
      assert.strictEqual(DateTime.formatIso(opened!.recordedAt), "2026-03-02T09:30:00.000Z")
      assert.strictEqual(acknowledged?.previousHash, opened?.hash)
      assert.isTrue(verifyChain(stored).valid)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("handles the same command id once", () =>
    Effect.gen(function*() {
      const first = yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const again = yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      assert.strictEqual(again._tag, "AlreadyHandled")
      assert.deepStrictEqual(again.events, first.events)
      const stored = yield* (yield* EventStore).readStream(tenantId, "complaint-c1")
      assert.strictEqual(stored.length, 1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("fails with the decider's typed refusal and appends nothing", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const refused = yield* Effect.flip(
        handleCommand(Complaint, envelope({ _tag: "CloseComplaint", complaintId: "c1", comment: "" }, "cmd-2"))
      )
      assert.strictEqual(refused._tag, "ComplaintRefused")
      if (refused._tag === "ComplaintRefused") assert.strictEqual(refused.rule, "comment-required")
      const stored = yield* (yield* EventStore).readStream(tenantId, "complaint-c1")
      assert.strictEqual(stored.length, 1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("denies by policy, records the denial for audit and appends nothing to the stream", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const denied = yield* Effect.flip(
        handleCommand(Complaint, envelope({ _tag: "AcknowledgeComplaint", complaintId: "c1" }, "cmd-2", ceo5))
      )
      assert.strictEqual(denied._tag, "AccessDenied")
      if (denied._tag === "AccessDenied") {
        assert.strictEqual(denied.rule, "ceo-in-district")
        assert.strictEqual(denied.actor, "Staff:ceo-5")
      }
      const store = yield* EventStore
      assert.strictEqual((yield* store.readStream(tenantId, "complaint-c1")).length, 1)
      const audit = yield* store.readStream(tenantId, accessDenialStream(ceo5))
      assert.strictEqual(audit.length, 1)
      assert.strictEqual(audit[0]?.eventType, "AccessDenied")
      assert.deepInclude(audit[0]?.data as object, { commandId: "cmd-2", action: "complaint.AcknowledgeComplaint", rule: "ceo-in-district" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("retries after a version conflict and succeeds on the fresh state", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const store = yield* EventStore
      const policy = yield* AccessPolicy
      let interfered = false
      // A competing writer acknowledges the complaint just before our first append.
      const Racing = Layer.succeed(EventStore, EventStore.of({
        ...store,
        append: (request) =>
          Effect.gen(function*() {
            if (!interfered) {
              interfered = true
              yield* handleCommand(Complaint, envelope({ _tag: "AcknowledgeComplaint", complaintId: "c1" }, "rival"))
                .pipe(Effect.orDie)
            }
            return yield* store.append(request)
          }).pipe(Effect.provideService(EventStore, store), Effect.provideService(AccessPolicy, policy))
      }))
      const outcome = yield* handleCommand(
        Complaint,
        envelope({ _tag: "CloseComplaint", complaintId: "c1", comment: "cleared by owner" }, "cmd-2")
      ).pipe(Effect.provide(Racing))
      assert.strictEqual(outcome.version, 3)
      const types = (yield* store.readStream(tenantId, "complaint-c1")).map((e) => e.eventType)
      assert.deepStrictEqual(types, ["ComplaintOpened", "ComplaintAcknowledged", "ComplaintClosed"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("gives up with ConcurrencyExhausted after the allowed attempts", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const store = yield* EventStore
      let rivals = 0
      // A rival writer slips an event in before every one of our appends.
      const AlwaysRacing = Layer.succeed(EventStore, EventStore.of({
        ...store,
        append: (request) =>
          Effect.gen(function*() {
            rivals++
            const stream = yield* store.readStream(tenantId, "complaint-c1")
            const { globalPosition: _, ...last } = stream[stream.length - 1]!
            yield* store.append({
              tenantId,
              streamId: "complaint-c1",
              expectedVersion: stream.length,
              events: [{
                ...last,
                eventId: `rival-${rivals}`,
                streamVersion: stream.length + 1,
                eventType: "ComplaintAcknowledged",
                schemaVersion: 1,
                data: { _tag: "ComplaintAcknowledged", complaintId: "c1" }
              }]
            }).pipe(Effect.orDie)
            return yield* store.append(request)
          })
      }))
      const exit = yield* handleCommand(
        Complaint,
        envelope({ _tag: "CloseComplaint", complaintId: "c1", comment: "owner cleaned up" }, "cmd-2"),
        { maxAttempts: 2 }
      ).pipe(Effect.provide(AlwaysRacing), Effect.exit)
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
      assert.deepInclude(error as object, { _tag: "ConcurrencyExhausted", attempts: 2, streamId: "complaint-c1" })
      assert.strictEqual(rivals, 2)
      const types = (yield* store.readStream(tenantId, "complaint-c1")).map((e) => e.eventType)
      assert.notInclude(types, "ComplaintClosed")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("commits outbox messages with the events", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"), {
        outbox: (events) => events.map((event, i) => ({
          id: `cmd-1/${i}`,
          topic: "email",
          payload: { event: event._tag },
          maxAttempts: 5
        }))
      })
      const message = yield* (yield* Outbox).get(tenantId, "cmd-1/0")
      assert.isTrue(Option.isSome(message))
      assert.deepStrictEqual(Option.getOrUndefined(message)?.payload, { event: "ComplaintOpened" })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reads events of an older schema version through the upcaster", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.append({
        tenantId,
        streamId: "complaint-old",
        expectedVersion: 0,
        events: [{
          tenantId,
          streamId: "complaint-old",
          streamVersion: 1,
          eventId: "legacy-1",
          eventType: "ComplaintOpened",
          schemaVersion: 1,
          data: { _tag: "ComplaintOpened", complaintId: "old", description: "2019 import", complainant: "X" },
          recordedAt: DateTime.makeUnsafe("2019-05-01T00:00:00Z"),
          actor: "System:import",
          commandId: "import-1",
          correlationId: "import-1",
          causationId: null,
          previousHash: "0".repeat(64),
          hash: "not-checked-by-loading"
        }]
      })
      const loaded = yield* loadStream(Complaint, tenantId, "complaint-old")
      assert.deepStrictEqual(loaded.state, { status: "open", district: "citywide" })
    }).pipe(Effect.provide(TestLayer)))
})

describe("authorization before the stream and before a replay (issue 9)", () => {
  const resident: Actor = { _tag: "Public", id: "session-9" }
  const otherResident: Actor = { _tag: "Public", id: "session-10" }
  const residentRules: ReadonlyArray<AccessRule> = [
    ...rules,
    { id: "public-files-complaints", actions: ["complaint.OpenComplaint"], actors: ["Public"], scope: "citywide" }
  ]
  const PublicLayer = Layer.merge(MemoryStore.layer(), AccessPolicy.fromRules(residentRules))
  const residentOpens = (complaintId: string): ComplaintCommand => ({
    _tag: "OpenComplaint",
    complaintId,
    district: "3",
    description: "car parked on the lawn for weeks",
    complainant: "B. Neighbor, 916-555-0100"
  })

  it.effect("a command id handled for someone else is refused as reused, recorded as a denial, and reveals nothing", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const refused = yield* Effect.flip(handleCommand(Complaint, envelope(residentOpens("mine"), "cmd-1", resident)))
      assert.strictEqual(refused._tag, "CommandIdReused")
      assert.notInclude(JSON.stringify(refused), "A. Resident")
      assert.notInclude(JSON.stringify(refused), "complaint-c1")
      const store = yield* EventStore
      const audit = yield* store.readStream(tenantId, accessDenialStream(resident))
      assert.strictEqual(audit.length, 1)
      assert.deepInclude(audit[0]?.data as object, { commandId: "cmd-1", rule: "replay-by-same-actor-on-same-stream" })
      assert.strictEqual((yield* store.readStream(tenantId, "complaint-mine")).length, 0)
    }).pipe(Effect.provide(PublicLayer)))

  it.effect("the same command id from another actor of the same kind is refused too, even naming the same stream", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(residentOpens("r1"), "web-1", resident))
      const refused = yield* Effect.flip(handleCommand(Complaint, envelope(residentOpens("r1"), "web-1", otherResident)))
      assert.strictEqual(refused._tag, "CommandIdReused")
      assert.notInclude(JSON.stringify(refused), "B. Neighbor")
      assert.strictEqual((yield* (yield* EventStore).readStream(tenantId, accessDenialStream(otherResident))).length, 1)
    }).pipe(Effect.provide(PublicLayer)))

  it.effect("the same actor replaying a command id on another stream is refused", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      yield* handleCommand(Complaint, envelope({ ...open, complaintId: "c2" }, "cmd-2"))
      const refused = yield* Effect.flip(
        handleCommand(Complaint, envelope({ _tag: "AcknowledgeComplaint", complaintId: "c2" }, "cmd-1"))
      )
      assert.strictEqual(refused._tag, "CommandIdReused")
      assert.strictEqual((yield* (yield* EventStore).readStream(tenantId, accessDenialStream(ceo3))).length, 1)
    }).pipe(Effect.provide(PublicLayer)))

  it.effect("a replay by the same actor is answered with the view of their audience, never personal data to the public", () =>
    Effect.gen(function*() {
      const first = yield* handleCommand(Complaint, envelope(residentOpens("r1"), "web-1", resident))
      const again = yield* handleCommand(Complaint, envelope(residentOpens("r1"), "web-1", resident))
      assert.strictEqual(first._tag, "Handled")
      assert.strictEqual(again._tag, "AlreadyHandled")
      for (const outcome of [first, again]) {
        const json = JSON.stringify(outcome)
        assert.notInclude(json, "B. Neighbor")
        assert.notInclude(json, "916-555-0100")
        assert.include(json, "car parked on the lawn")
      }
      assert.deepStrictEqual(again.events.map((e) => e.eventId), first.events.map((e) => e.eventId))
    }).pipe(Effect.provide(PublicLayer)))

  it.effect("a replay is authorized again: an actor who lost access since gets AccessDenied, not the outcome", () =>
    Effect.gen(function*() {
      yield* handleCommand(Complaint, envelope(open, "cmd-1"))
      const moved: Actor = { ...ceo3, districts: ["5"] }
      const denied = yield* Effect.flip(handleCommand(Complaint, envelope(open, "cmd-1", moved)))
      assert.strictEqual(denied._tag, "AccessDenied")
    }).pipe(Effect.provide(PublicLayer)))

  it.effect("a public actor is refused before the stream is read: AccessDenied, never UnreadableEvent", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.append({
        tenantId,
        streamId: "complaint-c9",
        expectedVersion: 0,
        events: [{
          tenantId,
          streamId: "complaint-c9",
          streamVersion: 1,
          eventId: "garbled-1",
          eventType: "NoSuchEvent",
          schemaVersion: 1,
          data: { garbled: true },
          recordedAt: DateTime.makeUnsafe("2026-03-01T00:00:00Z"),
          actor: "System:import",
          commandId: "import-9",
          correlationId: "import-9",
          causationId: null,
          previousHash: "0".repeat(64),
          hash: "not-checked-by-loading"
        }]
      })
      let streamReads = 0
      const Counting = Layer.succeed(EventStore, EventStore.of({
        ...store,
        readStream: (tenant, streamId, from) => {
          if (streamId === "complaint-c9") streamReads++
          return store.readStream(tenant, streamId, from)
        }
      }))
      const denied = yield* Effect.flip(
        handleCommand(Complaint, envelope({ _tag: "AcknowledgeComplaint", complaintId: "c9" }, "probe-1", resident))
      ).pipe(Effect.provide(Counting))
      assert.strictEqual(denied._tag, "AccessDenied")
      assert.strictEqual(streamReads, 0)
      assert.strictEqual((yield* store.readStream(tenantId, accessDenialStream(resident))).length, 1)
      // Staff who may act on some district still need the stream to decide: for them the stream is read.
      const unreadable = yield* Effect.flip(
        handleCommand(Complaint, envelope({ _tag: "AcknowledgeComplaint", complaintId: "c9" }, "probe-2"))
      ).pipe(Effect.provide(Counting))
      assert.strictEqual(unreadable._tag, "UnreadableEvent")
      assert.strictEqual(streamReads, 1)
    }).pipe(Effect.provide(PublicLayer)))
})
