/**
 * A starting configuration for the City of Sacramento, California. A preset
 * is data to review and edit, not law: its `assumptions` list what it has not
 * confirmed.
 *
 * @module
 */
import { californiaCourtHolidays2026 } from "./CaliforniaCourtHolidays.ts"
import type { Jurisdiction } from "../Jurisdiction.ts"
import type { Period } from "../Period.ts"

const days = (amount: number): Period => ({ amount, unit: "calendar-days" })

/**
 * Sacramento: 8 council districts, the 6 police districts of 2006 and their
 * beats (as the Police Department's January 2006 crime reports record them),
 * 2026 city holidays, and program settings from the 2016 "Safe City"
 * platform and California law. No boundaries: load them from the city's GIS
 * portal.
 */
export const sacramento: Jurisdiction = {
  id: "sacramento",
  name: "City of Sacramento",
  timeZone: "America/Los_Angeles",
  councilDistricts: ["1", "2", "3", "4", "5", "6", "7", "8"].map((id) => ({ id, name: `Council District ${id}` })),
  // Read from the beat column of the January 2006 reports. Two pairings there
  // contradict the beat numbering (beat 6C under district 3 three times, 5A
  // under district 4 22 times); beats are placed in the district their name
  // and most of their reports give.
  policeDistricts: [
    { id: "1", name: "District 1", beats: ["1A", "1B", "1C"] },
    { id: "2", name: "District 2", beats: ["2A", "2B", "2C"] },
    { id: "3", name: "District 3", beats: ["3A", "3B", "3C", "3M"] },
    { id: "4", name: "District 4", beats: ["4A", "4B", "4C"] },
    { id: "5", name: "District 5", beats: ["5A", "5B", "5C"] },
    { id: "6", name: "District 6", beats: ["6A", "6B", "6C"] }
  ].map(({ beats, ...district }) => ({ ...district, beats: beats.map((id) => ({ id, name: `Beat ${id}` })) })),
  neighborhoods: [
    { id: "oak-park", name: "Oak Park" },
    { id: "del-paso-heights", name: "Del Paso Heights" },
    { id: "meadowview", name: "Meadowview" },
    { id: "north-sacramento", name: "North Sacramento" },
    { id: "midtown", name: "Midtown" },
    { id: "land-park", name: "Land Park" }
  ],
  holidays: [
    { date: "2026-01-01", name: "New Year's Day" },
    { date: "2026-01-19", name: "Martin Luther King Jr. Day" },
    { date: "2026-02-16", name: "Presidents' Day" },
    { date: "2026-03-31", name: "Cesar Chavez Day" },
    { date: "2026-05-25", name: "Memorial Day" },
    { date: "2026-06-19", name: "Juneteenth" },
    { date: "2026-07-03", name: "Independence Day (observed)" },
    { date: "2026-09-07", name: "Labor Day" },
    { date: "2026-10-12", name: "Indigenous Peoples' Day" },
    { date: "2026-11-11", name: "Veterans Day" },
    { date: "2026-11-26", name: "Thanksgiving Day" },
    { date: "2026-11-27", name: "Day after Thanksgiving" },
    { date: "2026-12-25", name: "Christmas Day" }
  ],
  courtHolidays: californiaCourtHolidays2026,
  programs: {
    justiceForNeighbors: {
      teamSeats: ["city-attorney", "sergeant", "code-enforcement-officer"],
      caseDuties: {
        "take-intake": ["code-enforcement-officer", "sergeant", "city-attorney", "clerk"],
        inspect: ["code-enforcement-officer"],
        "serve-notice": ["code-enforcement-officer"],
        "grant-extension": ["code-enforcement-officer"],
        "work-with-owner": ["code-enforcement-officer", "sergeant", "city-attorney"],
        "issue-citation": ["code-enforcement-officer"],
        "attach-police-evidence": ["sergeant"],
        "record-hearing": ["clerk", "city-attorney"],
        abate: ["code-enforcement-officer"],
        "summary-abatement": ["code-enforcement-officer"],
        "record-payment": ["clerk", "code-enforcement-officer"],
        "file-civil-action": ["city-attorney"],
        "close-case": ["code-enforcement-officer", "city-attorney"],
        comment: ["code-enforcement-officer", "sergeant", "city-attorney", "clerk"]
      },
      periods: {
        inspection: { amount: 48, unit: "hours" },
        hazardInspection: days(0),
        compliance: {
          "illegal-dumping": days(14),
          squatters: days(14),
          "absent-landlord": days(14),
          "dangerous-building": days(30),
          "irresponsible-business-owner": days(14),
          "excessive-calls-for-service": days(14),
          blight: days(14)
        },
        // Sacramento City Code 8.96.130(B)(3): 30 days from the date of the order to obtain permits and begin work.
        dangerousBuildingStart: days(30),
        courtAppeal: days(20),
        costPayment: days(30),
        hearingRequest: days(15),
        hearingNotice: days(10),
        postAbatementNotice: days(10)
      },
      fineCaps: {
        general: { capsInDollars: [100, 200, 500], windowDays: 365 },
        buildingAndSafety: { capsInDollars: [130, 700, 1300], windowDays: 365 }
      },
      chronicNuisance: {
        rules: [
          { _tag: "count-in-window", count: 3, windowDays: 30, separateDays: true },
          { _tag: "per-room-rate", callsPerRoom: 0.5, per: "year", appliesTo: ["motel-hotel"] }
        ],
        countedChannels: ["911", "non-emergency"],
        countedCategories: ["disorder", "nuisance"]
      }
    },
    pop: { patrolWorkloadCeilingPercent: 60, discretionaryTimeFloorPercent: 40 },
    neighborhoodProsecutor: {
      assignment: "neighborhood",
      focusAreas: [
        { id: "gang-activity", name: "Gang activity" },
        { id: "drug-trade", name: "Drug trade" },
        { id: "human-trafficking", name: "Human trafficking" },
        { id: "domestic-violence", name: "Domestic violence" }
      ],
      evaluationFramework: "Bureau of Justice Assistance, NCJ 192826 (7 dimensions)",
      evaluationDimensions: [
        { id: "target-problems", name: "Target problems" },
        { id: "geographic-area", name: "Geographic area" },
        { id: "community-role", name: "Community role" },
        { id: "response-content", name: "Response content" },
        { id: "organizational-change", name: "Organizational change" },
        { id: "case-processing", name: "Case processing" },
        { id: "partnerships", name: "Partnerships" }
      ]
    }
  },
  assumptions: [
    "Holidays are the usual US and California city holidays for 2026, not the city's adopted calendar.",
    "Court holidays are the California courts' published 2026 schedule (Code Civ. Proc. 135); later years must be added.",
    "The chronic nuisance thresholds are Milwaukee's (3 in 30 days on separate days) and Chula Vista's (0.5 calls per room per year for motels), not a Sacramento ordinance.",
    "The chronic nuisance rules count disorder and nuisance calls only, a narrow starting list, not the nuisance activities of a Sacramento ordinance.",
    "Compliance periods other than dangerous buildings (City Code 8.96.130) are the typical 14 days, not taken from the City Code.",
    "The 30 days to pay abatement costs before a lien is a common choice, not taken from the City Code.",
    "The 15 days to request a hearing, the 10 days' least notice of a hearing date and the 10 days to give notice after a summary abatement are typical practice, not taken from the City Code; summary abatement is granted to code enforcement officers only.",
    "Case duties follow the 2016 platform's team (the code enforcement officer inspects and serves notices, the sergeant brings police evidence, the city attorney files civil actions); hearing decisions and payments are recorded by clerks.",
    "Neighborhoods are a sample without boundaries; police districts and beats are those of 2006.",
    "Neighborhood prosecutors are assigned by neighborhood, following the pilot's focus on high-crime neighborhoods."
  ]
}
