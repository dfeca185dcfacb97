/**
 * The seats' record and what it says at any instant: who holds each seat,
 * whether an appointee still waits for confirmation or the oath, and which
 * seats are vacant and why. A term ends on its date whether or not anyone
 * acts, so the status is derived at an instant ({@link seatStatusAt}), never
 * stored: no event is needed for a term to run out.
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import { personal } from "../kernel/Sensitivity.ts"
import { type CommissionMembership, MemberId } from "./Membership.ts"
import { Appointer, type CommissionSeatSettings, SeatId } from "./SeatsSettings.ts"

const Instant = Schema.DateTimeUtcFromString

/**
 * How an appointment ended before its term ran out: the member resigned,
 * was removed, the council declined to confirm, or the seat was declared
 * vacant for another cause (death, moving out of the district).
 */
export const AppointmentEnd = Schema.Literals(["resigned", "removed", "not-confirmed", "declared-vacant"])

/** How an appointment ended early; see {@link AppointmentEnd}. */
export type AppointmentEnd = typeof AppointmentEnd.Type

/**
 * One appointment to a seat, as the record keeps it. Whether it needed
 * confirmation and the oath is recorded when it is made, so a later change
 * of the settings never rewrites a past appointment.
 */
export const SeatAppointment = Schema.Struct({
  seat: SeatId,
  member: MemberId,
  /** The appointee's name, for rosters: personal data. */
  name: personal(Schema.NonEmptyString),
  appointer: Appointer,
  appointedAt: Instant,
  /** When the seat's term the appointment fills began and ends. */
  termBegins: Instant,
  termEnds: Instant,
  /** Which term in a row this is for the member on the commission, from 1. */
  consecutiveTerm: Schema.Int,
  confirmationRequired: Schema.Boolean,
  oathRequired: Schema.Boolean,
  confirmedAt: Schema.optionalKey(Instant),
  oathAt: Schema.optionalKey(Instant),
  endedAt: Schema.optionalKey(Instant),
  endedBy: Schema.optionalKey(AppointmentEnd)
})

/** One appointment to a seat; see {@link SeatAppointment}. */
export type SeatAppointment = typeof SeatAppointment.Type

/**
 * The seats' record: every appointment, oldest first. The seats themselves
 * are configuration (`CommissionSeatSettings`), not state.
 */
export const CommissionSeatsState = Schema.Struct({
  appointments: Schema.Array(SeatAppointment)
})

/** The seats' record; see {@link CommissionSeatsState}. */
export type CommissionSeatsState = typeof CommissionSeatsState.Type

/** Why a seat is vacant: never filled, its term ran out, or its appointment ended early. */
export const VacancyCause = Schema.Literals(["never-filled", "term-expired", ...AppointmentEnd.literals])

/** Why a seat is vacant; see {@link VacancyCause}. */
export type VacancyCause = typeof VacancyCause.Type

/**
 * A seat at one instant.
 *
 * - `vacant`: nobody holds it; `since` is absent for a seat never filled.
 * - `awaiting-confirmation`: appointed, the council has not confirmed yet.
 * - `awaiting-oath`: appointed (and confirmed if needed), the oath not taken.
 * - `seated`: the member sits, until `termEnds` unless something ends it earlier.
 */
export type SeatStatus =
  | { readonly _tag: "vacant"; readonly seat: string; readonly cause: VacancyCause; readonly since?: DateTime.Utc | undefined }
  | { readonly _tag: "awaiting-confirmation"; readonly seat: string; readonly appointment: SeatAppointment }
  | { readonly _tag: "awaiting-oath"; readonly seat: string; readonly appointment: SeatAppointment }
  | { readonly _tag: "seated"; readonly seat: string; readonly appointment: SeatAppointment }

const millis = DateTime.toEpochMillis
const atOrBefore = (instant: DateTime.Utc | undefined, at: DateTime.Utc): instant is DateTime.Utc =>
  instant !== undefined && millis(instant) <= millis(at)

/** The latest appointment to `seat` made at or before `at`. */
export const appointmentAt = (state: CommissionSeatsState, seat: string, at: DateTime.Utc): SeatAppointment | undefined => {
  for (let index = state.appointments.length - 1; index >= 0; index--) {
    const appointment = state.appointments[index]
    if (appointment !== undefined && appointment.seat === seat && atOrBefore(appointment.appointedAt, at)) return appointment
  }
  return undefined
}

/**
 * The status of one seat at an instant, from the record alone: a term that
 * ran out leaves the seat vacant (`term-expired`) from its last instant,
 * although no event says so.
 *
 * @example
 * ```ts
 * seatStatusAt(state, "district-3", DateTime.makeUnsafe("2027-01-15T18:00:00Z"))
 * // => { _tag: "seated", seat: "district-3", appointment: { member: "m-0412", ... } }
 * ```
 */
export const seatStatusAt = (state: CommissionSeatsState, seat: string, at: DateTime.Utc): SeatStatus => {
  const appointment = appointmentAt(state, seat, at)
  if (appointment === undefined) return { _tag: "vacant", seat, cause: "never-filled" }
  if (atOrBefore(appointment.endedAt, at) && appointment.endedBy !== undefined) {
    // An appointment ended by an act after its term ran out is vacant since the term ended.
    return millis(appointment.termEnds) < millis(appointment.endedAt)
      ? { _tag: "vacant", seat, cause: "term-expired", since: appointment.termEnds }
      : { _tag: "vacant", seat, cause: appointment.endedBy, since: appointment.endedAt }
  }
  if (millis(appointment.termEnds) <= millis(at)) return { _tag: "vacant", seat, cause: "term-expired", since: appointment.termEnds }
  if (appointment.confirmationRequired && !atOrBefore(appointment.confirmedAt, at)) {
    return { _tag: "awaiting-confirmation", seat, appointment }
  }
  if (appointment.oathRequired && !atOrBefore(appointment.oathAt, at)) return { _tag: "awaiting-oath", seat, appointment }
  return { _tag: "seated", seat, appointment }
}

/** Every configured seat's status at an instant, in configuration order. */
export const seatsAt = (
  settings: CommissionSeatSettings,
  state: CommissionSeatsState,
  at: DateTime.Utc
): ReadonlyArray<SeatStatus> => settings.seats.map((seat) => seatStatusAt(state, seat.id, at))

/** The member holding a seat (seated or still waiting for confirmation or the oath), if any. */
export const holderOf = (status: SeatStatus): SeatAppointment | undefined =>
  status._tag === "vacant" ? undefined : status.appointment

/**
 * The commission's membership at an instant, as a meeting records it when
 * it opens: every configured seat counts in the full membership, vacant or
 * not (Code Civ. Proc. 15), and only members who sit (confirmed and sworn
 * where the settings require it) are seated.
 *
 * @example
 * ```ts
 * const membership = membershipAt(sacramentoCommissionSeats, state, meetingStart)
 * quorumOf({ _tag: "majority-of-full-membership" }, membership) // 6 of 11 seats
 * ```
 */
export const membershipAt = (
  settings: CommissionSeatSettings,
  state: CommissionSeatsState,
  at: DateTime.Utc
): CommissionMembership => ({
  fullMembership: settings.seats.length,
  seated: seatsAt(settings, state, at).flatMap((status) => status._tag === "seated" ? [{ member: status.appointment.member }] : [])
})
