/**
 * The code table for the Sacramento Police Department's computer-aided
 * dispatch (CAD) call types, as the city's open data "Call for Service Data"
 * (January 2019 - July 2024) writes them.
 *
 * Choices a city should review:
 *
 * - `WELFARE CHECK` (call type 981) counts as **medical**: it is help
 *   summoned for a person who may be in an emergency (Gov. Code 53165), and
 *   counting it would penalize a neighbor or relative for asking police to
 *   look in on someone.
 * - `DISTURBANCE-FAMILY` (415F) counts as **domestic violence**, as family
 *   disturbance reports do in the 2006 table: Family Code 6211 includes abuse
 *   of a relative, and a miss would penalize a call for help.
 * - `DISTURBANCE-CLARIFY` (415) and `DISTURBANCE-NOISE` (415E) are
 *   **disorder**: the calls chronic-nuisance rules are written for.
 * - Police CAD has no fire call types; fire and EMS calls come from the fire
 *   department's dispatch, which needs its own table.
 *
 * @module
 */
import type { CodeRule, CodeTable } from "../CodeTable.ts"

const callType = (id: string, value: string, categories: CodeRule["categories"], source: string): CodeRule => ({
  id,
  field: "description",
  match: "equals",
  value,
  categories,
  source
})

/**
 * Sacramento CAD call-type descriptions (open data 2019-2024). Rules match
 * the `Description` column; each source names the CAD `Call_Type` code too.
 */
export const sacramentoCad: CodeTable = {
  id: "sacramento-cad",
  version: "2019-2024",
  description: "Sacramento Police Department CAD call types (Description column), city open data Call for Service Data, January 2019 - July 2024.",
  rules: [
    callType("cad-415dv", "DISTURBANCE-DOMESTIC VIOLENCE-VERBAL ONLY", ["domestic-violence"], "CAD call type 415DV: a domestic violence call; protected whether or not it turned physical (Gov. Code 53165; 34 U.S.C. 12495)"),
    callType("cad-415f", "DISTURBANCE-FAMILY", ["domestic-violence"], "CAD call type 415F: a family disturbance; Family Code 6211 counts abuse of a relative as domestic violence"),
    callType("cad-242p", "MISDEMEANOR ASSAULT-IN PROGRESS", ["victimization"], "CAD call type 242P: an assault or battery in progress (Penal Code 240, 242)"),
    callType("cad-945", "MEDICAL AID-CLARIFY IN TEXT", ["medical"], "CAD call type 945: medical aid"),
    callType("cad-981", "WELFARE CHECK", ["medical"], "CAD call type 981: a check on a person who may be in an emergency (Gov. Code 53165)"),
    callType("cad-901a", "VEHICLE ACCIDENT-INJURIES", ["medical"], "CAD call type 901A: a collision with injuries"),
    callType("cad-415", "DISTURBANCE-CLARIFY", ["disorder"], "CAD call type 415: a disturbance (Penal Code 415, disturbing the peace)"),
    callType("cad-415e", "DISTURBANCE-NOISE", ["disorder"], "CAD call type 415E: a noise disturbance (Penal Code 415(2), loud and unreasonable noise)")
  ]
}
