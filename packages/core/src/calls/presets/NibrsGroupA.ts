/**
 * A code table for NIBRS Group A offense codes (FBI National Incident-Based
 * Reporting System), version 2023.0 of the technical specification. Offense
 * codes change between versions (40C and 64A/64B were added after NIBRS
 * began), so the table carries the version it encodes.
 *
 * Choices a city should review:
 *
 * - **Victimization** is NIBRS's crimes against persons (homicide,
 *   kidnapping, sex offenses, assault, human trafficking) plus robbery, which
 *   NIBRS counts against property but which is taken from a person by force
 *   or fear.
 * - **Domestic violence** has no offense code in NIBRS: it is the
 *   victim-offender relationship (data element 35), which this table cannot
 *   read, so an import sets it from the relationship.
 * - **Drug trade**: 35A and 35B cover possession as well as sale; NIBRS
 *   tells them apart only in the type of criminal activity (data element
 *   12). This table therefore marks every drug offense, broader than the
 *   2006 Sacramento table, which marks sale only.
 *
 * @module
 */
import type { CodeRule, CodeTable } from "../CodeTable.ts"

const offense = (code: string, categories: CodeRule["categories"], source: string): CodeRule => ({
  id: `nibrs-${code.toLowerCase()}`,
  field: "nibrs",
  match: "equals",
  value: code,
  categories,
  source
})

/** NIBRS Group A offense codes, technical specification version 2023.0; each source names the offense. */
export const nibrsGroupA: CodeTable = {
  id: "nibrs-group-a",
  version: "2023.0",
  description: "FBI NIBRS Group A offense codes (NIBRS Technical Specification 2023.0) that the programs' categories depend on.",
  rules: [
    offense("09A", ["victimization"], "NIBRS 09A: murder and nonnegligent manslaughter"),
    offense("09B", ["victimization"], "NIBRS 09B: negligent manslaughter"),
    offense("100", ["victimization"], "NIBRS 100: kidnapping/abduction"),
    offense("11A", ["victimization"], "NIBRS 11A: rape"),
    offense("11B", ["victimization"], "NIBRS 11B: sodomy"),
    offense("11C", ["victimization"], "NIBRS 11C: sexual assault with an object"),
    offense("11D", ["victimization"], "NIBRS 11D: fondling"),
    offense("13A", ["victimization"], "NIBRS 13A: aggravated assault"),
    offense("13B", ["victimization"], "NIBRS 13B: simple assault"),
    offense("13C", ["victimization"], "NIBRS 13C: intimidation"),
    offense("36A", ["victimization"], "NIBRS 36A: incest"),
    offense("36B", ["victimization"], "NIBRS 36B: statutory rape"),
    offense("120", ["victimization"], "NIBRS 120: robbery"),
    offense("64A", ["human-trafficking", "victimization"], "NIBRS 64A: human trafficking, commercial sex acts"),
    offense("64B", ["human-trafficking", "victimization"], "NIBRS 64B: human trafficking, involuntary servitude"),
    offense("40A", ["prostitution"], "NIBRS 40A: prostitution"),
    offense("40B", ["prostitution"], "NIBRS 40B: assisting or promoting prostitution"),
    offense("40C", ["prostitution"], "NIBRS 40C: purchasing prostitution"),
    offense("35A", ["drug-trade"], "NIBRS 35A: drug/narcotic violations (possession as well as sale)"),
    offense("35B", ["drug-trade"], "NIBRS 35B: drug equipment violations (possession as well as sale)"),
    offense("200", ["fire-ems"], "NIBRS 200: arson")
  ]
}
