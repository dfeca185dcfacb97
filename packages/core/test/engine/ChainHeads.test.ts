/**
 * Signed chain heads: the four tamperings a stream's own hash chain cannot
 * reveal (issue 9, item 8), each detected against a head the city signed
 * and kept elsewhere; and a head signed with another key is rejected.
 * First on events read from the memory adapter, then end to end on a real
 * SQLite file tampered with plain SQL behind the adapter's back.
 */
import { generateKeyPairSync } from "node:crypto"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import * as fc from "fast-check"
import { DateTime, Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import {
  AccessPolicy,
  type AccessRule,
  type Actor,
  accessDenialStream,
  chainHeadsOf,
  EventStore,
  exportTenantHeads,
  GENESIS_HASH,
  handleCommand,
  hashEvent,
  SignedTenantHeads,
  signTenantHeads,
  type StoredEvent,
  verifyAgainstHeads,
  verifyChain,
  verifySignedHeads,
  verifyTenantHeads
} from "@community-policing/core"
import { MemoryStore } from "@community-policing/adapter-memory"
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { Complaint, type ComplaintCommand } from "./fixtures/Complaint.ts"

const tenantId = "sacramento"
const rules: ReadonlyArray<AccessRule> = [
  { id: "ceo-in-district", actions: ["complaint.*"], roles: ["code-enforcement-officer"], scope: "own-district" }
]
const Policy = AccessPolicy.fromRules(rules)
const ceo3: Actor = { _tag: "Staff", id: "ceo-3", roles: ["code-enforcement-officer"], districts: ["3"] }
const ceo5: Actor = { _tag: "Staff", id: "ceo-5", roles: ["code-enforcement-officer"], districts: ["5"] }

// The city's keys: made by the test, handed to the library.
const city = generateKeyPairSync("ed25519")
const impostor = generateKeyPairSync("ed25519")

const opens = (complaintId: string): ComplaintCommand => ({
  _tag: "OpenComplaint",
  complaintId,
  district: "3",
  description: `complaint ${complaintId}`,
  complainant: "A. Resident"
})

/** Three complaint streams and one denial stream, in interleaved global order. */
const scenario = Effect.gen(function*() {
  yield* TestClock.setTime(Date.UTC(2026, 2, 2, 9))
  const send = (command: ComplaintCommand, commandId: string, actor: Actor = ceo3) =>
    handleCommand(Complaint, { tenantId, commandId, actor, command })
  yield* send(opens("c1"), "cmd-1")
  yield* send(opens("c2"), "cmd-2")
  yield* send({ _tag: "AcknowledgeComplaint", complaintId: "c1" }, "cmd-3")
  yield* Effect.flip(send({ _tag: "AcknowledgeComplaint", complaintId: "c2" }, "cmd-4", ceo5))
  yield* send(opens("c3"), "cmd-5")
  yield* send({ _tag: "CloseComplaint", complaintId: "c1", comment: "owner cleared the alley" }, "cmd-6")
  yield* send({ _tag: "AcknowledgeComplaint", complaintId: "c2" }, "cmd-7")
})

const readAllEvents = Effect.gen(function*() {
  return yield* (yield* EventStore).readAll({ tenantId, after: 0, limit: 10_000 })
})

const byStream = (events: ReadonlyArray<StoredEvent>): Map<string, Array<StoredEvent>> => {
  const streams = new Map<string, Array<StoredEvent>>()
  for (const event of events) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event])
  return streams
}

/** What a stream's own chain says, stream by stream: the check that existed before signed heads. */
const everyChainValid = (events: ReadonlyArray<StoredEvent>): boolean =>
  [...byStream(events).values()].every((stream) => verifyChain(stream).valid)

/** Rewrites event `version` of a stream and rehashes every later event of it: a careful forger. */
const rewriteAndRehash = (events: ReadonlyArray<StoredEvent>, streamId: string, version: number): Array<StoredEvent> => {
  let previousHash: string | undefined
  return events.map((event) => {
    if (event.streamId !== streamId || event.streamVersion < version) return event
    const fields = {
      ...event,
      data: event.streamVersion === version ? { ...(event.data as object), comment: "nothing was wrong" } : event.data,
      previousHash: previousHash ?? event.previousHash
    }
    const forged = { ...fields, hash: hashEvent(fields) }
    previousHash = forged.hash
    return forged
  })
}

const lastOf = (events: ReadonlyArray<StoredEvent>, streamId: string): StoredEvent =>
  events.filter((event) => event.streamId === streamId).at(-1)!

const denials = accessDenialStream(ceo5)

const tamperings: ReadonlyArray<{
  readonly name: string
  readonly tamper: (events: ReadonlyArray<StoredEvent>) => ReadonlyArray<StoredEvent>
  readonly expect: string
}> = [
  {
    name: "an event rewritten and every later one rehashed",
    tamper: (events) => rewriteAndRehash(events, "complaint-c1", 3),
    expect: "changed complaint-c1@3"
  },
  {
    name: "the last event of a stream cut off",
    tamper: (events) => events.filter((event) => event !== lastOf(events, "complaint-c2")),
    expect: "removed complaint-c2@2"
  },
  {
    name: "a whole stream deleted (the access-denial log)",
    tamper: (events) => events.filter((event) => event.streamId !== denials),
    expect: `stream-missing ${denials}@1`
  },
  {
    name: "an event's global position changed",
    tamper: (events) => events.map((event) => event === events.at(-1) ? { ...event, globalPosition: event.globalPosition + 1000 } : event),
    expect: "position-changed complaint-c2@2"
  },
  {
    name: "two events of different streams swapped in the global order (neither a stream's head)",
    tamper: (events) => {
      const [a, b] = [events[0]!, events[1]!]
      assert.notStrictEqual(a.streamId, b.streamId)
      return [{ ...b, globalPosition: a.globalPosition }, { ...a, globalPosition: b.globalPosition }, ...events.slice(2)]
    },
    expect: "position-changed complaint-c1@*"
  }
]

const problems = (report: { readonly problems: ReadonlyArray<{ kind: string; streamId: string | undefined; streamVersion: number | undefined }> }) =>
  report.problems.map((p) => `${p.kind} ${p.streamId ?? "*"}@${p.streamVersion ?? "*"}`)

describe("signed chain heads", () => {
  it.effect("each tampering passes every stream's own chain, and is detected against the signed heads", () =>
    Effect.gen(function*() {
      yield* scenario
      const signed = yield* exportTenantHeads(tenantId, { privateKey: city.privateKey, keyId: "sacramento-2026" })
      const events = yield* readAllEvents
      assert.strictEqual(signed.heads.streams.length, 4)
      assert.strictEqual(signed.heads.eventCount, events.length)
      assert.deepStrictEqual(verifySignedHeads(events, signed, city.publicKey).pipe(Result.map((r) => r.valid)), Result.succeed(true))

      for (const { name, tamper, expect } of tamperings) {
        const tampered = tamper(events)
        assert.isTrue(everyChainValid(tampered), `${name}: the stream chains alone accept it`)
        const report = verifySignedHeads(tampered, signed, city.publicKey)
        if (Result.isFailure(report)) return assert.fail(report.failure.message)
        assert.isFalse(report.success.valid, name)
        assert.include(problems(report.success), expect, name)
      }
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it.effect("a head signed with another key, or altered after signing, is rejected", () =>
    Effect.gen(function*() {
      yield* scenario
      const events = yield* readAllEvents
      const signed = yield* exportTenantHeads(tenantId, { privateKey: city.privateKey, keyId: "sacramento-2026" })

      // A forger who cut the denial log signs heads without it, with their own key.
      const withoutDenials = events.filter((event) => event.streamId !== denials)
      const forged = signTenantHeads(chainHeadsOf(tenantId, withoutDenials, signed.heads.exportedAt), {
        privateKey: impostor.privateKey,
        keyId: "sacramento-2026"
      })
      if (Result.isFailure(forged)) return assert.fail(forged.failure.message)
      const rejected = verifySignedHeads(withoutDenials, forged.success, city.publicKey)
      assert.isTrue(Result.isFailure(rejected))
      if (Result.isFailure(rejected)) assert.strictEqual(rejected.failure._tag, "HeadsSignatureInvalid")

      // The city's own signature over edited heads no longer holds.
      const edited = { ...signed, heads: { ...signed.heads, streams: signed.heads.streams.filter((s) => s.streamId !== denials) } }
      const editedResult = verifySignedHeads(withoutDenials, edited, city.publicKey)
      assert.isTrue(Result.isFailure(editedResult) && editedResult.failure._tag === "HeadsSignatureInvalid")

      // Heads for another tenant are refused even when genuinely signed.
      const elsewhere = verifySignedHeads(events.map((e) => ({ ...e, tenantId: "fresno" })), signed, city.publicKey)
      assert.isTrue(Result.isFailure(elsewhere) && elsewhere.failure._tag === "HeadsTenantMismatch")
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it("the library never uses a key that is not the right kind", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
    const heads = chainHeadsOf(tenantId, [], undefined)
    const refused = signTenantHeads(heads, { privateKey: rsa.privateKey, keyId: "k" })
    assert.isTrue(Result.isFailure(refused) && refused.failure._tag === "SigningKeyUnsuitable")
    const publicAsPrivate = signTenantHeads(heads, { privateKey: city.publicKey, keyId: "k" })
    assert.isTrue(Result.isFailure(publicAsPrivate) && publicAsPrivate.failure._tag === "SigningKeyUnsuitable")
  })

  it.effect("the exported heads are JSON: they survive encoding, storage and decoding, and still verify", () =>
    Effect.gen(function*() {
      yield* scenario
      const signed = yield* exportTenantHeads(tenantId, { privateKey: city.privateKey, keyId: "sacramento-2026", pageSize: 2 })
      const json = JSON.stringify(Schema.encodeSync(SignedTenantHeads)(signed))
      const decoded = Schema.decodeUnknownSync(SignedTenantHeads)(JSON.parse(json))
      const report = yield* verifyTenantHeads(tenantId, decoded, { publicKey: city.publicKey, pageSize: 3 })
      assert.isTrue(report.valid)
      assert.strictEqual(report.eventsAfterHeads, 0)
      // Later events are not covered by these heads, and are not problems.
      yield* handleCommand(Complaint, { tenantId, commandId: "cmd-8", actor: ceo3, command: opens("c4") })
      const later = yield* verifyTenantHeads(tenantId, decoded, { publicKey: city.publicKey })
      assert.isTrue(later.valid)
      assert.strictEqual(later.eventsAfterHeads, 1)
    }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), Policy))))

  it("an empty tenant has empty heads that verify", () => {
    const heads = chainHeadsOf(tenantId, [], undefined)
    assert.strictEqual(heads.globalHash, GENESIS_HASH)
    const signed = signTenantHeads(heads, { privateKey: city.privateKey, keyId: "k" })
    if (Result.isFailure(signed)) return assert.fail(signed.failure.message)
    assert.deepStrictEqual(verifySignedHeads([], signed.success, city.publicKey).pipe(Result.map((r) => r.valid)), Result.succeed(true))
  })
})

describe("signed chain heads on a real SQLite file tampered with plain SQL", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "chain-heads-"))
  const original = path.join(folder, "original.db")

  const sqlTamperings: ReadonlyArray<{ readonly name: string; readonly sql: (db: Database.Database) => void; readonly expect: string }> = [
    {
      name: "rewrite and rehash",
      sql: (db) => {
        const rows = db.prepare("SELECT global_position FROM events WHERE stream_id = 'complaint-c1' AND stream_version >= 3 ORDER BY stream_version").all() as Array<{ global_position: number }>
        assert.strictEqual(rows.length, 1)
        // The forger recomputes the hash of the rewritten last event with the library's own function.
        const event = db.prepare("SELECT * FROM events WHERE global_position = ?").get(rows[0]!.global_position) as Record<string, unknown>
        const fields = {
          tenantId,
          streamId: "complaint-c1",
          streamVersion: 3,
          eventId: String(event["event_id"]),
          eventType: String(event["event_type"]),
          schemaVersion: Number(event["schema_version"]),
          data: { ...JSON.parse(String(event["data"])), comment: "nothing was wrong" },
          recordedAt: DateTime.makeUnsafe(Number(event["recorded_at"])),
          actor: String(event["actor"]),
          commandId: String(event["command_id"]),
          correlationId: String(event["correlation_id"]),
          causationId: null,
          previousHash: String(event["previous_hash"])
        }
        db.prepare("UPDATE events SET data = ?, hash = ? WHERE global_position = ?").run(JSON.stringify(fields.data), hashEvent(fields), rows[0]!.global_position)
      },
      expect: "changed complaint-c1@3"
    },
    {
      name: "cut the last event",
      sql: (db) => {
        db.prepare("DELETE FROM idempotency_keys WHERE idempotency_key = 'cmd-7'").run()
        db.prepare("DELETE FROM events WHERE stream_id = 'complaint-c2' AND stream_version = 2").run()
      },
      expect: "removed complaint-c2@2"
    },
    {
      name: "delete the denial log",
      sql: (db) => void db.prepare("DELETE FROM events WHERE stream_id = ?").run(denials),
      expect: `stream-missing ${denials}@1`
    },
    {
      name: "move an event's global position",
      sql: (db) => void db.prepare("UPDATE events SET global_position = global_position + 1000 WHERE global_position = (SELECT max(global_position) FROM events)").run(),
      expect: "position-changed complaint-c2@2"
    }
  ]

  it.effect("each of the four tamperings is detected through the EventStore port", () =>
    Effect.gen(function*() {
      const signed = yield* Effect.gen(function*() {
        yield* scenario
        return yield* exportTenantHeads(tenantId, { privateKey: city.privateKey, keyId: "sacramento-2026" })
      }).pipe(Effect.provide(Layer.merge(SqliteStore.layer({ filename: original }), Policy)))
      const untouched = yield* verifyTenantHeads(tenantId, signed, { publicKey: city.publicKey })
        .pipe(Effect.provide(SqliteStore.layer({ filename: original })))
      assert.isTrue(untouched.valid)

      for (const { name, sql, expect } of sqlTamperings) {
        const copy = path.join(folder, `${name.replace(/\W+/g, "-")}.db`)
        fs.copyFileSync(original, copy)
        const db = new Database(copy)
        sql(db)
        db.close()
        const report = yield* verifyTenantHeads(tenantId, signed, { publicKey: city.publicKey })
          .pipe(Effect.provide(SqliteStore.layer({ filename: copy })))
        assert.isFalse(report.valid, name)
        assert.include(problems(report), expect, name)
      }
    }))
})

describe("signed chain heads (property)", () => {
  /** Streams written interleaved, in global order, with gaps between positions as a SQL store may leave. */
  const history = (streamOf: ReadonlyArray<number>, gaps: ReadonlyArray<number>): Array<StoredEvent> => {
    const lastOf = new Map<string, { version: number; hash: string }>()
    let position = 0
    return streamOf.map((s, i) => {
      const streamId = `case-${s}`
      const last = lastOf.get(streamId)
      position += 1 + (gaps[i % gaps.length] ?? 0)
      const fields = {
        tenantId,
        streamId,
        streamVersion: (last?.version ?? 0) + 1,
        eventId: `e${i}`,
        eventType: "Noted",
        schemaVersion: 1,
        data: { n: i },
        recordedAt: DateTime.makeUnsafe(Date.UTC(2026, 0, 1) + i * 60_000),
        actor: "Staff:ceo-1",
        commandId: `cmd-${i}`,
        correlationId: `cmd-${i}`,
        causationId: null,
        previousHash: last?.hash ?? GENESIS_HASH
      }
      const hash = hashEvent(fields)
      lastOf.set(streamId, { version: fields.streamVersion, hash })
      return { ...fields, hash, globalPosition: position }
    })
  }

  const inGlobalOrder = (events: ReadonlyArray<StoredEvent>) => [...events].sort((a, b) => a.globalPosition - b.globalPosition)

  it("every single tampering of covered events is detected against the heads; untouched events verify", () => {
    const tamper = fc.oneof(
      fc.record({ op: fc.constant("rewrite-rehash" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("remove" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("cut-tail" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("delete-stream" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("move" as const), at: fc.nat(), to: fc.integer({ min: -5, max: 200 }) }),
      fc.record({ op: fc.constant("swap-positions" as const), at: fc.nat(), with: fc.nat() })
    )
    fc.assert(fc.property(
      fc.array(fc.nat(3), { minLength: 1, maxLength: 25 }),
      fc.array(fc.nat(2), { minLength: 1, maxLength: 5 }),
      tamper,
      (streamOf, gaps, t) => {
        const events = history(streamOf, gaps)
        const heads = chainHeadsOf(tenantId, events, undefined)
        if (!verifyAgainstHeads(events, heads).valid) return false
        const i = t.at % events.length
        const target = events[i]!
        let tampered: Array<StoredEvent>
        switch (t.op) {
          case "rewrite-rehash": {
            let previousHash: string | undefined
            tampered = events.map((event) => {
              if (event.streamId !== target.streamId || event.streamVersion < target.streamVersion) return event
              const fields = { ...event, data: event === target ? { n: -1 } : event.data, previousHash: previousHash ?? event.previousHash }
              const forged = { ...fields, hash: hashEvent(fields) }
              previousHash = forged.hash
              return forged
            })
            break
          }
          case "remove":
            tampered = events.filter((event) => event !== target)
            break
          case "cut-tail":
            tampered = events.filter((event) => event.streamId !== target.streamId || event.streamVersion < target.streamVersion)
            break
          case "delete-stream":
            tampered = events.filter((event) => event.streamId !== target.streamId)
            break
          case "move": {
            const taken = new Set(events.map((event) => event.globalPosition))
            if (taken.has(t.to)) return true
            tampered = inGlobalOrder(events.map((event) => event === target ? { ...event, globalPosition: t.to } : event))
            break
          }
          case "swap-positions": {
            const other = events[t.with % events.length]!
            if (other === target) return true
            tampered = inGlobalOrder(events.map((event) =>
              event === target
                ? { ...event, globalPosition: other.globalPosition }
                : event === other
                ? { ...event, globalPosition: target.globalPosition }
                : event
            ))
            break
          }
        }
        return !verifyAgainstHeads(tampered, heads).valid
      }
    ), { numRuns: 500 })
  })
})
