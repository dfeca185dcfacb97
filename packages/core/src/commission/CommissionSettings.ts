/**
 * The commission program's settings, one slice per part of the program:
 * the seats and the attendance rule here; the meetings' and the
 * recommendations' slices join them as those parts land. Every number,
 * period and list is a setting; `CommissionPresets` holds Sacramento's.
 *
 * @module
 */
import { Result, Schema, SchemaIssue } from "effect"
import { ConfigProblem, formatProblemPath } from "../kernel/Jurisdiction.ts"
import { AttendanceSettings } from "./AttendanceSettings.ts"
import { CommissionSeatSettings } from "./SeatsSettings.ts"

/**
 * The commission program's settings.
 *
 * - `commission`: the commission's id in stream ids (`commission-seats/<id>`).
 * - `seats`: the seats, appointers and terms ({@link CommissionSeatSettings}).
 * - `attendance`: the absences rule ({@link AttendanceSettings}).
 */
export const CommissionProgramSettings = Schema.Struct({
  commission: Schema.NonEmptyString.check(Schema.isTrimmed()),
  seats: CommissionSeatSettings,
  attendance: AttendanceSettings
})

/** The commission program's settings; see {@link CommissionProgramSettings}. */
export type CommissionProgramSettings = typeof CommissionProgramSettings.Type

/** Commission settings were rejected; lists every problem found, each with where it is. */
export class InvalidCommissionSettings extends Schema.TaggedError<InvalidCommissionSettings>()("InvalidCommissionSettings", {
  problems: Schema.NonEmptyArray(ConfigProblem)
}) {
  override get message(): string {
    return `Invalid commission settings:\n${
      this.problems.map((problem) => `${formatProblemPath(problem.path) || "(root)"}: ${problem.message}`).join("\n")
    }`
  }
}

const decodeSettings = Schema.decodeUnknownResult(CommissionProgramSettings, { errors: "all", onExcessProperty: "error" })
const toProblems = SchemaIssue.makeFormatterStandardSchemaV1()
const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

/**
 * Checks untrusted commission settings (a parsed file, a database row):
 * every problem at once, unknown keys refused, so a typo never drops a
 * setting.
 */
export const validateCommissionSettings = (input: unknown): Result.Result<CommissionProgramSettings, InvalidCommissionSettings> =>
  Result.mapError(decodeSettings(input), (error) => {
    const [first, ...rest] = toProblems(error.issue).issues.map((issue) => ({
      path: (issue.path ?? []).map(pathKey),
      message: issue.message
    }))
    return new InvalidCommissionSettings({ problems: first === undefined ? [{ path: [], message: error.message }] : [first, ...rest] })
  })
