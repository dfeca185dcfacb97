import { assert, describe, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { DateTime, Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  type CallForService,
  CallForService as CallForServiceSchema,
  locationAddressKey,
  locationDistricts,
  locationPlace,
  protectedCallReasons,
  sensitivityOf
} from "../../src/kernel/index.ts"

/** A call as an importer would hand it over: JSON, the time as an ISO string. */
const ordinaryCallJson = {
  sourceRecordId: "24-118392",
  receivedAt: "2024-03-02T06:14:00.000Z",
  channel: "911",
  callType: { code: "415", description: "DISTURBANCE-CLARIFY" },
  location: {
    addressKey: "3555 AUBURN BLVD",
    place: {
      addressKey: "3555 AUBURN BLVD",
      landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 40 },
      districts: { policeDistrict: "2", beat: "2B" }
    }
  },
  domesticViolenceOrVictimization: false,
  medical: false,
  fireOrEms: false,
  callerIsVictim: false
}

const codec = Schema.toCodecJson(CallForServiceSchema)
const ordinaryCall: CallForService = Schema.decodeUnknownSync(codec)(ordinaryCallJson)

describe("protectedCallReasons", () => {
  it("given an ordinary disturbance call, returns no reason: it may count", () => {
    assert.deepStrictEqual(protectedCallReasons(ordinaryCall), [])
  })

  it("given a domestic violence call, cites Gov. Code 53165 and 34 U.S.C. 12495", () => {
    const reasons = protectedCallReasons({ ...ordinaryCall, domesticViolenceOrVictimization: true })
    assert.deepStrictEqual(reasons.map((r) => r.reason), ["domestic-violence-or-victimization"])
    assert.include(reasons[0]?.source, "Gov. Code 53165")
    assert.include(reasons[0]?.source, "34 U.S.C. 12495")
  })

  it("given a medical emergency, a fire/EMS call and a call by the victim, gives one reason each, each with its source", () => {
    for (
      const [flag, reason] of [
        ["medical", "medical-emergency"],
        ["fireOrEms", "fire-or-ems"],
        ["callerIsVictim", "caller-is-victim"]
      ] as const
    ) {
      const reasons = protectedCallReasons({ ...ordinaryCall, [flag]: true })
      assert.deepStrictEqual(reasons.map((r) => r.reason), [reason])
      assert.include(reasons[0]?.source, "Gov. Code 53165")
    }
  })

  it("property: there is exactly one reason per protection flag set", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (victimization, medical, fire, victim) => {
        const reasons = protectedCallReasons({
          domesticViolenceOrVictimization: victimization,
          medical,
          fireOrEms: fire,
          callerIsVictim: victim
        })
        const flagsSet = [victimization, medical, fire, victim].filter(Boolean).length
        return reasons.length === flagsSet && new Set(reasons.map((r) => r.reason)).size === flagsSet &&
          reasons.every((r) => r.source.includes("53165") && r.source.includes("12495"))
      })
    )
  })
})

describe("CallForService schema", () => {
  it("reads the received time from an ISO string and writes it back the same", () => {
    assert.isTrue(DateTime.Equivalence(ordinaryCall.receivedAt, DateTime.makeUnsafe("2024-03-02T06:14:00Z")))
    assert.deepStrictEqual(JSON.parse(JSON.stringify(Schema.encodeSync(codec)(ordinaryCall))), ordinaryCallJson)
  })

  it("rejects a place whose address key differs from the call's", () => {
    const mismatched = {
      ...ordinaryCallJson,
      location: { ...ordinaryCallJson.location, addressKey: "1689 ARDEN WAY" }
    }
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(codec)(mismatched)))
  })

  it("rejects an unknown channel and a time that is not a date", () => {
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(codec)({ ...ordinaryCallJson, channel: "radio" })))
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(codec)({ ...ordinaryCallJson, receivedAt: "yesterday" })))
  })

  it("reads a call without an address: in its areas, at no place, and valid against the published JSON Schema", () => {
    const unaddressedJson = { ...ordinaryCallJson, location: { addressUnknown: "blank", districts: { beat: "2B" } } }
    const call = Schema.decodeUnknownSync(codec)(unaddressedJson)
    assert.isUndefined(locationAddressKey(call.location))
    assert.isUndefined(locationPlace(call.location))
    assert.deepStrictEqual(locationDistricts(call.location), { beat: "2B" })
    assert.deepStrictEqual(locationAddressKey(ordinaryCall.location), "3555 AUBURN BLVD")
    assert.deepStrictEqual(locationDistricts(ordinaryCall.location), { policeDistrict: "2", beat: "2B" })
    assert.deepStrictEqual(JSON.parse(JSON.stringify(Schema.encodeSync(codec)(call))), unaddressedJson)
    const document = Schema.toJsonSchemaDocument(CallForServiceSchema, { includeAnnotationKey: (key) => key === "sensitivity" })
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    ajv.addKeyword("sensitivity")
    const validate = ajv.compile({ ...document.schema, $defs: document.definitions })
    assert.isTrue(validate(unaddressedJson), JSON.stringify(validate.errors))
    assert.isTrue(validate(ordinaryCallJson), JSON.stringify(validate.errors))
    // Neither an address nor a reason for its absence: not a location.
    const neither = { ...ordinaryCallJson, location: { districts: { beat: "2B" } } }
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(codec)(neither)))
    assert.isFalse(validate(neither))
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(codec)({ ...unaddressedJson, location: { addressUnknown: "lost", districts: {} } })))
  })

  it("marks the location personal and the victim flags confidential", () => {
    const { fields } = CallForServiceSchema
    assert.strictEqual(sensitivityOf(fields.location), "personal")
    assert.strictEqual(sensitivityOf(fields.domesticViolenceOrVictimization), "confidential")
    assert.strictEqual(sensitivityOf(fields.callerIsVictim), "confidential")
    assert.strictEqual(sensitivityOf(fields.medical), "personal")
    assert.strictEqual(sensitivityOf(fields.channel), undefined)
  })
})
