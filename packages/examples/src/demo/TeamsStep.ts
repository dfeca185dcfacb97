/**
 * Step 3a of the demo: one Justice for Neighbors team per council district,
 * every configured seat (`programs.justiceForNeighbors.teamSeats`) filled by
 * a made-up staff member, through the district team aggregate, then the
 * roster projection caught up and asked which districts are understaffed.
 *
 * Every name here is fictional: first names and tree surnames, invented
 * for the demo. No district, seat or role is written in code: they come
 * from the jurisdiction.
 *
 * @module
 */
import { Effect, Schema } from "effect"
import { type Actor, type CaseDuty, handleCommand, type Jurisdiction, type StaffMember } from "@community-policing/core"
import {
  type JusticeForNeighborsProgram,
  type TeamSeat,
  teamSeatId,
  teamSeatsFor,
  type UnderstaffedDistrict,
  understaffedDistricts
} from "@community-policing/core/justice-for-neighbors"
import { at } from "./DemoClock.ts"
import { councilDistrictName } from "./DemoJurisdiction.ts"
import type { ProgressOutput } from "./ProgressBar.ts"

/**
 * The demo's program manager, who staffs the teams: a citywide city
 * attorney (Sacramento's program is run by the City Attorney's Office). The
 * access rule granting staffing to city attorneys is the demo's choice, as
 * it is each city's.
 */
export const programManager: Actor = { _tag: "Staff", id: "demo-program-manager", roles: ["city-attorney"], districts: [] }

/** The roles the demo lets staff the district teams (see `districtTeamStaffingRule`). */
export const staffingRoles = ["city-attorney"] as const

const firstNames = [
  "Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper", "Indigo", "Jules", "Kai", "Lane",
  "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum", "Umber", "Vale", "Wren", "Yael"
]
const treeNames = [
  "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Ironwood", "Juniper", "Kapok", "Larch",
  "Maple", "Nutmeg", "Oak", "Pine", "Quince", "Redwood", "Spruce", "Tamarack", "Ulmus", "Valonia", "Willow", "Yew"
]

/** A fictional name for the `index`-th member, e.g. `Avery Alder (fictional)`. */
const fictionalName = (index: number): string =>
  `${firstNames[index % firstNames.length]} ${treeNames[(index * 7) % treeNames.length]} (fictional)`

/** A made-up member of a district team, in a seat. */
export interface DemoTeamMember {
  readonly district: string
  readonly seat: TeamSeat
  readonly staff: StaffMember
}

/** The team members: one made-up staff member for each configured seat of each council district. */
export const demoStaff = (jurisdiction: Jurisdiction): ReadonlyArray<DemoTeamMember> => {
  const seats = teamSeatsFor(jurisdiction.programs.justiceForNeighbors.teamSeats)
  return jurisdiction.councilDistricts.flatMap((district, districtIndex) =>
    seats.map((seat, seatIndex) => ({
      district: district.id,
      seat,
      staff: {
        id: `demo-${district.id}-${teamSeatId(seat)}`,
        name: fictionalName(districtIndex * seats.length + seatIndex),
        roles: [seat.role],
        councilDistricts: [district.id],
        active: true
      }
    }))
  )
}

/**
 * No member of a district's team holds a role that the jurisdiction grants
 * a duty to (`programs.justiceForNeighbors.caseDuties`): the demo cannot
 * take that step for the district's cases.
 */
export class NoTeamMemberForDuty extends Schema.TaggedError<NoTeamMemberForDuty>()("NoTeamMemberForDuty", {
  district: Schema.String,
  duty: Schema.String,
  rolesWithDuty: Schema.Array(Schema.String)
}) {}

/** Who on the teams acts for each duty. */
export interface TeamDirectory {
  readonly members: ReadonlyArray<StaffMember>
  /** The first member of the district's team, in seat order, whose role holds the duty, as an actor. */
  readonly actorFor: (district: string, duty: CaseDuty) => Effect.Effect<Actor, NoTeamMemberForDuty>
}

/** A directory of the demo's staff for the jurisdiction's duties. */
export const teamDirectory = (jurisdiction: Jurisdiction): TeamDirectory => {
  const members = demoStaff(jurisdiction)
  const duties = jurisdiction.programs.justiceForNeighbors.caseDuties
  return {
    members: members.map((member) => member.staff),
    actorFor: (district, duty) => {
      const member = members.find((candidate) =>
        candidate.district === district && candidate.staff.roles.some((role) => duties[duty].includes(role))
      )
      return member === undefined
        ? Effect.fail(new NoTeamMemberForDuty({ district, duty, rolesWithDuty: [...duties[duty]] }))
        : Effect.succeed({ _tag: "Staff", id: member.staff.id, roles: [...member.staff.roles], districts: [...member.staff.councilDistricts] })
    }
  }
}

/** What staffing did. */
export interface Staffing {
  readonly directory: TeamDirectory
  /** Appointments handled now; 0 on a rerun, where every command id was handled before. */
  readonly appointed: number
  readonly teams: number
  readonly understaffed: ReadonlyArray<UnderstaffedDistrict>
}

/**
 * Appoints every member at `millis` (command ids derived from the district
 * and seat, so a rerun appends nothing), catches the rosters up and asks
 * which districts are still understaffed.
 */
export const staffTeams = (options: {
  readonly tenantId: string
  readonly program: JusticeForNeighborsProgram
  readonly millis: number
  readonly output: ProgressOutput
}) =>
  Effect.gen(function*() {
    const { tenantId, program, output } = options
    const { jurisdiction } = program
    const teams = program.aggregates.districtTeam
    let appointed = 0
    for (const member of demoStaff(jurisdiction)) {
      const outcome = yield* handleCommand(teams, {
        tenantId,
        commandId: `demo/district-team/${member.district}/appoint/${teamSeatId(member.seat)}`,
        actor: programManager,
        command: { _tag: "AppointTeamMember", district: member.district, seat: member.seat, staff: member.staff }
      }).pipe(at(options.millis))
      if (outcome._tag === "Handled") appointed++
    }
    yield* program.projections.teamRosters.catchUp(tenantId)
    const understaffed = yield* understaffedDistricts(tenantId, jurisdiction)
    const seats = jurisdiction.programs.justiceForNeighbors.teamSeats
    output.write(
      `${jurisdiction.councilDistricts.length} district teams of ${seats.length} (${seats.join(", ")}): ` +
        `${appointed} appointments made now${appointed === 0 ? " (all were made by an earlier run)" : ""}; ` +
        `understaffed districts: ${understaffed.length === 0 ? "none" : understaffed.map((u) => councilDistrictName(jurisdiction, u.district)).join(", ")}\n`
    )
    return { directory: teamDirectory(jurisdiction), appointed, teams: jurisdiction.councilDistricts.length, understaffed } satisfies Staffing
  })
