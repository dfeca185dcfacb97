import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Schema, SchemaAST } from "effect"
import * as core from "@community-policing/core"
import { confidential, personal, redact } from "@community-policing/core"
import { ComplaintEvent } from "./fixtures/Complaint.ts"
import { sampleSchema } from "../sampleSchema.ts"

class Victim extends Schema.Class<Victim>("Victim")({
  name: confidential(Schema.String),
  substituteAddress: Schema.String
}) {}

const Report = Schema.Struct({
  id: Schema.String,
  officer: personal(Schema.String),
  // a refined string keeps its annotations on its last check: a past bug
  badge: personal(Schema.NonEmptyString),
  victims: Schema.Array(Victim),
  contact: Schema.optionalKey(personal(Schema.String)),
  parties: Schema.Array(Schema.Union([
    Schema.TaggedStruct("Witness", { phone: personal(Schema.String) }),
    Schema.TaggedStruct("Business", { phone: Schema.String })
  ])),
  notes: Schema.Record(Schema.String, Schema.String),
  reportedAt: personal(Schema.DateTimeUtcFromString)
})

const report: typeof Report.Type = {
  id: "r1",
  officer: "Ofc. Smith",
  badge: "4471",
  victims: [new Victim({ name: "J. Doe", substituteAddress: "PO Box 846, Sacramento" })],
  contact: "916-555-0100",
  parties: [{ _tag: "Witness", phone: "916-555-0101" }, { _tag: "Business", phone: "916-555-0199" }],
  notes: { scene: "front lot" },
  reportedAt: DateTime.makeUnsafe(0)
}

describe("redact", () => {
  it("gives the public no personal or confidential field, at any depth", () => {
    assert.deepStrictEqual(redact(Report, report, "public"), {
      id: "r1",
      victims: [{ substituteAddress: "PO Box 846, Sacramento" }],
      parties: [{ _tag: "Witness" }, { _tag: "Business", phone: "916-555-0199" }],
      notes: { scene: "front lot" }
    })
  })

  it("gives the commission the public view", () => {
    assert.deepStrictEqual(redact(Report, report, "commission"), redact(Report, report, "public"))
  })

  it("gives staff personal but not confidential fields", () => {
    const view = redact(Report, report, "staff") as Record<string, unknown>
    assert.strictEqual(view.officer, "Ofc. Smith")
    assert.strictEqual(view.contact, "916-555-0100")
    assert.deepStrictEqual(view.victims, [{ substituteAddress: "PO Box 846, Sacramento" }])
  })

  it("gives a prosecutor everything, and a narrower clearance narrows it", () => {
    const full = redact(Report, report, "prosecutor") as Record<string, unknown>
    assert.deepStrictEqual(full.victims, [{ name: "J. Doe", substituteAddress: "PO Box 846, Sacramento" }])
    const narrowed = redact(Report, report, "prosecutor", { staff: [], prosecutor: ["personal"] }) as Record<string, unknown>
    assert.deepStrictEqual(narrowed.victims, [{ substituteAddress: "PO Box 846, Sacramento" }])
    assert.strictEqual(narrowed.officer, "Ofc. Smith")
  })
})

/**
 * Property names a schema marks sensitive anywhere, minus names it also uses
 * unmarked: a walk of the schema alone, independent of `redact`'s walk over values.
 */
const markedNames = (schema: Schema.Top): Set<string> => {
  const marked = new Set<string>()
  const plain = new Set<string>()
  const seen = new Set<SchemaAST.AST>()
  const visit = (ast: SchemaAST.AST): void => {
    if (seen.has(ast)) return
    seen.add(ast)
    ast.encoding?.forEach((link) => visit(link.to))
    switch (ast._tag) {
      case "Objects":
        for (const p of ast.propertySignatures) {
          const chain = [p.type, ...(p.type.encoding ?? []).map((l) => l.to)]
          ;(chain.some((n) => SchemaAST.resolve(n)?.sensitivity !== undefined) ? marked : plain).add(String(p.name))
          visit(p.type)
        }
        ast.indexSignatures.forEach((i) => visit(i.type))
        break
      case "Arrays":
        ;[...ast.elements, ...ast.rest].forEach(visit)
        break
      case "Union":
        ast.types.forEach(visit)
        break
      case "Declaration":
        ast.typeParameters.forEach(visit)
        break
      case "Suspend":
        visit(ast.thunk())
        break
    }
  }
  visit(schema.ast)
  for (const name of plain) marked.delete(name)
  return marked
}

const keysDeep = (json: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(json)) json.forEach((item) => keysDeep(item, into))
  else if (typeof json === "object" && json !== null) {
    for (const [key, value] of Object.entries(json)) {
      into.add(key)
      keysDeep(value, into)
    }
  }
  return into
}

// Every export of the root, and of each program namespace (`JusticeForNeighbors.CaseOpened`).
const isNamespace = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.prototype.toString.call(value) === "[object Module]"
const exported: ReadonlyArray<readonly [string, unknown]> = Object.entries(core).flatMap(
  ([name, value]): ReadonlyArray<readonly [string, unknown]> =>
    isNamespace(value) ? Object.entries(value).map(([member, inner]) => [`${name}.${member}`, inner]) : [[name, value]]
)
const coreSchemas = exported.filter(
  (entry): entry is readonly [string, Schema.Codec<unknown, unknown, never, never>] => Schema.isSchema(entry[1])
)

describe("public views never contain a marked field (property)", () => {
  it("covers the schemas that carry personal data", () => {
    const names = coreSchemas.map(([name]) => name)
    assert.include(names, "Actor")
    assert.include(names, "JusticeForNeighbors.NuisanceCaseEvent")
    assert.isTrue(coreSchemas.length >= 10, `only ${coreSchemas.length} schemas exported`)
  })

  for (const [name, schema] of [...coreSchemas, ["ComplaintEvent (fixture)", ComplaintEvent] as const, ["Report (fixture)", Report] as const]) {
    it.effect(`${name}`, () =>
      Effect.gen(function*() {
        const marked = markedNames(schema)
        const values = yield* sampleSchema(schema, 50)
        for (const value of values) {
          for (const audience of ["public", "commission"] as const) {
            const leaked = [...keysDeep(redact(schema, value, audience))].filter((key) => marked.has(key))
            assert.deepStrictEqual(leaked, [], `${name}: ${audience} view shows ${leaked.join(", ")}`)
          }
        }
      }))
  }
})
