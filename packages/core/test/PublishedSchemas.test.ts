import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Ajv2020 } from "ajv/dist/2020.js"
import { publishedSchemas, toJsonSchema } from "@community-policing/core"
import { sampleSchema } from "./sampleSchema.ts"

/**
 * The JSON Schema files are what vendors in other languages validate
 * against: every encoded value the SDK produces must pass them.
 */
describe("published JSON Schemas", () => {
  it("publishes the configuration, envelope and actor schemas", () => {
    for (const name of ["Jurisdiction", "StoredEvent", "Actor", "AccessRule", "CallForService"]) assert.property(publishedSchemas, name)
  })

  for (const [name, schema] of Object.entries(publishedSchemas)) {
    it.effect(`${name}: generated values, JSON-encoded, validate against the JSON Schema`, () =>
      Effect.gen(function*() {
        const document = toJsonSchema(schema)
        const ajv = new Ajv2020({ strict: false, allErrors: true })
        ajv.addKeyword("sensitivity")
        const validate = ajv.compile({ ...document.schema, $defs: document.definitions })
        const codec = schema as Schema.Codec<unknown, unknown, never, never>
        const encode = Schema.encodeUnknownSync(Schema.toCodecJson(codec))
        const values = yield* sampleSchema(codec, 30)
        for (const value of values) {
          const json = encode(value)
          assert.isTrue(validate(json), `${name}: ${JSON.stringify(validate.errors)} for ${JSON.stringify(json)}`)
        }
        assert.isFalse(validate(42), `${name} accepts a bare number`)
      }))
  }
})
