/**
 * The seats' read model: one roster per commission, folded from the seats'
 * events with the decider's own `evolve`, so the roster and the decider can
 * never disagree. The roster keeps every appointment, and the status of a
 * seat or the membership at any instant is derived from it
 * ({@link rosterMembershipAt}): this is what an app reads when a meeting
 * opens and records on the meeting.
 *
 * @module
 */
import type { DateTime, Effect, Option } from "effect"
import { Schema } from "effect"
import type { CatchUp, CatchUpError } from "../engine/CatchUp.ts"
import { makeProjection, type Projection } from "../engine/Projection.ts"
import type { EventStore } from "../ports/EventStore.ts"
import type { ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import type { CommissionMembership } from "./Membership.ts"
import { type CommissionSeatsEvent, commissionSeatsEvents, evolveCommissionSeats } from "./Seats.ts"
import type { CommissionSeatSettings } from "./SeatsSettings.ts"
import { membershipAt, SeatAppointment, type SeatStatus, seatsAt } from "./SeatsStatus.ts"

/** One commission's roster: its id and every appointment, oldest first (names are personal data). */
export const CommissionRoster = Schema.Struct({
  commission: Schema.NonEmptyString,
  appointments: Schema.Array(SeatAppointment)
})

/** One commission's roster; see {@link CommissionRoster}. */
export type CommissionRoster = typeof CommissionRoster.Type

/** The roster after one more event of the commission's seats. Pure. */
export const applyToCommissionRoster = (
  roster: CommissionRoster | undefined,
  event: CommissionSeatsEvent
): CommissionRoster => ({
  commission: event.commission,
  appointments: evolveCommissionSeats({ appointments: roster?.appointments ?? [] }, event).appointments
})

/** The projection's name, under which the port keeps its checkpoint. */
export const commissionRosterProjection = "commission.rosters"

/** The read-model collection of the rosters: one document per commission. */
export const commissionRosterCollection = "commission.rosters"

/**
 * The rosters as a projection of the seats' events (selected by their event
 * types), one document per commission, with the indexed field
 * `appointments` (a count).
 */
export const commissionRosters: Projection<CommissionSeatsEvent, CommissionRoster> = makeProjection({
  name: commissionRosterProjection,
  collection: commissionRosterCollection,
  documentName: "commission roster",
  events: [commissionSeatsEvents],
  schema: CommissionRoster,
  key: (event) => event.commission,
  apply: applyToCommissionRoster,
  indexes: (roster) => ({ appointments: roster.appointments.length })
})

/**
 * Brings the rosters up to date from the tenant's events after the
 * projection's checkpoint; safe to run again at any time.
 */
export const updateCommissionRosters = (
  tenantId: string,
  options: { readonly batchSize?: number | undefined } = {}
): Effect.Effect<CatchUp, CatchUpError, EventStore | ReadModelStore> => commissionRosters.catchUp(tenantId, options)

/** One commission's roster, as far as the projection has caught up. */
export const commissionRoster = (
  tenantId: string,
  commission: string
): Effect.Effect<Option.Option<CommissionRoster>, InvalidStoreRequest | StorageFailure, ReadModelStore> =>
  commissionRosters.get(tenantId, commission)

/**
 * The membership at an instant from a roster (none yet: every seat vacant),
 * as a meeting records it when it opens (see `membershipAt`).
 */
export const rosterMembershipAt = (
  settings: CommissionSeatSettings,
  roster: CommissionRoster | undefined,
  at: DateTime.Utc
): CommissionMembership => membershipAt(settings, { appointments: roster?.appointments ?? [] }, at)

/** Every configured seat's status at an instant, from a roster. */
export const rosterSeatsAt = (
  settings: CommissionSeatSettings,
  roster: CommissionRoster | undefined,
  at: DateTime.Utc
): ReadonlyArray<SeatStatus> => seatsAt(settings, { appointments: roster?.appointments ?? [] }, at)
