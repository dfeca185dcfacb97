/**
 * The district team of Justice for Neighbors: one team per council district,
 * each with the seats the jurisdiction configures (the 2016 "Safe City"
 * platform: a city attorney, a police sergeant and a code enforcement
 * officer). Forming a team, appointing a member, a member's departure and
 * every vacancy are events of the district's own stream, so "one team per
 * district" holds by construction: a district has one stream.
 *
 * Invariants the decider keeps: a team has exactly the seats it was formed
 * with (or later adopted from the configuration); one person per seat; one
 * seat per person on a team; only an active staff member holding the seat's
 * role, and serving the district, fills it.
 *
 * @module
 */
import { type DateTime, Result, Schema } from "effect"
import type { AccessRule } from "../engine/AccessPolicy.ts"
import type { Aggregate, Decider } from "../engine/Decider.ts"
import { makeEventCatalog } from "../engine/EventCatalog.ts"
import { coversDistrict, knownCouncilDistrict } from "../engine/Guards.ts"
import type { UnknownCouncilDistrict } from "../engine/Refusals.ts"
import { streamId, streamIdPrefix } from "../engine/StreamId.ts"
import { AreaId } from "../kernel/Area.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import { Role } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"
import { StaffMember } from "../kernel/Staff.ts"

// ---------------------------------------------------------------------------
// Seats
// ---------------------------------------------------------------------------

/**
 * A seat on a district team: the role it needs and its number among the
 * seats of that role, from 1. A configuration with two code enforcement
 * officers gives the seats `code-enforcement-officer` 1 and 2.
 */
export const TeamSeat = Schema.Struct({
  role: Role,
  number: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
})

/** A seat on a district team; see {@link TeamSeat}. */
export type TeamSeat = typeof TeamSeat.Type

/**
 * The seats of a team from the configured roles
 * (`programs.justiceForNeighbors.teamSeats`), in configuration order, each
 * role's seats numbered from 1 in the order the role appears.
 *
 * @example
 * ```ts
 * teamSeatsFor(["neighborhood-prosecutor", "code-enforcement-officer", "code-enforcement-officer"])
 * // => [{ role: "neighborhood-prosecutor", number: 1 },
 * //     { role: "code-enforcement-officer", number: 1 }, { role: "code-enforcement-officer", number: 2 }]
 * ```
 */
export const teamSeatsFor = (roles: ReadonlyArray<Role>): ReadonlyArray<TeamSeat> => {
  const counts = new Map<Role, number>()
  return roles.map((role) => {
    const number = (counts.get(role) ?? 0) + 1
    counts.set(role, number)
    return { role, number }
  })
}

/** A seat written as one string, e.g. `code-enforcement-officer-2`: for keys, logs and messages. */
export const teamSeatId = (seat: TeamSeat): string => `${seat.role}-${seat.number}`

/** Whether two values name the same seat. */
export const sameTeamSeat = (a: TeamSeat, b: TeamSeat): boolean => a.role === b.role && a.number === b.number

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

const Instant = Schema.DateTimeUtcFromString

/** A staff member's id in the city directory, as a team event records it. */
const StaffId = personal(Schema.NonEmptyString)

/** The district's team was formed with these seats, all vacant. */
export const DistrictTeamFormed = Schema.TaggedStruct("DistrictTeamFormed", {
  district: AreaId,
  seats: Schema.Array(TeamSeat),
  at: Instant
})

/** A seat was added to the team, after the configuration gained it. */
export const TeamSeatAdded = Schema.TaggedStruct("TeamSeatAdded", {
  district: AreaId,
  seat: TeamSeat,
  at: Instant
})

/** A vacant seat was removed from the team, after the configuration dropped it. */
export const TeamSeatRemoved = Schema.TaggedStruct("TeamSeatRemoved", {
  district: AreaId,
  seat: TeamSeat,
  at: Instant
})

/**
 * Why a seat fell vacant: the team was just formed, the seat was just added,
 * or its member departed.
 */
export const TeamVacancyCause = Schema.Literals(["team-formed", "seat-added", "member-departed"])

/** Why a seat fell vacant; see {@link TeamVacancyCause}. */
export type TeamVacancyCause = typeof TeamVacancyCause.Type

/** A seat became vacant. Every vacancy is recorded, whatever its cause. */
export const TeamVacancyOpened = Schema.TaggedStruct("TeamVacancyOpened", {
  district: AreaId,
  seat: TeamSeat,
  cause: TeamVacancyCause,
  at: Instant
})

/**
 * A staff member was appointed to a seat. The name is recorded so rosters
 * can show who sits where; it is personal data, as is the directory id.
 */
export const TeamMemberAppointed = Schema.TaggedStruct("TeamMemberAppointed", {
  district: AreaId,
  seat: TeamSeat,
  staffId: StaffId,
  name: personal(Schema.NonEmptyString),
  at: Instant
})

/** A member left the team; the reason (reassignment, leave, ...) is personal data. */
export const TeamMemberDeparted = Schema.TaggedStruct("TeamMemberDeparted", {
  district: AreaId,
  seat: TeamSeat,
  staffId: StaffId,
  reason: personal(Schema.NonEmptyString),
  at: Instant
})

/** Every event of a district team's stream. */
export const DistrictTeamEvent = Schema.Union([
  DistrictTeamFormed,
  TeamSeatAdded,
  TeamSeatRemoved,
  TeamVacancyOpened,
  TeamMemberAppointed,
  TeamMemberDeparted
])

/** An event of a district team's stream; see {@link DistrictTeamEvent}. */
export type DistrictTeamEvent = typeof DistrictTeamEvent.Type

/** The district team's events and their schema versions (all at version 1). */
export const districtTeamEvents = makeEventCatalog(DistrictTeamEvent)

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** Form the district's team, with the configured seats, all vacant. */
export const FormDistrictTeam = Schema.TaggedStruct("FormDistrictTeam", {
  district: AreaId
})

/**
 * Appoint a staff member to a seat. `staff` is the member's record as the
 * city's directory holds it now; its roles, districts and `active` flag are
 * what the appointment is checked against. A team not formed yet is formed
 * first, with the configured seats.
 */
export const AppointTeamMember = Schema.TaggedStruct("AppointTeamMember", {
  district: AreaId,
  seat: TeamSeat,
  staff: StaffMember
})

/** Record that a member left the team; a reason is required, as for every change of status. */
export const RecordTeamMemberDeparture = Schema.TaggedStruct("RecordTeamMemberDeparture", {
  district: AreaId,
  staffId: Schema.NonEmptyString,
  reason: personal(Schema.NonEmptyString.check(Schema.isTrimmed()))
})

/**
 * Bring the team's seats in line with the configuration after the city
 * changed `teamSeats`: seats the configuration gained are added (vacant),
 * seats it dropped are removed if vacant. Forms the team if needed.
 */
export const AdoptTeamSeatConfiguration = Schema.TaggedStruct("AdoptTeamSeatConfiguration", {
  district: AreaId
})

/** Every command of a district team. */
export const DistrictTeamCommand = Schema.Union([
  FormDistrictTeam,
  AppointTeamMember,
  RecordTeamMemberDeparture,
  AdoptTeamSeatConfiguration
])

/** A command of a district team; see {@link DistrictTeamCommand}. */
export type DistrictTeamCommand = typeof DistrictTeamCommand.Type

// ---------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------

/** The district already has its team: one team per district. */
export class DistrictTeamAlreadyFormed extends Schema.TaggedError<DistrictTeamAlreadyFormed>()("DistrictTeamAlreadyFormed", {
  rule: Schema.tag("one-team-per-district"),
  district: Schema.String,
  formedAt: Schema.DateTimeUtcFromString
}) {
  override get message(): string {
    return `district ${this.district} already has a team`
  }
}

/** The team has no such seat; `seats` lists the ones it has. */
export class UnknownTeamSeat extends Schema.TaggedError<UnknownTeamSeat>()("UnknownTeamSeat", {
  rule: Schema.tag("configured-seats-only"),
  district: Schema.String,
  seat: TeamSeat,
  seats: Schema.Array(TeamSeat)
}) {
  override get message(): string {
    return `district ${this.district}'s team has no seat ${teamSeatId(this.seat)} (seats: ${this.seats.map(teamSeatId).join(", ")})`
  }
}

/** The seat is filled: one person per seat. The occupant must depart first. */
export class TeamSeatTaken extends Schema.TaggedError<TeamSeatTaken>()("TeamSeatTaken", {
  rule: Schema.tag("one-person-per-seat"),
  district: Schema.String,
  seat: TeamSeat,
  occupantStaffId: Schema.String
}) {
  override get message(): string {
    return `seat ${teamSeatId(this.seat)} of district ${this.district}'s team is taken`
  }
}

/** The staff member does not hold the role the seat needs. */
export class WrongRoleForSeat extends Schema.TaggedError<WrongRoleForSeat>()("WrongRoleForSeat", {
  rule: Schema.tag("seat-role-required"),
  district: Schema.String,
  seat: TeamSeat,
  staffId: Schema.String,
  roles: Schema.Array(Role)
}) {
  override get message(): string {
    return `${this.staffId} holds ${this.roles.join(", ")}, not ${this.seat.role}`
  }
}

/** The staff member already sits on this team: one seat per person. */
export class AlreadyOnTeam extends Schema.TaggedError<AlreadyOnTeam>()("AlreadyOnTeam", {
  rule: Schema.tag("one-seat-per-person"),
  district: Schema.String,
  staffId: Schema.String,
  seat: TeamSeat
}) {
  override get message(): string {
    return `${this.staffId} already sits on district ${this.district}'s team, in seat ${teamSeatId(this.seat)}`
  }
}

/** The staff member named in a departure does not sit on this team. */
export class NotOnTeam extends Schema.TaggedError<NotOnTeam>()("NotOnTeam", {
  rule: Schema.tag("members-only-depart"),
  district: Schema.String,
  staffId: Schema.String
}) {
  override get message(): string {
    return `${this.staffId} does not sit on district ${this.district}'s team`
  }
}

/** The directory marks the staff member as no longer in the role: only active staff are appointed. */
export class InactiveStaffMember extends Schema.TaggedError<InactiveStaffMember>()("InactiveStaffMember", {
  rule: Schema.tag("active-staff-only"),
  district: Schema.String,
  staffId: Schema.String
}) {
  override get message(): string {
    return `${this.staffId} is not active in the directory`
  }
}

/**
 * The staff member's directory assignment does not cover the district. A
 * member's access to the district's cases comes from that assignment, so a
 * member outside it could not work the team's cases.
 */
export class OutsideAssignedDistricts extends Schema.TaggedError<OutsideAssignedDistricts>()("OutsideAssignedDistricts", {
  rule: Schema.tag("member-serves-the-district"),
  district: Schema.String,
  staffId: Schema.String,
  councilDistricts: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `${this.staffId} serves council district(s) ${this.councilDistricts.join(", ")}, not ${this.district}`
  }
}

/** A departure was recorded without a reason: every change of status carries one. */
export class DepartureReasonRequired extends Schema.TaggedError<DepartureReasonRequired>()("DepartureReasonRequired", {
  rule: Schema.tag("reason-required"),
  district: Schema.String,
  staffId: Schema.String
}) {
  override get message(): string {
    return "a departure needs a reason"
  }
}

/** A seat the configuration dropped cannot be removed while someone sits in it. */
export class OccupiedSeatsToRemove extends Schema.TaggedError<OccupiedSeatsToRemove>()("OccupiedSeatsToRemove", {
  rule: Schema.tag("remove-vacant-seats-only"),
  district: Schema.String,
  seats: Schema.Array(Schema.Struct({ seat: TeamSeat, staffId: Schema.String }))
}) {
  override get message(): string {
    return `seats ${this.seats.map((s) => teamSeatId(s.seat)).join(", ")} are no longer configured but are occupied: ` +
      "record their members' departures first"
  }
}

/**
 * Why a district team command was refused; each refusal names its rule in
 * `rule`. A district that is not one of the jurisdiction's council
 * districts is refused by the shared guard (`UnknownCouncilDistrict`, rule
 * `known-council-district`): teams exist only for those.
 */
export type DistrictTeamRefusal =
  | UnknownCouncilDistrict
  | DistrictTeamAlreadyFormed
  | UnknownTeamSeat
  | TeamSeatTaken
  | WrongRoleForSeat
  | AlreadyOnTeam
  | NotOnTeam
  | InactiveStaffMember
  | OutsideAssignedDistricts
  | DepartureReasonRequired
  | OccupiedSeatsToRemove

// ---------------------------------------------------------------------------
// State and decider
// ---------------------------------------------------------------------------

/** Who sits in a seat, and since when: personal data, as in the events. */
export const TeamSeatOccupant = Schema.Struct({
  staffId: StaffId,
  name: personal(Schema.NonEmptyString),
  since: Schema.DateTimeUtcFromString
})

/** Who sits in a seat; see {@link TeamSeatOccupant}. */
export type TeamSeatOccupant = typeof TeamSeatOccupant.Type

/** One seat of a formed team. */
export const TeamSeatState = Schema.Struct({
  seat: TeamSeat,
  /** Absent while the seat is vacant. */
  occupant: Schema.optional(TeamSeatOccupant),
  /** When the seat last fell vacant; absent while it is filled. */
  vacantSince: Schema.optional(Schema.DateTimeUtcFromString)
})

/** One seat of a formed team; see {@link TeamSeatState}. */
export type TeamSeatState = typeof TeamSeatState.Type

/**
 * A district team's state: not formed yet, or formed with its seats. A
 * schema, so the engine can answer a command with the view its sender's
 * audience may see (occupants are personal data).
 */
export const DistrictTeamState = Schema.Union([
  Schema.TaggedStruct("NotFormed", {}),
  Schema.TaggedStruct("Formed", {
    district: Schema.String,
    formedAt: Schema.DateTimeUtcFromString,
    seats: Schema.Array(TeamSeatState)
  })
])

/** A district team's state; see {@link DistrictTeamState}. */
export type DistrictTeamState = typeof DistrictTeamState.Type

const notFormed: DistrictTeamState = { _tag: "NotFormed" }

/** The seat a staff member sits in on this team, if any. */
export const teamSeatOf = (state: DistrictTeamState, staffId: string): TeamSeatState | undefined =>
  state._tag === "Formed" ? state.seats.find((seat) => seat.occupant?.staffId === staffId) : undefined

const formation = (district: string, seats: ReadonlyArray<TeamSeat>, at: DateTime.Utc): Array<DistrictTeamEvent> => [
  { _tag: "DistrictTeamFormed", district, seats: [...seats], at },
  ...seats.map((seat): DistrictTeamEvent => ({ _tag: "TeamVacancyOpened", district, seat, cause: "team-formed", at }))
]

const updateSeat = (
  state: DistrictTeamState,
  seat: TeamSeat,
  update: (current: TeamSeatState) => TeamSeatState
): DistrictTeamState =>
  state._tag === "Formed"
    ? { ...state, seats: state.seats.map((current) => sameTeamSeat(current.seat, seat) ? update(current) : current) }
    : state

/** Folds one event into a team's state. */
const evolve = (state: DistrictTeamState, event: DistrictTeamEvent): DistrictTeamState => {
  switch (event._tag) {
    case "DistrictTeamFormed":
      return { _tag: "Formed", district: event.district, formedAt: event.at, seats: event.seats.map((seat) => ({ seat })) }
    case "TeamSeatAdded":
      return state._tag === "Formed" ? { ...state, seats: [...state.seats, { seat: event.seat }] } : state
    case "TeamSeatRemoved":
      return state._tag === "Formed"
        ? { ...state, seats: state.seats.filter((current) => !sameTeamSeat(current.seat, event.seat)) }
        : state
    case "TeamVacancyOpened":
      return updateSeat(state, event.seat, (current) => ({ seat: current.seat, vacantSince: event.at }))
    case "TeamMemberAppointed":
      return updateSeat(state, event.seat, (current) => ({
        seat: current.seat,
        occupant: { staffId: event.staffId, name: event.name, since: event.at }
      }))
    case "TeamMemberDeparted":
      return updateSeat(state, event.seat, (current) => ({ seat: current.seat, vacantSince: current.vacantSince }))
  }
}

/**
 * The district team's decider for a jurisdiction: its council districts and
 * `programs.justiceForNeighbors.teamSeats` are read from the configuration,
 * never from code.
 */
export const districtTeamDecider = (
  jurisdiction: Jurisdiction
): Decider<DistrictTeamCommand, DistrictTeamEvent, DistrictTeamState, DistrictTeamRefusal> => {
  const configuredSeats = teamSeatsFor(jurisdiction.programs.justiceForNeighbors.teamSeats)

  const appoint = (
    command: typeof AppointTeamMember.Type,
    state: DistrictTeamState,
    now: DateTime.Utc
  ): Result.Result<ReadonlyArray<DistrictTeamEvent>, DistrictTeamRefusal> => {
    const { district, seat, staff } = command
    const formed = state._tag === "Formed" ? [] : formation(district, configuredSeats, now)
    const seats: ReadonlyArray<TeamSeatState> = state._tag === "Formed"
      ? state.seats
      : configuredSeats.map((configured) => ({ seat: configured }))
    const target = seats.find((current) => sameTeamSeat(current.seat, seat))
    if (target === undefined) {
      return Result.fail(new UnknownTeamSeat({ district, seat, seats: seats.map((current) => current.seat) }))
    }
    if (!staff.active) return Result.fail(new InactiveStaffMember({ district, staffId: staff.id }))
    if (!staff.roles.includes(seat.role)) {
      return Result.fail(new WrongRoleForSeat({ district, seat, staffId: staff.id, roles: [...staff.roles] }))
    }
    if (!coversDistrict(staff.councilDistricts, district)) {
      return Result.fail(
        new OutsideAssignedDistricts({ district, staffId: staff.id, councilDistricts: [...staff.councilDistricts] })
      )
    }
    const current = teamSeatOf(state, staff.id)
    if (current !== undefined) return Result.fail(new AlreadyOnTeam({ district, staffId: staff.id, seat: current.seat }))
    if (target.occupant !== undefined) {
      return Result.fail(new TeamSeatTaken({ district, seat, occupantStaffId: target.occupant.staffId }))
    }
    return Result.succeed([
      ...formed,
      { _tag: "TeamMemberAppointed", district, seat, staffId: staff.id, name: staff.name, at: now }
    ])
  }

  const adopt = (
    command: typeof AdoptTeamSeatConfiguration.Type,
    state: DistrictTeamState,
    now: DateTime.Utc
  ): Result.Result<ReadonlyArray<DistrictTeamEvent>, DistrictTeamRefusal> => {
    const district = command.district
    if (state._tag === "NotFormed") return Result.succeed(formation(district, configuredSeats, now))
    const dropped = state.seats.filter((current) => !configuredSeats.some((seat) => sameTeamSeat(seat, current.seat)))
    const occupied = dropped.flatMap((current) =>
      current.occupant === undefined ? [] : [{ seat: current.seat, staffId: current.occupant.staffId }]
    )
    if (occupied.length > 0) return Result.fail(new OccupiedSeatsToRemove({ district, seats: occupied }))
    const added = configuredSeats.filter((seat) => !state.seats.some((current) => sameTeamSeat(current.seat, seat)))
    return Result.succeed([
      ...dropped.map((current): DistrictTeamEvent => ({ _tag: "TeamSeatRemoved", district, seat: current.seat, at: now })),
      ...added.flatMap((seat): Array<DistrictTeamEvent> => [
        { _tag: "TeamSeatAdded", district, seat, at: now },
        { _tag: "TeamVacancyOpened", district, seat, cause: "seat-added", at: now }
      ])
    ])
  }

  return {
    initialState: notFormed,
    decide: (command, state, { now }) => {
      switch (command._tag) {
        case "FormDistrictTeam":
          return Result.flatMap(knownCouncilDistrict(jurisdiction, command._tag, command.district), () =>
            state._tag === "Formed"
              ? Result.fail(new DistrictTeamAlreadyFormed({ district: command.district, formedAt: state.formedAt }))
              : Result.succeed(formation(command.district, configuredSeats, now)))
        case "AppointTeamMember":
          return Result.flatMap(knownCouncilDistrict(jurisdiction, command._tag, command.district), () => appoint(command, state, now))
        case "RecordTeamMemberDeparture": {
          const { district, staffId, reason } = command
          // Departures are not checked against the configured districts: after
          // a redistricting the members of a dropped district must still leave.
          if (reason.trim() === "") return Result.fail(new DepartureReasonRequired({ district, staffId }))
          const current = teamSeatOf(state, staffId)
          if (current === undefined) return Result.fail(new NotOnTeam({ district, staffId }))
          return Result.succeed([
            { _tag: "TeamMemberDeparted", district, seat: current.seat, staffId, reason, at: now },
            { _tag: "TeamVacancyOpened", district, seat: current.seat, cause: "member-departed", at: now }
          ])
        }
        case "AdoptTeamSeatConfiguration":
          return Result.flatMap(knownCouncilDistrict(jurisdiction, command._tag, command.district), () => adopt(command, state, now))
      }
    },
    evolve
  }
}

// ---------------------------------------------------------------------------
// Aggregate and access
// ---------------------------------------------------------------------------

/** The aggregate type of district teams, in stream ids and access requests. */
export const DISTRICT_TEAM_RESOURCE = "district-team"

/** The prefix of every district team stream (`streamIdPrefix`). */
export const districtTeamStreamPrefix = streamIdPrefix(DISTRICT_TEAM_RESOURCE)

/**
 * The stream of a district's team, `district-team/<district>` (`streamId`):
 * one per district, which is what makes one team per district hold.
 */
export const districtTeamStream = (district: string): string => streamId(DISTRICT_TEAM_RESOURCE, district)

/** The access action of each district team command, as access rules name them. */
export const districtTeamActions = {
  FormDistrictTeam: "district-team.form",
  AppointTeamMember: "district-team.appoint",
  RecordTeamMemberDeparture: "district-team.record-departure",
  AdoptTeamSeatConfiguration: "district-team.adopt-seat-configuration"
} as const satisfies Record<DistrictTeamCommand["_tag"], string>

/**
 * A grant of every district team action (`district-team.*`) to the roles
 * that staff teams. Which roles staff teams is the city's choice: there is
 * no program-manager role, so a city grants it to the role that runs its
 * program. With `own-district` scope, staff serving no district (citywide)
 * staff every team and staff serving districts only theirs.
 *
 * @example
 * ```ts
 * // Sacramento's program is run by the City Attorney's Office.
 * const rules = [districtTeamStaffingRule({ roles: ["city-attorney"], scope: "own-district" })]
 * const Policy = AccessPolicy.fromRules(rules)
 * ```
 */
export const districtTeamStaffingRule = (options: {
  readonly id?: string | undefined
  readonly roles: ReadonlyArray<Role>
  readonly scope: AccessRule["scope"]
}): AccessRule => ({
  id: options.id ?? "district-team-staffing",
  actions: ["district-team.*"],
  roles: [...options.roles],
  scope: options.scope
})

/**
 * The district team aggregate of a jurisdiction: one stream per council
 * district (`district-team/<district>`), the seats from
 * `programs.justiceForNeighbors.teamSeats`, and access asked as
 * `district-team.<action>` on the resource `district-team` in the district.
 *
 * @example
 * ```ts
 * const Teams = districtTeam(sacramento)
 * handleCommand(Teams, {
 *   tenantId: "sacramento",
 *   commandId: "appoint-1",
 *   actor,
 *   command: { _tag: "AppointTeamMember", district: "3", seat: { role: "sergeant", number: 1 }, staff }
 * })
 * ```
 */
export const districtTeam = (
  jurisdiction: Jurisdiction
): Aggregate<DistrictTeamCommand, DistrictTeamEvent, DistrictTeamState, DistrictTeamRefusal> => ({
  name: DISTRICT_TEAM_RESOURCE,
  commands: DistrictTeamCommand,
  events: districtTeamEvents,
  decider: districtTeamDecider(jurisdiction),
  state: DistrictTeamState,
  streamId: (command) => districtTeamStream(command.district),
  access: (command) => ({
    action: districtTeamActions[command._tag],
    resource: { type: DISTRICT_TEAM_RESOURCE, id: command.district, districts: [command.district] }
  })
})
