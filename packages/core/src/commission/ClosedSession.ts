/**
 * Closed sessions: the statutory bases on which a body may meet out of
 * public view, each with its citation, as a configurable list a city may
 * extend with its own bases and their sources. The meeting's decider
 * refuses any other basis, requires the announcement before the session
 * (Gov. Code 54957.7(a)) and its report of actions and votes after it
 * (54957.1) before the meeting adjourns.
 *
 * @module
 */
import { Schema } from "effect"
import type { OpenMeetingsLaw } from "./OpenMeetingsLaw.ts"

/**
 * A statutory basis on which a body may meet in closed session, with its
 * citation. A city may add its own bases, each with its source.
 */
export const ClosedSessionBasis = Schema.Struct({
  /** A stable id, e.g. `personnel`. */
  id: Schema.NonEmptyString.check(Schema.isTrimmed()),
  /** What the basis allows, in a few words. */
  description: Schema.NonEmptyString,
  /** Where the law allows it, e.g. `Gov. Code 54957(b)(1)`. */
  citation: Schema.NonEmptyString.check(Schema.isTrimmed())
})

/** A closed-session basis; see {@link ClosedSessionBasis}. */
export type ClosedSessionBasis = typeof ClosedSessionBasis.Type

/**
 * The closed-session bases of the Brown Act a police commission uses, each
 * with its section. A city adds its own with {@link withClosedSessionBases}.
 */
export const brownActClosedSessionBases: ReadonlyArray<ClosedSessionBasis> = [
  { id: "personnel", description: "appointment, employment, evaluation, discipline or dismissal of an employee", citation: "Gov. Code 54957(b)(1)" },
  { id: "public-security", description: "threat to public services or facilities, with security personnel", citation: "Gov. Code 54957(a)" },
  { id: "pending-litigation", description: "conference with legal counsel on pending litigation", citation: "Gov. Code 54956.9" },
  { id: "labor-negotiations", description: "instructions to the agency's labor negotiators", citation: "Gov. Code 54957.6" },
  { id: "real-property", description: "instructions to negotiators on the price or terms of real property", citation: "Gov. Code 54956.8" }
]

/**
 * Washington's executive-session bases a police commission would use
 * (RCW 42.30.110(1); the subsection letters are unverified here).
 */
export const washingtonExecutiveSessionBases: ReadonlyArray<ClosedSessionBasis> = [
  { id: "personnel", description: "qualifications of an applicant or performance of a public employee", citation: "RCW 42.30.110(1)(g)" },
  { id: "pending-litigation", description: "discussion with legal counsel of litigation or potential litigation", citation: "RCW 42.30.110(1)(i)" },
  { id: "public-security", description: "matters affecting national security", citation: "RCW 42.30.110(1)(a)" }
]

/**
 * The law with the city's own closed-session bases added, each with its
 * source (a charter section, an ordinance).
 *
 * @example
 * ```ts
 * withClosedSessionBases(californiaBrownAct, [
 *   { id: "city-basis", description: "what the city's own rule allows", citation: "the ordinance section that allows it" }
 * ])
 * ```
 */
export const withClosedSessionBases = (
  law: OpenMeetingsLaw,
  bases: ReadonlyArray<ClosedSessionBasis>
): OpenMeetingsLaw => ({
  ...law,
  closedSession: { ...law.closedSession, bases: [...law.closedSession.bases, ...bases] }
})
