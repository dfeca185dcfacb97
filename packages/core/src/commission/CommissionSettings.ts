/**
 * The commission program's settings, one slice per part of the program:
 * the seats and the attendance rule here; the meetings' and the
 * recommendations' slices join them as those parts land. Every number,
 * period and list is a setting; `CommissionPresets` holds Sacramento's.
 *
 * @module
 */
import { Schema } from "effect"
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

const decodeSettings = Schema.decodeUnknownResult(CommissionProgramSettings, { errors: "all", onExcessProperty: "error" })

/**
 * Checks untrusted commission settings (a parsed file, a database row):
 * every problem at once, unknown keys refused, so a typo never drops a
 * setting.
 */
export const validateCommissionSettings = decodeSettings
