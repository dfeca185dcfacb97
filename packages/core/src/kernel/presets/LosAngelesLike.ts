/**
 * A configuration for a large city organized like Los Angeles: 15 council
 * districts and 21 police divisions split into numbered reporting districts.
 * It exists to show that nothing in the library is Sacramento-specific, and
 * as a starting point for cities built that way.
 *
 * @module
 */
import { californiaCourtHolidays2026 } from "./CaliforniaCourtHolidays.ts"
import type { Jurisdiction } from "../Jurisdiction.ts"
import type { Period } from "../Period.ts"

const businessDays = (amount: number): Period => ({ amount, unit: "business-days" })

// LAPD's 21 geographic areas, by area number.
const divisions = [
  "Central",
  "Rampart",
  "Southwest",
  "Hollenbeck",
  "Harbor",
  "Hollywood",
  "Wilshire",
  "West Los Angeles",
  "Van Nuys",
  "West Valley",
  "Northeast",
  "77th Street",
  "Newton",
  "Pacific",
  "North Hollywood",
  "Foothill",
  "Devonshire",
  "Southeast",
  "Mission",
  "Olympic",
  "Topanga"
]

// Illustrative reporting districts (area number, then two digits) for three
// divisions; a real configuration lists all of them.
const reportingDistricts: Readonly<Record<string, ReadonlyArray<string>>> = {
  "1": ["0101", "0111", "0152"],
  "12": ["1201", "1213", "1245"],
  "18": ["1802", "1822", "1833"]
}

/**
 * A Los Angeles-like city: council districts 1-15, 21 police divisions,
 * Portland-style chronic nuisance thresholds, business-day compliance
 * periods, and one
 * neighborhood prosecutor per division as in Los Angeles since 2002.
 */
export const losAngelesLike: Jurisdiction = {
  id: "los-angeles-like",
  name: "Los Angeles-like example city",
  timeZone: "America/Los_Angeles",
  councilDistricts: Array.from({ length: 15 }, (_, index) => ({
    id: String(index + 1),
    name: `Council District ${index + 1}`
  })),
  policeDistricts: divisions.map((name, index) => {
    const id = String(index + 1)
    return {
      id,
      name: `${name} Division`,
      beats: (reportingDistricts[id] ?? []).map((rd) => ({ id: rd, name: `Reporting District ${rd}` }))
    }
  }),
  neighborhoods: [],
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
    { date: "2026-12-25", name: "Christmas Day" }
  ],
  courtHolidays: californiaCourtHolidays2026,
  programs: {
    justiceForNeighbors: {
      teamSeats: ["neighborhood-prosecutor", "sergeant", "code-enforcement-officer", "code-enforcement-officer"],
      caseDuties: {
        "take-intake": ["code-enforcement-officer", "sergeant", "neighborhood-prosecutor", "clerk"],
        inspect: ["code-enforcement-officer"],
        "serve-notice": ["code-enforcement-officer"],
        "grant-extension": ["code-enforcement-officer", "neighborhood-prosecutor"],
        "work-with-owner": ["neighborhood-prosecutor", "sergeant", "code-enforcement-officer"],
        "issue-citation": ["code-enforcement-officer"],
        "attach-police-evidence": ["sergeant", "pop-officer"],
        "record-hearing": ["clerk"],
        abate: ["code-enforcement-officer"],
        "summary-abatement": ["code-enforcement-officer"],
        "record-payment": ["clerk"],
        "file-civil-action": ["neighborhood-prosecutor", "city-attorney"],
        "close-case": ["code-enforcement-officer", "neighborhood-prosecutor"],
        comment: ["code-enforcement-officer", "sergeant", "neighborhood-prosecutor", "pop-officer", "clerk"]
      },
      periods: {
        inspection: { amount: 72, unit: "hours" },
        hazardInspection: { amount: 4, unit: "hours" },
        compliance: {
          "illegal-dumping": businessDays(5),
          squatters: businessDays(10),
          "absent-landlord": businessDays(10),
          "dangerous-building": { amount: 30, unit: "calendar-days" },
          "irresponsible-business-owner": businessDays(10),
          "excessive-calls-for-service": businessDays(10),
          blight: businessDays(10)
        },
        courtAppeal: { amount: 20, unit: "calendar-days" },
        costPayment: businessDays(15),
        hearingRequest: { amount: 15, unit: "calendar-days" },
        hearingNotice: { amount: 10, unit: "calendar-days" },
        postAbatementNotice: businessDays(5)
      },
      fineCaps: {
        general: { capsInDollars: [100, 200, 500], windowDays: 365 },
        buildingAndSafety: { capsInDollars: [130, 700, 1300], windowDays: 365 }
      },
      chronicNuisance: {
        rules: [
          { _tag: "count-in-window", count: 3, windowDays: 30, separateDays: false },
          { _tag: "per-room-monthly-allotment", callsPerRoomPerYear: 0.4, appliesTo: ["motel-hotel"] }
        ],
        countedChannels: ["911", "non-emergency", "officer-initiated"],
        countedCategories: ["disorder", "nuisance", "drug-trade", "gang-activity", "prostitution"]
      }
    },
    pop: { patrolWorkloadCeilingPercent: 55, discretionaryTimeFloorPercent: 45 },
    neighborhoodProsecutor: {
      assignment: "police-district",
      focusAreas: [
        { id: "quality-of-life", name: "Quality-of-life crime" },
        { id: "nuisance-properties", name: "Nuisance properties" },
        { id: "gang-activity", name: "Gang activity" }
      ],
      evaluationFramework: "APA/CCI, NCJ 237038 (5 goals)",
      evaluationDimensions: [
        { id: "community-engagement", name: "Community engagement" },
        { id: "problem-solving", name: "Problem solving" },
        { id: "case-administration", name: "Case administration" },
        { id: "public-safety", name: "Public safety" },
        { id: "interagency-partnerships", name: "Interagency partnerships" }
      ]
    }
  },
  assumptions: [
    "This is an example city, not the City of Los Angeles' configuration.",
    "Reporting district numbers are illustrative and listed for three divisions only.",
    "Holidays are the usual US and California holidays for 2026.",
    "Court holidays are the California courts' published 2026 schedule (Code Civ. Proc. 135); later years must be added.",
    "Compliance periods and the POP split are examples chosen to differ from the Sacramento preset.",
    "Case duties give the neighborhood prosecutor (a deputy city attorney, as in Los Angeles since 2002) the city attorney's part; the 15 business days to pay abatement costs are an example."
  ]
}
