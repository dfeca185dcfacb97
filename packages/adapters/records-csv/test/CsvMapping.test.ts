/**
 * Mappings are data: the presets and a JSON mapping for another city
 * validate, mistakes are listed with their place in the file, and the
 * published JSON Schema (what an editor checks a mapping with) accepts and
 * rejects what the decoder does.
 */
import {
  csvMappingJsonSchema,
  generatedPlacesMapping,
  genericMapping,
  placesMappingJsonSchema,
  sacramentoCadMapping,
  sacramentoCrimeReports2006Mapping,
  validateCsvMapping,
  validatePlacesMapping
} from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Result } from "effect"
import { readFileSync } from "node:fs"
import { fixture } from "./support/paths.ts"

const seattleMapping: unknown = JSON.parse(readFileSync(fixture("seattle-cad.mapping.json"), "utf8"))
const seattleCallDataMapping: unknown = JSON.parse(readFileSync(fixture("seattle-call-data.mapping.json"), "utf8"))
const dateAndTimeMapping: unknown = JSON.parse(readFileSync(fixture("date-and-time-columns.mapping.json"), "utf8"))

const problems = (input: unknown): ReadonlyArray<string> => {
  const result = validateCsvMapping(input)
  return Result.isFailure(result) ? result.failure.problems.map((problem) => `${problem.path.join(".")}: ${problem.message}`) : []
}

const presets = [
  sacramentoCrimeReports2006Mapping,
  sacramentoCadMapping,
  genericMapping({ source: "vendor-x", timeZone: "America/Chicago", codeTables: ["vendor-x"] }),
  seattleMapping,
  seattleCallDataMapping,
  dateAndTimeMapping
]

describe("validateCsvMapping", () => {
  it("accepts the presets and the Seattle mapping written as JSON", () => {
    for (const preset of presets) assert.deepStrictEqual(problems(preset), [])
    assert.isTrue(Result.isSuccess(validatePlacesMapping(generatedPlacesMapping)))
  })

  it("lists every mistake with where it is", () => {
    const found = problems({
      source: "Seattle CAD",
      codeTables: [],
      fields: {
        recievedAt: "Original Time Queued",
        receivedAt: { column: "Original Time Queued", format: "MM/DD/YYYY hh:mm:ss A", timeZone: "Pacific/Seattle" },
        channel: { column: "Call Type", values: { ONVIEW: "on-view" } },
        callTypeCode: "Initial Call Type",
        address: "",
        coordinates: { crs: "EPSG:4326", x: "X", y: "Y" }
      }
    })
    const expected = [
      /^source: .*lowercase hyphenated/,
      /^codeTables/,
      /^fields\.recievedAt: .*excess/,
      /^fields\.receivedAt\.format: "D" at position 4/,
      /^fields\.receivedAt\.timeZone: .*IANA time zone/,
      /^fields\.channel\.values\.ONVIEW: /,
      /^fields\.address: /,
      /^fields\.coordinates/
    ]
    for (const pattern of expected) assert.isTrue(found.some((problem) => pattern.test(problem)), `${pattern} in ${found.join("\n")}`)
  })

  it("reads a received time from a date column and a time column, each format giving only its half", () => {
    const withReceivedAt = (receivedAt: unknown) => ({
      ...(dateAndTimeMapping as Record<string, any>),
      fields: { ...(dateAndTimeMapping as Record<string, any>)["fields"], receivedAt }
    })
    const split = (date: string, time: string) =>
      withReceivedAt({ date: { column: "Date", format: date }, time: { column: "Time", format: time }, timeZone: "America/Chicago" })
    assert.deepStrictEqual(problems(split("MM/dd/yyyy", "h:mm a")), [])
    assert.deepStrictEqual(problems(split("yyyy-MM-dd", "HH:mm:ss.SSS")), [])
    const refused = (date: string, time: string, pattern: RegExp) => {
      const found = problems(split(date, time))
      assert.isTrue(found.some((problem) => pattern.test(problem)), `${pattern} in ${found.join("\n")}`)
    }
    refused("MM/dd/yyyy HH:mm", "HH:mm", /^fields\.receivedAt\.date\.format: a date column's format gives the date only/)
    refused("iso", "HH:mm", /^fields\.receivedAt\.date\.format: /)
    refused("MM/dd", "HH:mm", /^fields\.receivedAt\.date\.format: .*must give the year/)
    refused("MM/dd/yyyy", "MM HH:mm", /^fields\.receivedAt\.time\.format: a time column's format gives the time of day only/)
    refused("MM/dd/yyyy", "h:mm", /^fields\.receivedAt\.time\.format: .*needs AM\/PM/)
    refused("MM/dd/yyyy", "HH", /^fields\.receivedAt\.time\.format: .*an hour but no minutes/)
  })

  it("requires a default channel when no column says it", () => {
    const mapping = { ...sacramentoCrimeReports2006Mapping, fields: { ...sacramentoCrimeReports2006Mapping.fields, channel: {} } }
    assert.deepStrictEqual(problems(mapping), ["fields.channel.default: without a column, the default channel is required"])
  })

  it("needs a proj4 definition only for systems that are not built in", () => {
    const withCrs = (coordinates: unknown) => ({
      ...sacramentoCadMapping,
      fields: { ...sacramentoCadMapping.fields, coordinates }
    })
    assert.deepStrictEqual(problems(withCrs({ crs: "EPSG:2229", x: "X", y: "Y", proj4: "+proj=lcc" })), [])
    assert.isNotEmpty(problems(withCrs({ crs: "EPSG:4326", x: "X", y: "Y" })))
  })
})

describe("csvMappingJsonSchema", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  const validate = ajv.compile(csvMappingJsonSchema())

  it("is the schema file the fixtures' $schema points an editor at", () => {
    assert.deepStrictEqual(JSON.parse(readFileSync(fixture("csv-mapping.schema.json"), "utf8")), csvMappingJsonSchema())
  })

  it("accepts what the decoder accepts", () => {
    for (const preset of presets) assert.isTrue(validate(JSON.parse(JSON.stringify(preset))), ajv.errorsText(validate.errors))
  })

  it("rejects a misspelt key, an unknown channel, a moment-style format and an upper-case source", () => {
    const base = JSON.parse(JSON.stringify(seattleMapping)) as Record<string, any>
    const broken: ReadonlyArray<Record<string, any>> = [
      { ...base, fields: { ...base.fields, adress: "Hundred Block Location" } },
      { ...base, fields: { ...base.fields, channel: { column: "Call Type", default: "on-view" } } },
      { ...base, fields: { ...base.fields, receivedAt: { ...base.fields.receivedAt, format: "MM/DD/YYYY" } } },
      { ...base, source: "Seattle" }
    ]
    for (const mapping of broken) {
      assert.isFalse(validate(mapping), JSON.stringify(mapping))
      assert.isNotEmpty(problems(mapping))
    }
  })

  it("has a places counterpart that accepts the generated registry's mapping", () => {
    const places = ajv.compile(placesMappingJsonSchema())
    assert.isTrue(places(JSON.parse(JSON.stringify(generatedPlacesMapping))), ajv.errorsText(places.errors))
    assert.isFalse(places({ ...generatedPlacesMapping, fields: { ...generatedPlacesMapping.fields, landUse: { default: "house" } } }))
  })
})
