/**
 * The commission's seats as configuration: how many, who appoints each one,
 * how long a term lasts, how many consecutive terms a member may serve,
 * when each seat's terms end (staggered terms), and whether an appointment
 * waits for the council's confirmation and the oath of office. Nothing
 * about seats is code: a city writes its ordinance here (Sacramento's
 * preset is `sacramentoCommissionSeats`).
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import { CalendarDate } from "../kernel/Holiday.ts"
import { distinctBy } from "../kernel/Identifier.ts"

/** A seat's id, e.g. `district-3` or `mayor-1`: stable across appointments. */
export const SeatId = Schema.NonEmptyString.check(Schema.isTrimmed())

/** A seat's id; see {@link SeatId}. */
export type SeatId = typeof SeatId.Type

/**
 * Who appoints (or, in Sacramento's words, recommends for appointment) the
 * member of a seat:
 *
 * - `mayor`: the mayor.
 * - `council-member`: the council member of one council district.
 * - `council`: the council as a whole (in Sacramento, on the Personnel and
 *   Public Employees Committee's recommendation; Sacramento City Code
 *   2.40.080(B) names these three "recommending authorities").
 */
export const Appointer = Schema.Union([
  Schema.TaggedStruct("mayor", {}),
  Schema.TaggedStruct("council-member", { district: Schema.NonEmptyString }),
  Schema.TaggedStruct("council", {})
])

/** Who appoints a seat's member; see {@link Appointer}. */
export type Appointer = typeof Appointer.Type

/** Whether two values name the same appointing authority. */
export const sameAppointer = (a: Appointer, b: Appointer): boolean =>
  a._tag === b._tag && (a._tag !== "council-member" || (b._tag === "council-member" && a.district === b.district))

/** An appointing authority in words, for messages: `the mayor`, `the council member of district 3`, `the council`. */
export const describeAppointer = (appointer: Appointer): string =>
  appointer._tag === "mayor"
    ? "the mayor"
    : appointer._tag === "council"
    ? "the council"
    : `the council member of district ${appointer.district}`

/**
 * One seat of the commission.
 *
 * `firstTermEnds` staggers the terms: the seat's terms end on that date and
 * every `termYears` years before and after it, so seats with different
 * dates never all fall vacant at once. A term ends at the end of its last
 * day in the jurisdiction's time zone.
 */
export const SeatDefinition = Schema.Struct({
  id: SeatId,
  appointer: Appointer,
  firstTermEnds: CalendarDate
})

/** One seat of the commission; see {@link SeatDefinition}. */
export type SeatDefinition = typeof SeatDefinition.Type

const positiveInt = Schema.Int.check(Schema.isGreaterThan(0))

/**
 * The seats of a commission and the rules of their terms.
 *
 * - `seats`: every seat the ordinance creates, each id once; their number
 *   is the full membership a quorum is counted from (Code Civ. Proc. 15).
 * - `termYears`: the length of a term.
 * - `maxConsecutiveTerms`: how many terms in a row a member may serve on
 *   the commission, whatever the seat (a partial term, filling a vacancy,
 *   counts as a term); absent, no limit.
 * - `confirmationRequired`: an appointment takes effect only once the
 *   council confirms it.
 * - `oathRequired`: an appointee sits only after taking the oath of office
 *   (California Constitution, art. XX, sec. 3: public officers take the oath
 *   before entering upon their duties).
 */
export const CommissionSeatSettings = Schema.Struct({
  seats: Schema.Array(SeatDefinition).check(Schema.isMinLength(1), distinctBy("id", "seat")),
  termYears: positiveInt,
  maxConsecutiveTerms: Schema.optionalKey(positiveInt),
  confirmationRequired: Schema.Boolean,
  oathRequired: Schema.Boolean
}).check(
  Schema.makeFilter((settings) => {
    const problems = settings.seats.flatMap((seat, index) =>
      seat.firstTermEnds.endsWith("-02-29")
        ? [{ path: ["seats", index, "firstTermEnds"], issue: "a term cannot end on 29 February, which most years lack" }]
        : []
    )
    return problems.length === 0 ? undefined : problems
  })
)

/** The seats and their term rules; see {@link CommissionSeatSettings}. */
export type CommissionSeatSettings = typeof CommissionSeatSettings.Type

/** One term of a seat: from the end of the previous term to the end of this one. */
export interface SeatTerm {
  /** When the term began: the instant the seat's previous term ended. */
  readonly begins: DateTime.Utc
  /** When the term ends: the end of its last day in the jurisdiction's zone. */
  readonly ends: DateTime.Utc
  /** Its last day, `YYYY-MM-DD`. */
  readonly lastDay: CalendarDate
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0")

// The instant a term whose last day is year-month-day ends: the first
// instant of the next day in the zone, which is right whatever the clock
// does that night (a daylight-saving change never falls at midnight in
// the zones that matter here, and the zone's own rules decide if it does).
const endOfLastDay = (year: number, month: number, day: number, timeZone: string): DateTime.Utc => {
  const next = new Date(Date.UTC(year, month - 1, day + 1))
  return DateTime.toUtc(
    DateTime.makeZonedUnsafe(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0, millisecond: 0 },
      { timeZone, adjustForTimeZone: true }
    )
  )
}

/**
 * The term of a seat that is running at `at`: the one whose last day is
 * the seat's `firstTermEnds` moved by a whole number of `termYears` years,
 * the first such day ending after `at`. `timeZone` is the jurisdiction's.
 *
 * @example
 * ```ts
 * // A 4-year seat whose first term ends 2026-06-30, asked in 2027:
 * seatTermAt({ id: "district-1", appointer, firstTermEnds: "2026-06-30" }, 4, "America/Los_Angeles", at2027)
 * // => the term 2026-07-01T07:00Z .. 2030-07-01T07:00Z, last day 2030-06-30
 * ```
 */
export const seatTermAt = (seat: SeatDefinition, termYears: number, timeZone: string, at: DateTime.Utc): SeatTerm => {
  const [year, month, day] = seat.firstTermEnds.split("-").map(Number) as [number, number, number]
  const endOf = (cycle: number): DateTime.Utc => endOfLastDay(year + cycle * termYears, month, day, timeZone)
  const atMillis = DateTime.toEpochMillis(at)
  // The cycle estimated from the years, then moved to the exact one.
  let cycle = Math.floor((DateTime.toParts(at).year - year) / termYears)
  while (DateTime.toEpochMillis(endOf(cycle)) <= atMillis) cycle++
  while (DateTime.toEpochMillis(endOf(cycle - 1)) > atMillis) cycle--
  const lastYear = year + cycle * termYears
  return { begins: endOf(cycle - 1), ends: endOf(cycle), lastDay: `${pad(lastYear, 4)}-${pad(month, 2)}-${pad(day, 2)}` }
}

/**
 * What in the seat settings does not fit the jurisdiction: a seat appointed
 * by the council member of a district the jurisdiction does not have. Empty
 * when they fit; check it when a city's configuration is loaded.
 *
 * @example
 * ```ts
 * seatSettingsProblems(sacramento, sacramentoCommissionSeats) // => []
 * ```
 */
export const seatSettingsProblems = (
  jurisdiction: { readonly councilDistricts: ReadonlyArray<{ readonly id: string }> },
  settings: CommissionSeatSettings
): ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }> => {
  const districts = jurisdiction.councilDistricts.map((district) => district.id)
  return settings.seats.flatMap((seat, index) =>
    seat.appointer._tag === "council-member" && !districts.includes(seat.appointer.district)
      ? [{
        path: ["seats", index, "appointer", "district"],
        message: `seat ${seat.id} is appointed by the council member of district ${seat.appointer.district}, ` +
          `which is not a council district of this jurisdiction (${districts.join(", ")})`
      }]
      : []
  )
}
