/**
 * The commission's seats as one aggregate: appointment, confirmation, oath,
 * resignation, removal and vacancy, for every seat of one commission.
 *
 * Why one aggregate per commission and not one per seat: two rules cross
 * seats. A member holds one seat at a time (a member moving from a district
 * seat to a mayoral seat must leave the first), and term limits count a
 * member's consecutive terms on the commission whatever the seat. Both are
 * kept by the decider only if every seat's appointments are in one stream.
 * A commission has about a dozen seats and a few appointments a year, so
 * the stream stays short.
 *
 * A term ends on its date whether or not anyone acts: the status of a seat
 * is derived at an instant (`seatStatusAt`), and an appointment to a seat
 * whose term ran out needs no "term expired" event first.
 *
 * Sources: the seats, their appointers and terms are the city's ordinance
 * (Sacramento City Code 2.100.040, amended 25 Feb 2025: unverified, hence
 * configuration); the oath is the California Constitution, art. XX, sec. 3;
 * removal for absences is Sacramento City Code 2.40.080 and Charter sec. 232
 * (see `AttendanceReview`, which never removes anyone by itself).
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import type { AccessRule } from "../engine/AccessPolicy.ts"
import type { Aggregate, Decider } from "../engine/Decider.ts"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import { commandAction } from "../engine/Guards.ts"
import { streamId, streamIdPrefix } from "../engine/StreamId.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import type { Role } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { MemberId } from "./Membership.ts"
import {
  Appointer,
  type CommissionSeatSettings,
  describeAppointer,
  sameAppointer,
  type SeatDefinition,
  SeatId,
  seatTermAt
} from "./SeatsSettings.ts"
import {
  CommissionSeatsState,
  holderOf,
  type SeatAppointment,
  type SeatStatus,
  seatStatusAt
} from "./SeatsStatus.ts"

const Instant = Schema.DateTimeUtcFromString
const CommissionId = Schema.NonEmptyString.check(Schema.isTrimmed())
const Text = Schema.NonEmptyString.check(Schema.isTrimmed())

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/**
 * A member was appointed to a seat, by the seat's appointer, for the seat's
 * term running at that instant (a vacancy is filled for the rest of the
 * term). Records which term in a row it is for the member, and whether
 * confirmation and the oath are needed before the member sits.
 */
export const MemberAppointed = Schema.TaggedStruct("MemberAppointed", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  name: personal(Schema.NonEmptyString),
  appointer: Appointer,
  termBegins: Instant,
  termEnds: Instant,
  consecutiveTerm: Schema.Int,
  confirmationRequired: Schema.Boolean,
  oathRequired: Schema.Boolean,
  at: Instant
})

/** The council confirmed an appointment; `decision` names its action (a resolution, a minute order). */
export const AppointmentConfirmed = Schema.TaggedStruct("AppointmentConfirmed", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  decision: Text,
  at: Instant
})

/** The council declined to confirm an appointment: the seat is vacant again. */
export const AppointmentNotConfirmed = Schema.TaggedStruct("AppointmentNotConfirmed", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  decision: Text,
  at: Instant
})

/** The appointee took the oath of office (California Constitution, art. XX, sec. 3). */
export const OathTaken = Schema.TaggedStruct("OathTaken", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  at: Instant
})

/** The member resigned: the seat is vacant from that instant. */
export const MemberResigned = Schema.TaggedStruct("MemberResigned", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  at: Instant
})

/**
 * The member was removed from office by the decision named (for example a
 * council resolution under Sacramento Charter sec. 232, after an
 * attendance review). The reason is about a person: personal data.
 */
export const MemberRemoved = Schema.TaggedStruct("MemberRemoved", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  reason: personal(Text),
  decision: Text,
  at: Instant
})

/** The seat was declared vacant for another cause (death, moving out of the district); the cause is personal data. */
export const SeatDeclaredVacant = Schema.TaggedStruct("SeatDeclaredVacant", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  cause: personal(Text),
  at: Instant
})

/** Every event of a commission's seats. */
export const CommissionSeatsEvent = Schema.Union([
  MemberAppointed,
  AppointmentConfirmed,
  AppointmentNotConfirmed,
  OathTaken,
  MemberResigned,
  MemberRemoved,
  SeatDeclaredVacant
])

/** An event of a commission's seats; see {@link CommissionSeatsEvent}. */
export type CommissionSeatsEvent = typeof CommissionSeatsEvent.Type

/** The seats' events and their schema versions (all at version 1). */
export const commissionSeatsEvents = makeEventCatalog(CommissionSeatsEvent)

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** Appoint a member to a vacant seat; `appointer` is the authority making it, checked against the seat's. */
export const AppointMember = Schema.TaggedStruct("AppointMember", {
  commission: CommissionId,
  seat: SeatId,
  member: MemberId,
  name: personal(Text),
  appointer: Appointer
})

/** Record the council's decision on an appointment awaiting confirmation. */
export const RecordConfirmation = Schema.TaggedStruct("RecordConfirmation", {
  commission: CommissionId,
  member: MemberId,
  outcome: Schema.Literals(["confirmed", "not-confirmed"]),
  decision: Text
})

/** Record that an appointee took the oath of office. */
export const RecordOath = Schema.TaggedStruct("RecordOath", {
  commission: CommissionId,
  member: MemberId
})

/** Record a member's resignation. */
export const RecordResignation = Schema.TaggedStruct("RecordResignation", {
  commission: CommissionId,
  member: MemberId
})

/** Record a member's removal from office, with its reason and the decision that removed them. */
export const RemoveMember = Schema.TaggedStruct("RemoveMember", {
  commission: CommissionId,
  member: MemberId,
  reason: personal(Text),
  decision: Text
})

/** Declare a member's seat vacant for another cause (death, no longer qualified). */
export const DeclareSeatVacant = Schema.TaggedStruct("DeclareSeatVacant", {
  commission: CommissionId,
  member: MemberId,
  cause: personal(Text)
})

/** Every command of a commission's seats. */
export const CommissionSeatsCommand = Schema.Union([
  AppointMember,
  RecordConfirmation,
  RecordOath,
  RecordResignation,
  RemoveMember,
  DeclareSeatVacant
])

/** A command of a commission's seats; see {@link CommissionSeatsCommand}. */
export type CommissionSeatsCommand = typeof CommissionSeatsCommand.Type

// ---------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------

/** The commission has no such seat (`CommissionSeatSettings.seats`); lists the ones it has. */
export class UnknownSeat extends Schema.TaggedError<UnknownSeat>()("UnknownSeat", {
  rule: Schema.tag("configured-seats-only"),
  seat: Schema.String,
  seats: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `the commission has no seat "${this.seat}" (seats: ${this.seats.join(", ")})`
  }
}

/** Only the seat's own appointer (the ordinance's, in `CommissionSeatSettings.seats[].appointer`) appoints to it. */
export class WrongAppointer extends Schema.TaggedError<WrongAppointer>()("WrongAppointer", {
  rule: Schema.tag("seat-appointer"),
  seat: Schema.String,
  appointer: Appointer,
  seatAppointer: Appointer
}) {
  override get message(): string {
    return `seat ${this.seat} is appointed by ${describeAppointer(this.seatAppointer)}, not ${describeAppointer(this.appointer)}`
  }
}

/** The seat is held (or its appointee awaits confirmation or the oath): one member per seat. */
export class SeatNotVacant extends Schema.TaggedError<SeatNotVacant>()("SeatNotVacant", {
  rule: Schema.tag("one-member-per-seat"),
  seat: Schema.String,
  holder: Schema.String,
  termEnds: Instant
}) {
  override get message(): string {
    return `seat ${this.seat} is held by ${this.holder} until ${DateTime.formatIso(this.termEnds)}`
  }
}

/** The member already holds a seat on the commission: one seat per member. */
export class MemberHoldsSeat extends Schema.TaggedError<MemberHoldsSeat>()("MemberHoldsSeat", {
  rule: Schema.tag("one-seat-per-member"),
  member: Schema.String,
  seat: Schema.String
}) {
  override get message(): string {
    return `${this.member} already holds seat ${this.seat}`
  }
}

/** The appointment would exceed the consecutive terms the ordinance allows (`CommissionSeatSettings.maxConsecutiveTerms`). */
export class TermLimitReached extends Schema.TaggedError<TermLimitReached>()("TermLimitReached", {
  rule: Schema.tag("term-limit"),
  member: Schema.String,
  consecutiveTerm: Schema.Int,
  maxConsecutiveTerms: Schema.Int
}) {
  override get message(): string {
    return `${this.member} would serve a ${this.consecutiveTerm}th consecutive term; the limit is ${this.maxConsecutiveTerms} ` +
      "(maxConsecutiveTerms)"
  }
}

/** The member holds no seat on the commission at this instant (a term that ran out ended it). */
export class NotAMember extends Schema.TaggedError<NotAMember>()("NotAMember", {
  rule: Schema.tag("members-only"),
  command: Schema.String,
  member: Schema.String
}) {
  override get message(): string {
    return `${this.command}: ${this.member} holds no seat on the commission`
  }
}

/**
 * The step does not fit the appointment's status: a confirmation for an
 * appointment not awaiting one, an oath before the confirmation or twice.
 * `rule` is `confirmation-pending` or `oath-pending`.
 */
export class WrongAppointmentStatus extends Schema.TaggedError<WrongAppointmentStatus>()("WrongAppointmentStatus", {
  rule: Schema.Literals(["confirmation-pending", "oath-pending"]),
  command: Schema.String,
  member: Schema.String,
  seat: Schema.String,
  status: Schema.String
}) {
  override get message(): string {
    return `${this.command}: ${this.member}'s appointment to seat ${this.seat} is ${this.status} (${this.rule})`
  }
}

/** Why a seats command was refused; each refusal names its rule in `rule`. */
export type CommissionSeatsRefusal =
  | UnknownSeat
  | WrongAppointer
  | SeatNotVacant
  | MemberHoldsSeat
  | TermLimitReached
  | NotAMember
  | WrongAppointmentStatus

// ---------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------

const emptyRecord: CommissionSeatsState = { appointments: [] }

const updateAppointment = (
  state: CommissionSeatsState,
  seat: string,
  member: string,
  update: (appointment: SeatAppointment) => SeatAppointment
): CommissionSeatsState => {
  // The appointment acted on is always the last one of its seat.
  let index = -1
  state.appointments.forEach((appointment, i) => {
    if (appointment.seat === seat) index = i
  })
  const target = state.appointments[index]
  if (target === undefined || target.member !== member) return state
  return { appointments: state.appointments.map((appointment, i) => i === index ? update(appointment) : appointment) }
}

/** Folds one event into the seats' record. */
export const evolveCommissionSeats = (state: CommissionSeatsState, event: CommissionSeatsEvent): CommissionSeatsState => {
  switch (event._tag) {
    case "MemberAppointed":
      return {
        appointments: [...state.appointments, {
          seat: event.seat,
          member: event.member,
          name: event.name,
          appointer: event.appointer,
          appointedAt: event.at,
          termBegins: event.termBegins,
          termEnds: event.termEnds,
          consecutiveTerm: event.consecutiveTerm,
          confirmationRequired: event.confirmationRequired,
          oathRequired: event.oathRequired
        }]
      }
    case "AppointmentConfirmed":
      return updateAppointment(state, event.seat, event.member, (a) => ({ ...a, confirmedAt: event.at }))
    case "AppointmentNotConfirmed":
      return updateAppointment(state, event.seat, event.member, (a) => ({ ...a, endedAt: event.at, endedBy: "not-confirmed" }))
    case "OathTaken":
      return updateAppointment(state, event.seat, event.member, (a) => ({ ...a, oathAt: event.at }))
    case "MemberResigned":
      return updateAppointment(state, event.seat, event.member, (a) => ({ ...a, endedAt: event.at, endedBy: "resigned" }))
    case "MemberRemoved":
      return updateAppointment(state, event.seat, event.member, (a) => ({ ...a, endedAt: event.at, endedBy: "removed" }))
    case "SeatDeclaredVacant":
      return updateAppointment(state, event.seat, event.member, (a) => ({ ...a, endedAt: event.at, endedBy: "declared-vacant" }))
  }
}

/** The seat a member holds at an instant (seated, or awaiting confirmation or the oath), with its status. */
export const seatHeldBy = (
  settings: CommissionSeatSettings,
  state: CommissionSeatsState,
  member: string,
  at: DateTime.Utc
): SeatStatus | undefined =>
  settings.seats.map((seat) => seatStatusAt(state, seat.id, at)).find((status) => holderOf(status)?.member === member)

/**
 * Which term in a row an appointment for `term` would be for the member:
 * one more than the member's last appointment when that one's term ran at
 * least until this term began (no gap), the same number when it is the very
 * same term, else 1. A partial term counts as a term.
 */
export const consecutiveTermOf = (
  state: CommissionSeatsState,
  member: string,
  term: { readonly begins: DateTime.Utc; readonly ends: DateTime.Utc }
): number => {
  const previous = state.appointments.filter((appointment) => appointment.member === member).at(-1)
  if (previous === undefined) return 1
  const ms = DateTime.toEpochMillis
  if (ms(previous.termBegins) === ms(term.begins) && ms(previous.termEnds) === ms(term.ends)) return previous.consecutiveTerm
  return ms(previous.termEnds) >= ms(term.begins) ? previous.consecutiveTerm + 1 : 1
}

/**
 * The seats' decider for a jurisdiction (its time zone, in which terms end
 * at the end of their last day) and the commission's seat settings.
 */
export const commissionSeatsDecider = (
  jurisdiction: Pick<Jurisdiction, "timeZone">,
  settings: CommissionSeatSettings
): Decider<CommissionSeatsCommand, CommissionSeatsEvent, CommissionSeatsState, CommissionSeatsRefusal> => {
  const seatIds = settings.seats.map((seat) => seat.id)

  const appoint = (
    command: typeof AppointMember.Type,
    state: CommissionSeatsState,
    now: DateTime.Utc
  ): Result.Result<ReadonlyArray<CommissionSeatsEvent>, CommissionSeatsRefusal> => {
    const seat: SeatDefinition | undefined = settings.seats.find((candidate) => candidate.id === command.seat)
    if (seat === undefined) return Result.fail(new UnknownSeat({ seat: command.seat, seats: seatIds }))
    if (!sameAppointer(seat.appointer, command.appointer)) {
      return Result.fail(new WrongAppointer({ seat: seat.id, appointer: command.appointer, seatAppointer: seat.appointer }))
    }
    const holder = holderOf(seatStatusAt(state, seat.id, now))
    if (holder !== undefined) return Result.fail(new SeatNotVacant({ seat: seat.id, holder: holder.member, termEnds: holder.termEnds }))
    const held = seatHeldBy(settings, state, command.member, now)
    if (held !== undefined) return Result.fail(new MemberHoldsSeat({ member: command.member, seat: held.seat }))
    const term = seatTermAt(seat, settings.termYears, jurisdiction.timeZone, now)
    const consecutiveTerm = consecutiveTermOf(state, command.member, term)
    if (settings.maxConsecutiveTerms !== undefined && consecutiveTerm > settings.maxConsecutiveTerms) {
      return Result.fail(new TermLimitReached({ member: command.member, consecutiveTerm, maxConsecutiveTerms: settings.maxConsecutiveTerms }))
    }
    return Result.succeed([{
      _tag: "MemberAppointed",
      commission: command.commission,
      seat: seat.id,
      member: command.member,
      name: command.name,
      appointer: command.appointer,
      termBegins: term.begins,
      termEnds: term.ends,
      consecutiveTerm,
      confirmationRequired: settings.confirmationRequired,
      oathRequired: settings.oathRequired,
      at: now
    }])
  }

  return {
    initialState: emptyRecord,
    decide: (command, state, { now }) => {
      if (command._tag === "AppointMember") return appoint(command, state, now)
      const held = seatHeldBy(settings, state, command.member, now)
      if (held === undefined || held._tag === "vacant") {
        return Result.fail(new NotAMember({ command: command._tag, member: command.member }))
      }
      const { commission, member } = command
      const seat = held.seat
      switch (command._tag) {
        case "RecordConfirmation":
          if (held._tag !== "awaiting-confirmation") {
            return Result.fail(new WrongAppointmentStatus({ rule: "confirmation-pending", command: command._tag, member, seat, status: held._tag }))
          }
          return Result.succeed([{
            _tag: command.outcome === "confirmed" ? "AppointmentConfirmed" : "AppointmentNotConfirmed",
            commission,
            seat,
            member,
            decision: command.decision,
            at: now
          }])
        case "RecordOath":
          if (held._tag !== "awaiting-oath") {
            return Result.fail(new WrongAppointmentStatus({ rule: "oath-pending", command: command._tag, member, seat, status: held._tag }))
          }
          return Result.succeed([{ _tag: "OathTaken", commission, seat, member, at: now }])
        case "RecordResignation":
          return Result.succeed([{ _tag: "MemberResigned", commission, seat, member, at: now }])
        case "RemoveMember":
          return Result.succeed([{ _tag: "MemberRemoved", commission, seat, member, reason: command.reason, decision: command.decision, at: now }])
        case "DeclareSeatVacant":
          return Result.succeed([{ _tag: "SeatDeclaredVacant", commission, seat, member, cause: command.cause, at: now }])
      }
    },
    evolve: evolveCommissionSeats
  }
}

// ---------------------------------------------------------------------------
// Aggregate and access
// ---------------------------------------------------------------------------

/** The aggregate type of a commission's seats, in stream ids and access requests. */
export const COMMISSION_SEATS_RESOURCE = "commission-seats"

/** The prefix of every seats stream (`streamIdPrefix`). */
export const commissionSeatsStreamPrefix = streamIdPrefix(COMMISSION_SEATS_RESOURCE)

/** The stream of a commission's seats, `commission-seats/<commission>`: one per commission. */
export const commissionSeatsStream = (commission: string): string => streamId(COMMISSION_SEATS_RESOURCE, commission)

/**
 * A grant of every seats action (`commission-seats.*`) and every attendance
 * review action (`attendance-review.*`) to the roles that keep the
 * commission's roster and write to members about their absences (in
 * Sacramento, the city clerk's office: City Code 2.40.080(B)).
 *
 * @example
 * ```ts
 * const Policy = AccessPolicy.fromRules([commissionClerkAccessRule({ roles: ["clerk"] })])
 * ```
 */
export const commissionClerkAccessRule = (options: {
  readonly id?: string | undefined
  readonly roles: ReadonlyArray<Role>
}): AccessRule => ({
  id: options.id ?? "commission-clerk",
  actions: [`${COMMISSION_SEATS_RESOURCE}.*`, "attendance-review.*"],
  roles: [...options.roles],
  scope: "citywide"
})

/**
 * The seats aggregate of a commission: one stream per commission, the seats
 * and term rules from `settings`, access asked as `commission-seats.<action>`
 * (e.g. `commission-seats.appoint-member`) on the resource `commission-seats`.
 *
 * @example
 * ```ts
 * const Seats = commissionSeats(sacramento, sacramentoCommissionSeats)
 * handleCommand(Seats, { tenantId: "sacramento", commandId: "appoint-1", actor: clerk, command: appointment })
 * ```
 */
export const commissionSeats = (
  jurisdiction: Pick<Jurisdiction, "timeZone">,
  settings: CommissionSeatSettings
): Aggregate<CommissionSeatsCommand, CommissionSeatsEvent, CommissionSeatsState, CommissionSeatsRefusal> => ({
  name: COMMISSION_SEATS_RESOURCE,
  commands: CommissionSeatsCommand,
  events: commissionSeatsEvents,
  decider: commissionSeatsDecider(jurisdiction, settings),
  state: CommissionSeatsState,
  streamId: (command) => commissionSeatsStream(command.commission),
  access: (command) => ({
    action: commandAction(COMMISSION_SEATS_RESOURCE, command._tag),
    resource: { type: COMMISSION_SEATS_RESOURCE, id: command.commission }
  })
})
