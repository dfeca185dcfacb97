/**
 * Sacramento's commission settings, the Sacramento Community Police Review
 * Commission (City Code ch. 2.100). A preset is data to review, not law:
 * {@link commissionPresetAssumptions} lists what it has not confirmed.
 *
 * @module
 */
import type { AttendanceSettings } from "./AttendanceSettings.ts"
import type { CommissionProgramSettings } from "./CommissionSettings.ts"
import type { CommissionSeatSettings, SeatDefinition } from "./SeatsSettings.ts"

const districtSeat = (district: string, firstTermEnds: string): SeatDefinition => ({
  id: `district-${district}`,
  appointer: { _tag: "council-member", district },
  firstTermEnds
})

/**
 * Sacramento's seats: 11, one recommended by each of the 8 council members
 * and 3 by the mayor, appointed on the council's confirmation, 3-year terms,
 * at most 2 consecutive terms, staggered so about a third of the seats turn
 * over each year.
 *
 * Unverified: City Code 2.100.040 (membership, terms) was amended on 25 Feb
 * 2025 (Ord. File ID 2025-00589) and its current text was not read; the
 * seat count is the 2015 commission's 11, the split between council members
 * and the mayor follows the recommending authorities of City Code
 * 2.40.080(B), and the term length, term limit and staggering dates are
 * placeholders for the ordinance's. Set them from 2.100.040 before relying
 * on them. The oath is the California Constitution, art. XX, sec. 3.
 */
export const sacramentoCommissionSeats: CommissionSeatSettings = {
  seats: [
    districtSeat("1", "2026-06-30"),
    districtSeat("2", "2027-06-30"),
    districtSeat("3", "2028-06-30"),
    districtSeat("4", "2026-06-30"),
    districtSeat("5", "2027-06-30"),
    districtSeat("6", "2028-06-30"),
    districtSeat("7", "2026-06-30"),
    districtSeat("8", "2027-06-30"),
    { id: "mayor-1", appointer: { _tag: "mayor" }, firstTermEnds: "2026-06-30" },
    { id: "mayor-2", appointer: { _tag: "mayor" }, firstTermEnds: "2027-06-30" },
    { id: "mayor-3", appointer: { _tag: "mayor" }, firstTermEnds: "2028-06-30" }
  ],
  termYears: 3,
  maxConsecutiveTerms: 2,
  confirmationRequired: true,
  oathRequired: true
}

/**
 * Sacramento's attendance rule (City Code 2.40.080, text read from the
 * city's code library, Ord. 2024-0042): three absences from regular
 * meetings in a calendar year are good cause for removal (A); the clerk
 * writes to the member after the third and consults the recommending
 * authority before removal begins (B); missing most of a meeting is an
 * absence (C)(2).
 */
export const sacramentoCommissionAttendance: AttendanceSettings = {
  absencesForReview: 3,
  countedMeetingKinds: ["regular"],
  consultRecommendingAuthority: true,
  presentAboveShare: 0.5
}

/** Sacramento's commission program settings: its seats and attendance rule. */
export const sacramentoCommission: CommissionProgramSettings = {
  commission: "sacramento-community-police-review-commission",
  seats: sacramentoCommissionSeats,
  attendance: sacramentoCommissionAttendance
}

/** What the Sacramento commission preset has not confirmed, for a city to review. */
export const commissionPresetAssumptions: ReadonlyArray<string> = [
  "The commission's seats (11: one per council member, 3 by the mayor), 3-year terms, a limit of 2 consecutive terms " +
  "and the staggering dates are unverified: City Code 2.100.040 was amended on 25 Feb 2025 and its text was not read.",
  "Absences are counted as City Code 2.40.080 reads (3 from regular meetings in a calendar year); the year is read in the city's time zone."
]
