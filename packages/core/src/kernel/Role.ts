/**
 * Roles of the people who run the programs, and the audiences a view is made for.
 *
 * @module
 */
import { Schema } from "effect"

/**
 * A staff role. Every program grants its commands to roles, never to named
 * people, so a city can re-staff without touching code.
 */
export const Role = Schema.Literals([
  "officer",
  "sergeant",
  "pop-officer",
  "watch-commander",
  "city-attorney",
  "code-enforcement-officer",
  "neighborhood-prosecutor",
  "commissioner",
  "clerk",
  "analyst"
])

/** A staff role; see {@link Role}. */
export type Role = typeof Role.Type

/**
 * Who a view of the data is for.
 *
 * - `public`: anyone (public status pages, open data).
 * - `commission`: the civilian oversight commission, which by ordinance sees
 *   aggregate data only (Sacramento City Code 2.100.030; Penal Code 832.7).
 * - `staff`: city staff working the case.
 * - `prosecutor`: a neighborhood prosecutor or city attorney building a case.
 */
export const Audience = Schema.Literals(["public", "commission", "staff", "prosecutor"])

/** Who a view of the data is for; see {@link Audience}. */
export type Audience = typeof Audience.Type
