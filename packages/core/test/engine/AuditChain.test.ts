import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as fc from "fast-check"
import { canonicalJson, GENESIS_HASH, hashEvent, type StoredEvent, verifyChain } from "@community-policing/core"

/** A well-formed chain of `n` events, built the way the engine chains them. */
const chain = (n: number): Array<StoredEvent> => {
  const events: Array<StoredEvent> = []
  let previousHash = GENESIS_HASH
  for (let v = 1; v <= n; v++) {
    const fields = {
      tenantId: "sacramento",
      streamId: "case-1",
      streamVersion: v,
      eventId: `e${v}`,
      eventType: "Noted",
      schemaVersion: 1,
      data: { note: `note ${v}`, n: v },
      recordedAt: DateTime.makeUnsafe(Date.UTC(2026, 0, v)),
      actor: "Staff:ceo-1",
      commandId: `cmd-${v}`,
      correlationId: "corr",
      causationId: null,
      previousHash
    }
    const hash = hashEvent(fields)
    events.push({ ...fields, hash, globalPosition: v * 10 })
    previousHash = hash
  }
  return events
}

/** Rewrites events from `from` on so each hash is valid for its content: a careful forger. */
const rehash = (events: Array<StoredEvent>, from: number): Array<StoredEvent> => {
  const out = events.slice(0, from)
  for (let i = from; i < events.length; i++) {
    const event = events[i]!
    const previousHash = i === 0 ? GENESIS_HASH : out[i - 1]!.hash
    const fields = { ...event, previousHash }
    out.push({ ...fields, hash: hashEvent(fields) })
  }
  return out
}

const kinds = (events: ReadonlyArray<StoredEvent>, head?: { streamVersion: number; hash: string }) =>
  verifyChain(events, head).problems.map((p) => `${p.kind}@${p.streamVersion}`)

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    assert.strictEqual(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: "x" }], c: undefined } }), '{"a":{"d":[2,{"e":"x","f":1}]},"b":1}')
  })
})

describe("verifyChain", () => {
  it("accepts an untouched chain", () => {
    const report = verifyChain(chain(5))
    assert.isTrue(report.valid)
    assert.strictEqual(report.eventsChecked, 5)
  })

  it("reports a changed event where it was changed", () => {
    const events = chain(5)
    events[2] = { ...events[2]!, data: { note: "edited", n: 3 } }
    assert.deepStrictEqual(kinds(events), ["changed@3"])
  })

  it("reports an event altered with its hash recomputed at the link that breaks", () => {
    const events = chain(5)
    const fields = { ...events[2]!, data: { note: "edited", n: 3 } }
    events[2] = { ...fields, hash: hashEvent(fields) }
    assert.deepStrictEqual(kinds(events), ["changed@3"])
  })

  it("reports a removed event as a gap in versions", () => {
    const events = chain(5)
    events.splice(2, 1)
    assert.deepStrictEqual(kinds(events), ["removed@3"])
  })

  it("reports a removed event even when the rest was renumbered and rehashed", () => {
    const events = chain(5)
    events.splice(2, 1)
    const renumbered = events.map((e, i) => ({ ...e, streamVersion: i + 1 }))
    const forged = rehash(renumbered, 3)
    // event 3 (formerly 4) was rehashed with its own content, so the break shows at its link
    const report = verifyChain([...renumbered.slice(0, 3), ...forged.slice(3)])
    assert.isFalse(report.valid)
  })

  it("reports an inserted event", () => {
    const events = chain(4)
    const intruderFields = { ...events[1]!, eventId: "x", data: { note: "intruder" }, streamVersion: 3, previousHash: events[1]!.hash }
    const intruder = { ...intruderFields, hash: hashEvent(intruderFields) }
    const renumbered = [...events.slice(0, 2), intruder, ...events.slice(2).map((e) => ({ ...e, streamVersion: e.streamVersion + 1 }))]
    const problems = verifyChain(renumbered).problems
    assert.isTrue(problems.some((p) => p.kind === "inserted" && p.streamVersion === 3))
  })

  it("reports a duplicated version as inserted and a swap as reordered", () => {
    const events = chain(4)
    assert.include(kinds([...events.slice(0, 3), events[2]!, events[3]!]), "inserted@3")
    assert.include(kinds([events[0]!, events[2]!, events[1]!, events[3]!]), "reordered@2")
  })

  it("needs the recorded head to see a cut-off tail", () => {
    const events = chain(5)
    const head = { streamVersion: 5, hash: events[4]!.hash }
    assert.isTrue(verifyChain(events.slice(0, 3)).valid)
    assert.deepStrictEqual(kinds(events.slice(0, 3), head), ["removed@4"])
    assert.isTrue(verifyChain(events, head).valid)
  })

  it("detects every single tampering of a chain (property)", () => {
    const tamper = fc.oneof(
      fc.record({ op: fc.constant("edit" as const), at: fc.nat(), text: fc.string() }),
      fc.record({ op: fc.constant("edit-rehash" as const), at: fc.nat(), text: fc.string() }),
      fc.record({ op: fc.constant("remove" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("swap" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() })
    )
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), tamper, (n, t) => {
        const events = chain(n)
        const i = t.at % n
        const head = { streamVersion: n, hash: events[n - 1]!.hash }
        switch (t.op) {
          case "edit":
            events[i] = { ...events[i]!, data: { note: `x${t.text}`, n: -1 } }
            break
          case "edit-rehash": {
            const fields = { ...events[i]!, data: { note: `x${t.text}`, n: -1 } }
            events[i] = { ...fields, hash: hashEvent(fields) }
            break
          }
          case "remove":
            events.splice(i, 1)
            break
          case "swap": {
            const j = (i + 1) % n
            const a = events[i]!
            events[i] = events[j]!
            events[j] = a
            break
          }
          case "duplicate":
            events.splice(i, 0, events[i]!)
            break
        }
        return !verifyChain(events, head).valid
      })
    )
  })
})
