/**
 * The code table for Sacramento Police Department crime reports as the 2006
 * public extract writes them (`crimedescr`: a statute-prefixed description
 * such as `243(E)1 BATTERY NONCOHAB SPOUS`, or a report type such as
 * `GANG ACTIVITY - I RPT`).
 *
 * Choices a city should review:
 *
 * - **Drug trade** is selling, not using: sale, transport, furnishing,
 *   possession for sale, keeping a place for drug dealing (H&S 11366, the
 *   statute the Drug Abatement Act H&S 11570 builds on) and loitering to deal
 *   (H&S 11532). Simple possession (H&S 11350, 11357, 11377), paraphernalia
 *   (11364), being under the influence (11550) and cultivation (11358, which
 *   does not say for sale) are not, and neither is the report type
 *   `NARCOTICS SUSP/EVID/ACT- I RPT`, which does not say which it is.
 * - **Victimization** is a crime against a person (the Penal Code's homicide,
 *   kidnapping, robbery, assault, battery, sex-offense, threat, stalking,
 *   elder- and child-abuse sections, and the Vehicle Code's injury
 *   hit-and-run and injury DUI). Categories may overlap: `243` marks every
 *   battery, so a `243(E)` report is both `domestic-violence` (the
 *   relationship) and `victimization` (the crime), as is a `273.5` report.
 * - **Medical** includes mental-health emergencies: a `5150 WI` hold and a
 *   `POSSIBLE MENTAL` report are help summoned for a person in an emergency
 *   (Gov. Code 53165), so they must never count against an address.
 * - **Crimes against the premises**: burglary (459), theft (484, 487, 488;
 *   not the card-fraud sections 484e-484j), vandalism (594), and trespass,
 *   dumping and graffiti, which were `nuisance` before issue 10. Reported at
 *   a place, the place or someone at it is their victim, and Gov. Code 53165 forbids counting a call by or for
 *   a victim of any crime, so they are `crime-against-premises`, a protected
 *   category. Littering and abandoned vehicles stay `nuisance`.
 * - **Family disturbance** reports count as domestic violence: Family Code
 *   6211 includes abuse of a relative, and a miss here would penalize a
 *   household for calling for help, while a false match only leaves a call
 *   uncounted.
 *
 * @module
 */
import type { CodeRule, CodeTable } from "../CodeTable.ts"

const statute = (id: string, value: string, categories: CodeRule["categories"], source: string): CodeRule => ({
  id,
  field: "statute",
  match: "prefix",
  value,
  categories,
  source
})

const report = (id: string, value: string, categories: CodeRule["categories"], source: string): CodeRule => ({
  id,
  field: "description",
  match: "equals",
  value,
  categories,
  source
})

/**
 * Sacramento PD crime-report descriptions, January 2006 extract
 * (`data/sacramento-crime-2006-01.csv` in the repository). Each rule's `source`
 * names the statute or report type it encodes; see the module notes for the
 * borderline choices.
 */
export const sacramentoCrimeReports2006: CodeTable = {
  id: "sacramento-crime-reports-2006",
  version: "2006-01",
  description: "Sacramento Police Department crime-report descriptions (crimedescr) as in the January 2006 public extract.",
  rules: [
    // Domestic violence
    statute("pc-243e", "243(E)", ["domestic-violence"], "Penal Code 243(e)(1): battery against a spouse, cohabitant, fiance(e), dating partner or the other parent of one's child"),
    statute("pc-273-5", "273.5", ["domestic-violence", "victimization"], "Penal Code 273.5: corporal injury to a spouse, cohabitant or dating partner"),
    statute("pc-273-6", "273.6", ["domestic-violence"], "Penal Code 273.6: violating a protective order, such as a domestic violence restraining order (Family Code 6218)"),
    report("rpt-family-disturbance", "FAMILY DISTURBANCE - I RPT", ["domestic-violence"], "SPD information report of a family disturbance; Family Code 6211 counts abuse of a relative as domestic violence"),

    // Crimes against a person
    statute("pc-187", "187", ["victimization"], "Penal Code 187: murder"),
    statute("pc-664-187", "664/187", ["victimization"], "Penal Code 664/187: attempted murder"),
    statute("pc-203", "203", ["victimization"], "Penal Code 203: mayhem"),
    statute("pc-207", "207", ["victimization"], "Penal Code 207: kidnapping"),
    statute("pc-211", "211", ["victimization"], "Penal Code 211: robbery, property taken from a person by force or fear"),
    statute("pc-212-5", "212.5", ["victimization"], "Penal Code 212.5: robbery in a dwelling, of a transit passenger, or at an ATM"),
    statute("pc-215", "215", ["victimization"], "Penal Code 215: carjacking"),
    statute("pc-240", "240", ["victimization"], "Penal Code 240: assault"),
    statute("pc-241", "241", ["victimization"], "Penal Code 241: assault, including on a peace officer or emergency worker"),
    statute("pc-242", "242", ["victimization"], "Penal Code 242: battery"),
    statute("pc-243", "243", ["victimization"], "Penal Code 243: battery, every subdivision (243(e)(1) is also domestic violence, rule pc-243e)"),
    statute("pc-243-2", "243.2", ["victimization"], "Penal Code 243.2: battery on school, park or hospital grounds"),
    statute("pc-243-3", "243.3", ["victimization"], "Penal Code 243.3: battery on a transit operator or passenger"),
    statute("pc-243-4", "243.4", ["victimization"], "Penal Code 243.4: sexual battery"),
    statute("pc-243-6", "243.6", ["victimization"], "Penal Code 243.6: battery on a school employee"),
    statute("pc-245", "245", ["victimization"], "Penal Code 245: assault with a deadly weapon or force likely to cause great bodily injury"),
    statute("pc-246", "246", ["victimization"], "Penal Code 246: shooting at an inhabited dwelling or occupied vehicle"),
    statute("pc-261", "261", ["victimization"], "Penal Code 261: rape"),
    statute("pc-288", "288", ["victimization"], "Penal Code 288: lewd acts with a child"),
    statute("pc-273a", "273A", ["victimization"], "Penal Code 273a: child endangerment and abuse"),
    statute("pc-368", "368", ["victimization"], "Penal Code 368: elder and dependent adult abuse, including theft from an elder (368(d), (e))"),
    statute("pc-422", "422", ["victimization"], "Penal Code 422: criminal threats"),
    statute("pc-646-9", "646.9", ["victimization"], "Penal Code 646.9: stalking"),
    statute("pc-136-1", "136.1", ["victimization"], "Penal Code 136.1: dissuading a victim or witness from reporting or testifying"),
    statute("vc-20001", "20001", ["victimization"], "Vehicle Code 20001: leaving the scene of a collision that injured or killed someone"),
    statute("vc-23153", "23153", ["victimization"], "Vehicle Code 23153: driving under the influence and injuring someone"),
    report("rpt-battery", "BATTERY - I RPT", ["victimization"], "SPD information report of a battery (Penal Code 242)"),
    report("rpt-assault-with-weapon", "ASSAULT WITH WEAPON - I RPT", ["victimization"], "SPD information report of an assault with a weapon (Penal Code 245)"),
    report("rpt-homicide-assault", "HOMICIDE ASSAULT - I RPT", ["victimization"], "SPD information report of a homicide or assault (Penal Code 187, 245)"),
    report("rpt-robbery", "ROBBERY - I RPT", ["victimization"], "SPD information report of a robbery (Penal Code 211)"),
    report("rpt-threats", "THREATS - I RPT", ["victimization"], "SPD information report of threats (Penal Code 422)"),
    report("rpt-terrorist-threats", "TERRORIST THREATS - I RPT", ["victimization"], "SPD information report of criminal threats (Penal Code 422)"),
    report("rpt-elder-abuse", "ELDER ABUSE/PHYS/MENTAL-I RPT", ["victimization"], "SPD information report of elder abuse (Penal Code 368)"),
    report("rpt-shoot-into-dwelling", "SHOOT INTO OCCUP DWELL - I RPT", ["victimization"], "SPD information report of shooting into an occupied dwelling (Penal Code 246)"),

    // The neighborhood prosecutor's focus areas
    statute("pc-236-1", "236.1", ["human-trafficking", "victimization"], "Penal Code 236.1: human trafficking; its victims are victims of abuse (Gov. Code 53165, 53165.1)"),
    statute("pc-186-22", "186.22", ["gang-activity"], "Penal Code 186.22: participation in a criminal street gang (STEP Act)"),
    {
      id: "rpt-gang",
      field: "description",
      match: "contains",
      value: "GANG",
      categories: ["gang-activity"],
      source: "Any SPD description naming a gang, e.g. the information report GANG ACTIVITY - I RPT"
    },
    statute("pc-647b", "647(B)", ["prostitution"], "Penal Code 647(b): soliciting or engaging in prostitution"),
    statute("pc-653-22", "653.22", ["prostitution"], "Penal Code 653.22: loitering with intent to commit prostitution (in force in 2006; repealed 2023)"),
    statute("pc-266h", "266H", ["prostitution"], "Penal Code 266h: pimping"),
    statute("pc-266i", "266I", ["prostitution"], "Penal Code 266i: pandering"),
    statute("hs-11351", "11351", ["drug-trade"], "Health and Safety Code 11351: possession or purchase for sale of narcotics"),
    statute("hs-11351-5", "11351.5", ["drug-trade"], "Health and Safety Code 11351.5: possession or purchase for sale of cocaine base"),
    statute("hs-11352", "11352", ["drug-trade"], "Health and Safety Code 11352: transporting, selling or furnishing narcotics"),
    statute("hs-11359", "11359", ["drug-trade"], "Health and Safety Code 11359: possession of marijuana for sale"),
    statute("hs-11360", "11360", ["drug-trade"], "Health and Safety Code 11360: transporting, selling or furnishing marijuana"),
    statute("hs-11361", "11361", ["drug-trade"], "Health and Safety Code 11361: employing or furnishing a minor in marijuana sales"),
    statute("hs-11366", "11366", ["drug-trade"], "Health and Safety Code 11366: keeping a place for selling or using controlled substances (a drug house; cf. the Drug Abatement Act, H&S 11570)"),
    statute("hs-11378", "11378", ["drug-trade"], "Health and Safety Code 11378: possession for sale of controlled substances"),
    statute("hs-11379", "11379", ["drug-trade"], "Health and Safety Code 11379: transporting, selling or furnishing controlled substances"),
    statute("hs-11532", "11532", ["drug-trade"], "Health and Safety Code 11532: loitering to commit a drug offense (street drug markets)"),

    // Emergencies
    statute("wi-5150", "5150", ["medical"], "Welfare and Institutions Code 5150: mental-health hold of a person who is a danger to self or others, a person in an emergency (Gov. Code 53165)"),
    report("rpt-casualty", "CASUALTY REPORT", ["medical"], "SPD casualty report: a person injured or dead"),
    report("rpt-possible-mental", "POSSIBLE MENTAL - I RPT", ["medical"], "SPD information report of a possible mental-health crisis, a person in an emergency (Gov. Code 53165)"),
    report("rpt-injury-collision", "TRAFFIC-ACCIDENT INJURY", ["medical"], "SPD report of a collision with injuries"),
    {
      id: "rpt-fire",
      field: "description",
      match: "prefix",
      value: "ACCIDENTAL FIRES/ARSON",
      categories: ["fire-ems"],
      source: "SPD information report of a fire (ACCIDENTAL FIRES/ARSON -I RPT)"
    },
    statute("pc-451", "451", ["fire-ems"], "Penal Code 451: arson"),
    statute("pc-452", "452", ["fire-ems"], "Penal Code 452: unlawfully causing a fire"),

    // Disorder and nuisance: what chronic-nuisance rules count
    statute("pc-415", "415", ["disorder"], "Penal Code 415: disturbing the peace (fighting, loud noise, offensive words)"),
    statute("pc-415-5", "415.5", ["disorder"], "Penal Code 415.5: disturbing the peace of a school or college"),
    statute("pc-647f", "647(F)", ["disorder"], "Penal Code 647(f): public intoxication"),
    statute("scc-9-04-050", "9.04.050", ["disorder"], "Sacramento City Code 9.04.050 as the 2006 descriptions cite it: drinking in public"),
    statute("scc-9-04-050c", "9.04.050C", ["disorder"], "Sacramento City Code 9.04.050(C) as the 2006 descriptions cite it: open container"),
    report("rpt-neighborhood-disturbance", "NEIGHBORHOOD DISTURBANCE-I RPT", ["disorder"], "SPD information report of a neighborhood disturbance"),
    // The records spell it "DISURBANCE"; the rule matches what the records say.
    report("rpt-juvenile-disturbance", "JUVENILE DISURBANCE - I RPT", ["disorder"], "SPD information report of a juvenile disturbance"),
    statute("pc-374-4", "374.4", ["nuisance"], "Penal Code 374.4: littering"),
    report("rpt-abandoned-vehicle", "ABANDONED VEHICLE - I RPT", ["nuisance"], "SPD information report of an abandoned vehicle (blight)"),

    // Crimes against the premises: reported at a place, the place (or someone
    // at it) is their victim, so they never count against it (Gov. Code 53165).
    statute("pc-602", "602", ["crime-against-premises"], "Penal Code 602: trespass; the premises are its victim (Gov. Code 53165)"),
    statute("pc-374-3", "374.3", ["crime-against-premises"], "Penal Code 374.3: illegal dumping; reported at a place, the place is its victim (Gov. Code 53165)"),
    statute("scc-13-10-200", "13.10.200", ["crime-against-premises"], "Sacramento City Code 13.10.200 as the 2006 descriptions cite it: dumping; reported at a place, the place may be its victim (Gov. Code 53165, fail closed)"),
    report("rpt-graffiti", "GRAFFITI PROBLEMS- I RPT", ["crime-against-premises"], "SPD information report of graffiti: vandalism of the place (Penal Code 594; Gov. Code 53165)"),
    statute("pc-459", "459", ["crime-against-premises"], "Penal Code 459: burglary (459.5 shoplifting included); reported at a place, the place is its victim (Gov. Code 53165)"),
    statute("pc-484", "484", ["crime-against-premises"], "Penal Code 484: theft; reported at a place, the place or someone at it is its victim (Gov. Code 53165)"),
    statute("pc-487", "487", ["crime-against-premises"], "Penal Code 487: grand theft (Gov. Code 53165)"),
    statute("pc-488", "488", ["crime-against-premises"], "Penal Code 488: petty theft (Gov. Code 53165)"),
    statute("pc-594", "594", ["crime-against-premises"], "Penal Code 594: vandalism; reported at a place, the place is its victim (Gov. Code 53165)")
  ]
}
