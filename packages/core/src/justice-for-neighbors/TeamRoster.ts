/**
 * The district team rosters: a read model built from the district team
 * events, answering who sits on each district's team, and which districts
 * are understaffed and since when. It lives in the `ReadModelStore` port, so
 * every adapter answers the same; the roster of a district is one document.
 *
 * "Understaffed" means a seat is vacant. A team is understaffed since the
 * instant it last went from every seat filled to a vacancy (or since it was
 * formed, if it never had every seat filled): a second vacancy does not
 * reset it, and filling every seat clears it. A council district with no
 * team formed yet is understaffed too, with no "since": the events cannot
 * say when the program began there, and a guess would pass for a fact.
 *
 * @module
 */
import { DateTime, Effect, type Option, Schema } from "effect"
import type { CatchUp, CatchUpError } from "../engine/CatchUp.ts"
import { makeProjection, type Projection } from "../engine/Projection.ts"
import { type Clearance, redact } from "../engine/Redaction.ts"
import { AreaId } from "../kernel/Area.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import type { Audience } from "../kernel/Role.ts"
import { personal } from "../kernel/Sensitivity.ts"
import type { EventStore } from "../ports/EventStore.ts"
import type { ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import {
  type DistrictTeamEvent,
  districtTeamEvents,
  sameTeamSeat,
  TeamSeat,
  teamSeatsFor
} from "./DistrictTeam.ts"

const Instant = Schema.DateTimeUtcFromString

/** Who fills a seat, and since when. The name and the directory id are personal data. */
export const RosterOccupant = Schema.Struct({
  staffId: personal(Schema.NonEmptyString),
  name: personal(Schema.NonEmptyString),
  since: Instant
})

/** Who fills a seat; see {@link RosterOccupant}. */
export type RosterOccupant = typeof RosterOccupant.Type

/** One seat of a roster: its occupant, or since when it is vacant. */
export const RosterSeat = Schema.Struct({
  seat: TeamSeat,
  occupant: Schema.NullOr(RosterOccupant),
  vacantSince: Schema.NullOr(Instant)
})

/** One seat of a roster; see {@link RosterSeat}. */
export type RosterSeat = typeof RosterSeat.Type

/**
 * The roster of one district's team: its seats in the order they were
 * created, who fills each, and since when the team is understaffed (`null`
 * while every seat is filled). Staff see names; the public and the
 * commission see only which seats are filled and since when (see
 * {@link rosterView}).
 */
export const DistrictTeamRoster = Schema.Struct({
  district: AreaId,
  formedAt: Instant,
  seats: Schema.Array(RosterSeat),
  understaffedSince: Schema.NullOr(Instant)
})

/** The roster of one district's team; see {@link DistrictTeamRoster}. */
export type DistrictTeamRoster = typeof DistrictTeamRoster.Type

/**
 * A council district whose team has a vacant seat, or that has no team yet
 * (`teamFormed: false`, `since: null`, every configured seat vacant).
 */
export const UnderstaffedDistrict = Schema.Struct({
  district: AreaId,
  teamFormed: Schema.Boolean,
  /** When the team last went from fully staffed to a vacancy; `null` when no team was formed. */
  since: Schema.NullOr(Instant),
  vacantSeats: Schema.Array(TeamSeat)
})

/** A council district with a vacant seat or no team; see {@link UnderstaffedDistrict}. */
export type UnderstaffedDistrict = typeof UnderstaffedDistrict.Type

const isUnderstaffed = (seats: ReadonlyArray<RosterSeat>): boolean => seats.some((seat) => seat.occupant === null)

const withSeats = (roster: DistrictTeamRoster, seats: ReadonlyArray<RosterSeat>, at: DateTime.Utc): DistrictTeamRoster => ({
  ...roster,
  seats,
  understaffedSince: isUnderstaffed(seats) ? roster.understaffedSince ?? at : null
})

const mapSeat = (
  seats: ReadonlyArray<RosterSeat>,
  target: TeamSeat,
  update: (seat: RosterSeat) => RosterSeat
): ReadonlyArray<RosterSeat> => seats.map((seat) => (sameTeamSeat(seat.seat, target) ? update(seat) : seat))

/**
 * The roster after one more event of the district's stream; `undefined`
 * before the team is formed. Pure, so the projection and its tests share it.
 * The understaffed instant comes from the seats themselves, not from the
 * vacancy events, so a roster read between two events of one command is
 * still right.
 */
export const applyToRoster = (
  roster: DistrictTeamRoster | undefined,
  event: DistrictTeamEvent
): DistrictTeamRoster | undefined => {
  if (event._tag === "DistrictTeamFormed") {
    return {
      district: event.district,
      formedAt: event.at,
      seats: event.seats.map((seat) => ({ seat, occupant: null, vacantSince: event.at })),
      understaffedSince: event.seats.length > 0 ? event.at : null
    }
  }
  if (roster === undefined) return undefined
  switch (event._tag) {
    case "TeamSeatAdded":
      return withSeats(roster, [...roster.seats, { seat: event.seat, occupant: null, vacantSince: event.at }], event.at)
    case "TeamSeatRemoved":
      return withSeats(roster, roster.seats.filter((seat) => !sameTeamSeat(seat.seat, event.seat)), event.at)
    case "TeamVacancyOpened":
      return withSeats(
        roster,
        mapSeat(roster.seats, event.seat, (seat) => ({ ...seat, occupant: null, vacantSince: event.at })),
        event.at
      )
    case "TeamMemberAppointed":
      return withSeats(
        roster,
        mapSeat(roster.seats, event.seat, (seat) => ({
          ...seat,
          occupant: { staffId: event.staffId, name: event.name, since: event.at },
          vacantSince: null
        })),
        event.at
      )
    case "TeamMemberDeparted":
      return withSeats(
        roster,
        mapSeat(roster.seats, event.seat, (seat) => ({ ...seat, occupant: null, vacantSince: event.at })),
        event.at
      )
  }
}

// ---------------------------------------------------------------------------
// The projection
// ---------------------------------------------------------------------------

/** The projection's name, under which the port keeps its checkpoint. */
export const teamRosterProjection = "justice-for-neighbors.team-rosters"

/** The read-model collection of the rosters: one document per district, keyed by district id. */
export const teamRosterCollection = "justice-for-neighbors.district-team-rosters"

/**
 * The rosters as a projection of the district team events (selected by
 * their event types): one document per district, with the indexed fields
 * `understaffed` (boolean), `vacantSeats` (a count) and, while understaffed,
 * `understaffedSince` (ISO UTC).
 */
export const districtTeamRosters: Projection<DistrictTeamEvent, DistrictTeamRoster> = makeProjection({
  name: teamRosterProjection,
  collection: teamRosterCollection,
  documentName: "roster",
  events: [districtTeamEvents],
  schema: DistrictTeamRoster,
  key: (event) => event.district,
  apply: applyToRoster,
  indexes: (roster) => ({
    understaffed: roster.understaffedSince !== null,
    vacantSeats: roster.seats.filter((seat) => seat.occupant === null).length,
    // Absent rather than null while fully staffed: a missing field never
    // matches and sorts last, so the understaffed query needs no null rule.
    ...(roster.understaffedSince === null ? {} : { understaffedSince: DateTime.formatIso(roster.understaffedSince) })
  })
})

/** The roster of one district's team, if the team was formed (as far as the projection has caught up). */
export const teamRoster = (
  tenantId: string,
  district: string
): Effect.Effect<Option.Option<DistrictTeamRoster>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  districtTeamRosters.get(tenantId, district)

/**
 * Brings the rosters up to date: reads the tenant's events after the
 * projection's checkpoint, `batchSize` at a time (default 500), applies the
 * district team events and commits the changed rosters with the new
 * checkpoint in one transaction, until no event is left. Events of other
 * types only move the checkpoint. Run it after commands, on a schedule, or
 * from an outbox consumer; two runners at once make one fail with
 * `CheckpointConflict`, and running it again is always safe.
 */
export const updateTeamRosters = (
  tenantId: string,
  options: { readonly batchSize?: number | undefined } = {}
): Effect.Effect<CatchUp, CatchUpError, EventStore | ReadModelStore> => districtTeamRosters.catchUp(tenantId, options)

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

/** The rosters of every formed team, by district id (code-point order). */
export const teamRosters = (
  tenantId: string
): Effect.Effect<ReadonlyArray<DistrictTeamRoster>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  districtTeamRosters.all(tenantId)

/**
 * The understaffed council districts: first those with no team yet, in the
 * jurisdiction's order (their seats are the configured ones, all vacant),
 * then the teams with a vacancy, longest understaffed first. A team of a
 * district the configuration no longer lists is still reported while it has
 * members and vacancies: it exists until its events say otherwise.
 */
export const understaffedDistricts = Effect.fnUntraced(function*(
  tenantId: string,
  jurisdiction: Jurisdiction
): Effect.fn.Return<ReadonlyArray<UnderstaffedDistrict>, InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const understaffed = yield* districtTeamRosters.all(tenantId, {
    where: [{ field: "understaffed", equals: true }],
    orderBy: { field: "understaffedSince", direction: "asc" }
  })
  const formed = new Set((yield* teamRosters(tenantId)).map((roster) => roster.district))
  const configuredSeats = teamSeatsFor(jurisdiction.programs.justiceForNeighbors.teamSeats)
  const withoutTeam = jurisdiction.councilDistricts
    .filter((district) => !formed.has(district.id))
    .map((district): UnderstaffedDistrict => ({
      district: district.id,
      teamFormed: false,
      since: null,
      vacantSeats: configuredSeats
    }))
  const withVacancies = understaffed.map((roster): UnderstaffedDistrict => ({
    district: roster.district,
    teamFormed: true,
    since: roster.understaffedSince,
    vacantSeats: roster.seats.filter((seat) => seat.occupant === null).map((seat) => seat.seat)
  }))
  return [...withoutTeam, ...withVacancies]
})

/**
 * A roster as an audience may see it: staff see who sits where; the
 * public and the commission see the seats, whether each is filled and since
 * when, but no name or staff id.
 */
export const rosterView = (roster: DistrictTeamRoster, audience: Audience, clearance?: Clearance): Schema.Json =>
  redact(DistrictTeamRoster, roster, audience, clearance)
