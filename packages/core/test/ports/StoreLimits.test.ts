/**
 * The store limits every adapter holds: UTF-8 lengths (counted without
 * Node's Buffer, and equal to it), the boundaries, portable text, and the
 * words of the refusals, which every adapter repeats.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as fc from "fast-check"
import {
  keyProblem,
  locationPlace,
  MAX_AREA_ID_BYTES,
  MAX_KEY_BYTES,
  MAX_TENANT_ID_BYTES,
  placeProblem,
  portableTextProblem,
  portableValueProblem,
  type StoredCall,
  storedCallProblem,
  tenantIdRefusal
} from "@community-policing/core"

describe("keyProblem", () => {
  it("counts UTF-8 bytes as Node does, for any well-formed text", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (text) => {
      const bytes = Buffer.byteLength(text, "utf8")
      const problem = keyProblem(text, 64)
      if (text.length === 0) return problem === "is empty"
      return bytes > 64 ? problem === `is ${bytes} bytes long, over the limit of 64 bytes` : problem === undefined
    }))
  })

  it("takes a key of exactly the limit and refuses one byte more, whatever the characters' widths", () => {
    for (const character of ["a", "é", "警", "𝕳"]) {
      const width = Buffer.byteLength(character, "utf8")
      const repeated = character.repeat(Math.floor(MAX_KEY_BYTES / width))
      const longest = repeated + "a".repeat(MAX_KEY_BYTES - Buffer.byteLength(repeated, "utf8"))
      assert.strictEqual(keyProblem(longest), undefined, character)
      assert.strictEqual(keyProblem(`${longest}a`), `is ${MAX_KEY_BYTES + 1} bytes long, over the limit of 1024 bytes`, character)
    }
  })

  it("refuses NUL and lone surrogates of both halves, and takes surrogate pairs", () => {
    assert.match(keyProblem("a\u0000b") ?? "", /NUL/)
    assert.match(keyProblem("a\ud800b") ?? "", /lone surrogate/)
    assert.match(keyProblem("\udc00") ?? "", /lone surrogate/)
    assert.match(keyProblem("\ud83d") ?? "", /lone surrogate/)
    assert.strictEqual(keyProblem("\ud83d\ude00"), undefined)
    assert.strictEqual(portableTextProblem("\ufffd"), undefined)
  })
})

describe("tenantIdRefusal", () => {
  it("refuses an empty, over-long or non-portable tenant id with InvalidStoreRequest naming the operation", () => {
    assert.deepStrictEqual(
      { ...tenantIdRefusal("EventStore.readAll", "") },
      { _tag: "InvalidStoreRequest", operation: "EventStore.readAll", reason: "tenantId is empty" }
    )
    assert.strictEqual(tenantIdRefusal("op", "t".repeat(MAX_TENANT_ID_BYTES + 1))?.reason, "tenantId is 257 bytes long, over the limit of 256 bytes")
    assert.strictEqual(tenantIdRefusal("op", 42 as unknown as string)?.reason, "tenantId must be a string, got number")
    assert.strictEqual(tenantIdRefusal("op", "t".repeat(MAX_TENANT_ID_BYTES)), undefined)
  })
})

describe("portableValueProblem", () => {
  it("names the path of the first string or key that is not portable", () => {
    assert.strictEqual(portableValueProblem({ a: [{ b: "ok" }, { c: "x\u0000" }] }, ""), "a[1].c contains a NUL character (U+0000), which no SQL store can keep")
    assert.match(portableValueProblem({ "k\ud800": 1 }, "root") ?? "", /^a key of root contains a lone surrogate/)
    assert.strictEqual(portableValueProblem({ when: DateTime.makeUnsafe(0), n: 1, b: true, z: null }, ""), undefined)
  })
})

const call = (): StoredCall => ({
  call: {
    sourceRecordId: "24-1",
    receivedAt: DateTime.makeUnsafe(0),
    channel: "911",
    callType: { code: "415", description: "DISTURBANCE" },
    location: { addressKey: "1 A ST", place: { addressKey: "1 A ST", landUse: { _tag: "unknown" }, districts: { beat: "3C" } } },
    domesticViolenceOrVictimization: false,
    medical: false,
    fireOrEms: false,
    callerIsVictim: false
  },
  dedupeKey: "id:cad:24-1",
  serviceDay: "1970-01-01",
  categories: [],
  source: "cad"
})

describe("storedCallProblem and placeProblem", () => {
  it("name the field and the reason", () => {
    assert.strictEqual(storedCallProblem(call()), undefined)
    assert.strictEqual(storedCallProblem({ ...call(), dedupeKey: "k".repeat(3_032) }), "dedupeKey is 3032 bytes long, over the limit of 1024 bytes")
    const beat = "b".repeat(MAX_AREA_ID_BYTES + 1)
    const base = call()
    const place = { ...locationPlace(base.call.location)!, districts: { beat } }
    assert.strictEqual(
      storedCallProblem({ ...base, call: { ...base.call, location: { addressKey: "1 A ST", place } } }),
      "call.location.place.districts.beat is 257 bytes long, over the limit of 256 bytes"
    )
    assert.strictEqual(
      storedCallProblem({ ...base, call: { ...base.call, disposition: "GONE\u0000" } }),
      "call.disposition contains a NUL character (U+0000), which no SQL store can keep"
    )
    assert.strictEqual(placeProblem(place), "districts.beat is 257 bytes long, over the limit of 256 bytes")
    assert.strictEqual(placeProblem({ ...place, districts: {}, parcelNumber: "\udc00" }), "parcelNumber contains a lone surrogate (malformed UTF-16), which no SQL store can keep")
  })
})
