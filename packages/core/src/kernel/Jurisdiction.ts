/**
 * The jurisdiction: one city's configuration (its time zone, districts,
 * holidays and program settings), validated once when loaded, so that no
 * rule in the library depends on which city runs it.
 *
 * @module
 */
import { DateTime, Option, Result, Schema, SchemaIssue } from "effect"
import { CouncilDistrict, Neighborhood, PoliceDistrict } from "./Area.ts"
import { Holiday } from "./Holiday.ts"
import { distinctBy, Slug } from "./Identifier.ts"
import { ProgramSettings } from "./ProgramSettings.ts"

/**
 * An IANA time zone id the runtime knows, e.g. `"America/Los_Angeles"`. Local
 * dates (holidays, business days) and wall-clock times are read in it.
 */
export const TimeZoneId = Schema.String.check(
  Schema.makeFilter((zone) => Option.isSome(DateTime.zoneMakeNamed(zone)), {
    expected: "an IANA time zone id the runtime knows, e.g. America/Los_Angeles",
    // Random strings are almost never zones; generated test data draws from a few.
    arbitraryConstraint: {
      patterns: [{ source: "^(UTC|America/(Los_Angeles|Chicago|New_York)|Europe/London|Asia/Tokyo)$", flags: "" }]
    }
  })
)

// A beat id must be unique citywide, not just within its district: records
// often carry the beat alone.
const distinctBeatIds = Schema.makeFilter<ReadonlyArray<PoliceDistrict>>((districts) => {
  const seen = new Map<string, string>()
  return districts.flatMap((district, districtIndex) =>
    district.beats.flatMap((beat, beatIndex) => {
      const owner = seen.get(beat.id)
      if (owner === undefined) {
        seen.set(beat.id, district.id)
        return []
      }
      return [{
        path: [districtIndex, "beats", beatIndex, "id"],
        issue: `duplicate beat id "${beat.id}" (already in police district "${owner}")`
      }]
    })
  )
})

/**
 * A city's configuration. Every program reads its numbers from here;
 * `assumptions` lists what the configuration's author has not confirmed
 * (a preset's guessed holidays, an unverified seat count) so that a city
 * reviews them before relying on the configuration.
 */
export const Jurisdiction = Schema.Struct({
  id: Slug,
  name: Schema.NonEmptyString,
  timeZone: TimeZoneId,
  councilDistricts: Schema.Array(CouncilDistrict).check(distinctBy("id", "council district")),
  policeDistricts: Schema.Array(PoliceDistrict).check(distinctBy("id", "police district"), distinctBeatIds),
  neighborhoods: Schema.Array(Neighborhood).check(distinctBy("id", "neighborhood")),
  /** Days the city's offices are closed, skipped by business-day deadlines. */
  holidays: Schema.Array(Holiday).check(distinctBy("date", "holiday")),
  /**
   * Days the courts are closed besides weekends (the judicial holidays of
   * Code Civ. Proc. 135, which follows Gov. Code 6700): a statutory
   * period's last day moves past them to the next court day (Code Civ.
   * Proc. 12a). They differ from the city's: California courts close on
   * Lincoln Day (12 February) and Native American Day, which many city
   * calendars do not. Absent, `holidays` stands for them.
   */
  courtHolidays: Schema.optionalKey(Schema.Array(Holiday).check(distinctBy("date", "court holiday"))),
  programs: ProgramSettings,
  assumptions: Schema.Array(Schema.NonEmptyString)
})

/** A city's configuration; see {@link Jurisdiction}. */
export type Jurisdiction = typeof Jurisdiction.Type

/** One problem in a configuration: where it is (keys and list indexes from the root) and what is wrong. */
export const ConfigProblem = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  message: Schema.String
})

/** One problem in a configuration; see {@link ConfigProblem}. */
export type ConfigProblem = typeof ConfigProblem.Type

/** Writes a problem's path the way a person reads it, e.g. `policeDistricts[2].beats[0].id`. */
export const formatProblemPath = (path: ConfigProblem["path"]): string =>
  path.reduce<string>(
    (text, key) => typeof key === "number" ? `${text}[${key}]` : text === "" ? key : `${text}.${key}`,
    ""
  )

/**
 * A configuration was rejected. Lists every problem found, not just the
 * first, so a city can fix its file in one pass.
 */
export class InvalidJurisdiction extends Schema.TaggedError<InvalidJurisdiction>()("InvalidJurisdiction", {
  problems: Schema.NonEmptyArray(ConfigProblem)
}) {
  override get message(): string {
    const lines = this.problems.map((problem) => `${formatProblemPath(problem.path) || "(root)"}: ${problem.message}`)
    const count = this.problems.length === 1 ? "1 problem" : `${this.problems.length} problems`
    return `Invalid jurisdiction configuration (${count}):\n${lines.join("\n")}`
  }
}

const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

// Unknown keys are errors, not silently dropped: in a hand-written file they
// are typos ("boundry", "timezone") that would otherwise lose a setting.
const decodeJurisdiction = Schema.decodeUnknownResult(Jurisdiction, {
  errors: "all",
  onExcessProperty: "error",
  reportInput: true
})
const toProblems = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Checks an untrusted configuration (a parsed JSON or YAML file, a database
 * row) and returns it typed, or one {@link InvalidJurisdiction} listing every
 * problem: wrong shapes, unknown keys, unknown time zone, impossible holiday
 * dates, duplicate district, beat, neighborhood or holiday entries,
 * decreasing fine caps. A cross-field
 * check on a list or group runs once that part's own fields are well formed.
 */
export const validateJurisdiction = (input: unknown): Result.Result<Jurisdiction, InvalidJurisdiction> =>
  Result.mapError(decodeJurisdiction(input), (error) => {
    const [first, ...rest] = toProblems(error.issue).issues.map((issue) => ({
      path: (issue.path ?? []).map(pathKey),
      message: issue.message
    }))
    return new InvalidJurisdiction({
      problems: first === undefined ? [{ path: [], message: error.message }] : [first, ...rest]
    })
  })
