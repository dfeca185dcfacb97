import { assert, describe, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Effect, Result, Schema } from "effect"
import * as kernel from "../../src/kernel/index.ts"
import { sampleSchema } from "../sampleSchema.ts"

const exports: ReadonlyArray<readonly [string, unknown]> = Object.entries(kernel)
const schemas = exports.filter(
  (entry): entry is readonly [string, Schema.Codec<unknown, unknown, never, never>] => Schema.isSchema(entry[1])
)

describe("kernel schemas", () => {
  it("exports the kernel's schemas", () => {
    assert.includeMembers(schemas.map(([name]) => name), [
      "Jurisdiction",
      "Place",
      "CallForService",
      "StaffMember",
      "Deadline",
      "Period",
      "Boundary"
    ])
  })

  // Property tests elsewhere derive values from these schemas, so every one
  // must be able to generate valid values, not reject most random ones.
  for (const [name, schema] of schemas) {
    it.effect(`${name} generates valid values`, () =>
      Effect.gen(function*() {
        const values = yield* sampleSchema(schema, 50)
        const is = Schema.is(schema)
        for (const value of values) assert.isTrue(is(value))
      }))
  }

  // The JSON Schema derived from each schema must accept every value the
  // schema encodes, or vendors validating against it would reject valid data.
  for (const [name, schema] of schemas) {
    it.effect(`${name}: JSON-encoded values validate against its derived JSON Schema`, () =>
      Effect.gen(function*() {
        const document = Schema.toJsonSchemaDocument(schema, { includeAnnotationKey: (key) => key === "sensitivity" })
        const ajv = new Ajv2020({ strict: false, allErrors: true })
        ajv.addKeyword("sensitivity")
        const validate = ajv.compile({ ...document.schema, $defs: document.definitions })
        const encode = Schema.encodeUnknownSync(Schema.toCodecJson(schema))
        const values = yield* sampleSchema(schema, 20)
        for (const value of values) {
          const json = encode(value)
          assert.isTrue(validate(json), `${JSON.stringify(validate.errors)} for ${JSON.stringify(json)}`)
        }
      }))
  }

  it.effect("property: any generated jurisdiction survives JSON and validates to itself", () =>
    Effect.gen(function*() {
      const codec = Schema.toCodecJson(kernel.Jurisdiction)
      const configs = yield* sampleSchema(kernel.Jurisdiction, 25)
      for (const config of configs) {
        const text = JSON.stringify(Schema.encodeSync(codec)(config))
        const result = kernel.validateJurisdiction(JSON.parse(text))
        assert.isTrue(Result.isSuccess(result), Result.isFailure(result) ? result.failure.message : "")
        // Compared as JSON text: JSON has no -0, which generated numbers include.
        if (Result.isSuccess(result)) assert.strictEqual(JSON.stringify(Schema.encodeSync(codec)(result.success)), text)
      }
    }))
})
