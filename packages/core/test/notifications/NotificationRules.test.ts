/**
 * Notification rules as data: the filter language, the text templates,
 * and validation, whose every refusal names the rule and the field; a
 * rules file validated with ajv against the published JSON Schema.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { Ajv2020 } from "ajv/dist/2020.js"
import {
  fillFieldTemplate,
  meetsFilter,
  parseFieldTemplate,
  publishedSchemas,
  toJsonSchema,
  validateNotificationRules
} from "@community-policing/core"
import {
  justiceForNeighborsEventCatalogs,
  justiceForNeighborsNotificationKinds,
  justiceForNeighborsNotificationRules
} from "@community-policing/core/justice-for-neighbors"

const preset = justiceForNeighborsNotificationRules({
  teamRoles: ["code-enforcement-officer", "sergeant"],
  assignee: "code-enforcement-officer",
  supervisor: "sergeant",
  leadDays: 3,
  digestAt: "07:30"
})
const catalogs = justiceForNeighborsEventCatalogs
const templateIds = justiceForNeighborsNotificationKinds.map((kind) => kind.kind)

/** The preset as a file would hold it: plain JSON. */
const asFile = (): any => JSON.parse(JSON.stringify(preset))

const problemsOf = (input: unknown) => {
  const result = validateNotificationRules(input, { catalogs, templateIds })
  return Result.isFailure(result) ? result.failure.problems : []
}

describe("the filter language: equals, in, exists on named fields", () => {
  const event = { document: { kind: "notice-of-violation", personServed: { capacity: "owner", mailingAddress: null } }, amount: 0 }

  it("equals compares the value at the path", () => {
    assert.isTrue(meetsFilter(event, [{ field: "document.personServed.capacity", equals: "owner" }]))
    assert.isFalse(meetsFilter(event, [{ field: "document.personServed.capacity", equals: "agent" }]))
    assert.isTrue(meetsFilter(event, [{ field: "amount", equals: 0 }]))
    assert.isFalse(meetsFilter(event, [{ field: "amount", equals: "0" }]))
  })

  it("in accepts any listed value, exists tests presence (null counts as absent), and all conditions must hold", () => {
    assert.isTrue(meetsFilter(event, [{ field: "document.kind", in: ["hearing-notice", "notice-of-violation"] }]))
    assert.isFalse(meetsFilter(event, [{ field: "document.kind", in: ["hearing-notice"] }]))
    assert.isTrue(meetsFilter(event, [{ field: "document.personServed", exists: true }]))
    assert.isTrue(meetsFilter(event, [{ field: "document.personServed.mailingAddress", exists: false }]))
    assert.isTrue(meetsFilter(event, [{ field: "document.nothing.here", exists: false }]))
    assert.isFalse(meetsFilter(event, [{ field: "document.kind", equals: "notice-of-violation" }, { field: "amount", exists: false }]))
    assert.isTrue(meetsFilter(event, []))
  })
})

describe("text templates over an event's fields", () => {
  const context = { timeZone: "America/Los_Angeles", locale: "en-US" }

  it("fills slots, with formats in the jurisdiction's zone and the recipient's language", () => {
    const json = { caseId: "2026-1", deadline: { due: "2026-04-01T06:59:59.000Z" }, amount: 1300 }
    assert.strictEqual(fillFieldTemplate("{caseId}/{ deadline.due |date}", json, context), "2026-1/March 31, 2026")
    assert.strictEqual(fillFieldTemplate("{deadline.due|date}", json, { ...context, locale: "es" }), "31 de marzo de 2026")
    assert.strictEqual(fillFieldTemplate("{amount|dollars}", json, context), "$1,300.00")
  })

  it("leaves the whole value out when a field is missing, never half of it", () => {
    assert.isUndefined(fillFieldTemplate("Dear {ownerName}", { caseId: "1" }, context))
    assert.isUndefined(fillFieldTemplate("{caseId|dollars}", { caseId: "1" }, context))
  })

  it("refuses malformed slots", () => {
    assert.isTrue(Result.isFailure(parseFieldTemplate("{case id}")))
    assert.isTrue(Result.isFailure(parseFieldTemplate("{caseId|upper}")))
    assert.isTrue(Result.isFailure(parseFieldTemplate("a { stray")))
    assert.isTrue(Result.isSuccess(parseFieldTemplate("no slots at all")))
  })
})

describe("validating a rules file", () => {
  it("accepts the Justice for Neighbors preset, as a value and as JSON", () => {
    assert.deepStrictEqual(problemsOf(preset), [])
    assert.deepStrictEqual(problemsOf(asFile()), [])
  })

  it("names the rule and the field of every problem", () => {
    const file = asFile()
    file.rules[0].on.eventType = "NoticeMailed"
    file.rules[1].template = "lien-letter"
    file.rules[2].on.streamType = "parking-ticket"
    file.rules[3].cancelOn[0].eventType = "DeadlineMet"
    file.rules[4].name = file.rules[3].name
    const problems = problemsOf(file)
    assert.deepStrictEqual(problems.map((p) => `${p.rule} ${p.field}`), [
      "notice-served on.eventType",
      "lien-notice-served template",
      "case-opened on.streamType",
      "deadline-near cancelOn.0.eventType",
      "deadline-near name"
    ])
  })

  it("refuses wrong shapes, unknown keys and malformed templates, naming the rule by name (or index) and the field", () => {
    const file = asFile()
    file.rules[0].values.ownerName = "{document.personServed name}"
    file.rules[1].recipients[0].personID = "x"
    file.rules[3].daysBefore = -1
    delete file.rules[4].name
    file.rules[4].at = "7:30"
    const problems = problemsOf(file)
    const where = problems.map((p) => `${p.rule} ${p.field}`)
    assert.include(where, "notice-served values.ownerName")
    assert.include(where, "lien-notice-served recipients.0.personID")
    assert.include(where, "deadline-near daysBefore")
    assert.include(where, "#4 name")
    assert.include(where, "#4 at")
  })

  it("validates with ajv against the published JSON Schema, which refuses what validation refuses", () => {
    const document = toJsonSchema(publishedSchemas["NotificationRules"]!)
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    ajv.addKeyword("sensitivity")
    const validate = ajv.compile({ ...document.schema, $defs: document.definitions })
    assert.isTrue(validate(asFile()), JSON.stringify(validate.errors))
    const wrong = asFile()
    wrong.rules[4].at = "25:00"
    assert.isFalse(validate(wrong))
    const unknownTag = asFile()
    unknownTag.rules[0]._tag = "OnTuesday"
    assert.isFalse(validate(unknownTag))
  })
})
