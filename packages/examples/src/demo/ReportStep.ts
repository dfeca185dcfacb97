/**
 * Step 5 of the demo: the program's report, from the read models only (the
 * case board and the team rosters): cases per district and stage, the
 * overdue list, fines issued, time in stage, staffing, the chronic-caller
 * candidates and one property's public status page. The same report data
 * is printed and written as a self-contained HTML page with a chart of
 * cases per district (`Report.ts`).
 *
 * What the report holds is fit for the program's staff and managers: case
 * numbers, addresses of properties and amounts, no person. The excluded
 * calls of a finding stay out (a protected call at an address points at a
 * victim), the chronic-caller findings (addresses and call counts) are
 * labelled internal, not for public release, and the public status view is
 * the one residents get, redacted for the `public` audience.
 *
 * @module
 */
import { DateTime, Effect, Schema } from "effect"
import { type Jurisdiction } from "@community-policing/core"
import {
  caseCounts,
  type ChronicCallerEvidence,
  type DistrictFines,
  finesIssued,
  type OverdueItem,
  overdueItems,
  PropertyStatus,
  propertyStatus,
  type StageDuration,
  teamRosters,
  timeInStage,
  toCents,
  toDollars,
  type UnderstaffedDistrict,
  understaffedDistricts
} from "@community-policing/core/justice-for-neighbors"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describeLandUse } from "./ChronicCallersStep.ts"
import { councilDistrictName } from "./DemoJurisdiction.ts"
import { type Report, reportHtml, reportText, type Section } from "./Report.ts"

/** The HTML page could not be written (a missing or read-only folder, a full disk). */
export class ReportNotWritten extends Schema.TaggedError<ReportNotWritten>()("ReportNotWritten", {
  file: Schema.String,
  reason: Schema.String
}) {}

/** What the report is about: the run's facts it names in its subtitle. */
export interface ReportFacts {
  readonly tenantId: string
  readonly jurisdiction: Jurisdiction
  readonly asOf: DateTime.Utc
  readonly year: { readonly from: string; readonly to: string; readonly calls: number; readonly seed: number }
  readonly candidates: ReadonlyArray<ChronicCallerEvidence>
  readonly candidateCaseLimit: number
  /** The property whose public status page the report shows. */
  readonly statusAddress: string
  /** The notices the rules queued and where they stand (see `NotificationsStep`). */
  readonly notices: Section
  /** Where `report.html` is written. */
  readonly folder: string
}

/** The report and what it was made from. */
export interface ProgramReport {
  readonly report: Report
  readonly htmlFile: string
  readonly overdue: ReadonlyArray<OverdueItem>
  readonly fines: ReadonlyArray<DistrictFines>
  readonly durations: ReadonlyArray<StageDuration>
  readonly understaffed: ReadonlyArray<UnderstaffedDistrict>
  readonly staffedTeams: number
  /** The public status page of {@link ReportFacts.statusAddress}, as residents get it. */
  readonly publicStatus: unknown
}

/** How many chronic-caller candidates the report lists, the most counted calls first. */
export const candidatesListed = 10

const DAY = 86_400_000
const days = (milliseconds: number): number => Math.round((milliseconds / DAY) * 10) / 10

/** Builds the report from the read models as of `asOf`, prints it and writes `report.html`. */
export const programReport = (facts: ReportFacts, write: (text: string) => void) =>
  Effect.gen(function*() {
    const { tenantId, jurisdiction, asOf } = facts
    const zone = jurisdiction.timeZone
    const local = (instant: DateTime.DateTime) => DateTime.formatIsoZoned(DateTime.setZoneNamedUnsafe(instant, zone)).slice(0, 16).replace("T", " ")
    const districtName = (id: string | undefined) => councilDistrictName(jurisdiction, id)

    const counts = yield* caseCounts(tenantId)
    const overdue = yield* overdueItems(tenantId, asOf)
    const fines = yield* finesIssued(tenantId)
    const durations = yield* timeInStage(tenantId, asOf)
    const rosters = yield* teamRosters(tenantId)
    const understaffed = yield* understaffedDistricts(tenantId, jurisdiction)
    const publicStatus = yield* propertyStatus(tenantId, facts.statusAddress)
    // The page is shown as residents get it: the redacted JSON, read back with the public schema.
    const status = yield* Schema.decodeUnknownEffect(PropertyStatus)(publicStatus)

    const perDistrict = jurisdiction.councilDistricts.map((district) => ({
      label: district.name,
      value: counts.filter((row) => row.councilDistrict === district.id).reduce((sum, row) => sum + row.cases, 0)
    }))
    const staffedTeams = rosters.filter((roster) => roster.understaffedSince === null && roster.seats.length > 0).length
    const totalCents = (pick: (row: DistrictFines) => number) => fines.reduce((sum, row) => sum + toCents(pick(row)), 0)

    const sections: Array<Section> = [
      {
        heading: "Cases per council district and stage",
        table: {
          columns: ["district", "category", "stage", "cases"],
          rows: counts.map((row) => [districtName(row.councilDistrict), row.category, row.stage, row.cases])
        }
      },
      {
        heading: `Overdue items as of ${local(asOf)} (${zone})`,
        table: {
          columns: ["case", "district", "property", "stage", "waiting for", "due", "days overdue"],
          rows: overdue.map((item) => [
            item.caseId,
            districtName(item.councilDistrict),
            item.addressKey,
            item.stage,
            item.deadline.purpose,
            local(item.deadline.due),
            days(item.overdueMilliseconds)
          ])
        }
      },
      {
        heading: "Administrative fines issued (Gov. Code 36900; caps from the configuration)",
        table: {
          columns: ["district", "citations", "issued ($)", "cancelled", "paid ($)"],
          rows: [
            ...fines.map((row) => [districtName(row.councilDistrict), row.citations, row.issuedInDollars, row.cancelledCitations, row.paidInDollars]),
            [
              "all districts",
              fines.reduce((sum, row) => sum + row.citations, 0),
              toDollars(totalCents((row) => row.issuedInDollars)),
              fines.reduce((sum, row) => sum + row.cancelledCitations, 0),
              toDollars(totalCents((row) => row.paidInDollars))
            ]
          ]
        }
      },
      {
        heading: `Time in stage as of ${local(asOf)} (days)`,
        table: {
          columns: ["stage", "cases", "median", "mean"],
          rows: durations.map((row) => [row.stage, row.cases, days(row.medianMilliseconds), days(row.meanMilliseconds)])
        }
      },
      {
        heading: "District teams",
        lines: [
          `${staffedTeams} of ${jurisdiction.councilDistricts.length} council districts have a team with every configured seat filled ` +
            `(${jurisdiction.programs.justiceForNeighbors.teamSeats.join(", ")})`,
          `understaffed districts: ${
            understaffed.length === 0
              ? "none"
              : understaffed.map((u) => `${districtName(u.district)} (${u.teamFormed ? `${u.vacantSeats.length} vacant seats` : "no team"})`).join(", ")
          }`
        ]
      },
      facts.notices,
      {
        heading: `Chronic non-residential 911 users on ${facts.candidates[0]?.asOfDay ?? facts.year.to}: ${facts.candidates.length} places` +
          (facts.candidates.length > candidatesListed ? `, the ${candidatesListed} with the most counted calls` : ""),
        internal: "findings for the district teams to check, not designations; " +
          "the addresses and call counts are evidence, and the calls behind them are personal or confidential " +
          "(a protected call kept out points at a victim).",
        table: {
          columns: ["property", "land use", "district", "counted calls", "threshold met", "case"],
          rows: facts.candidates.slice(0, candidatesListed).map((evidence, index) => [
            evidence.addressKey,
            describeLandUse(evidence),
            districtName(evidence.place.districts.councilDistrict),
            evidence.counted.length,
            evidence.ruleDescription,
            index < facts.candidateCaseLimit ? "opened" : "not in the demo"
          ])
        }
      },
      {
        heading: `Public status of ${status.addressKey} (what a resident sees)`,
        table: {
          columns: ["case", "category", "status", "opened", "closed", "outcome", "next step", "due"],
          rows: status.cases.map((row) => [
            row.caseId,
            row.categoryInWords,
            row.stageInWords,
            local(row.openedAt),
            row.closedAt === null ? "" : local(row.closedAt),
            row.outcomeInWords ?? "",
            row.nextStep?.inWords ?? "",
            row.nextStep?.due == null ? "" : local(row.nextStep.due)
          ])
        }
      }
    ]
    const report: Report = {
      title: `Justice for Neighbors: ${jurisdiction.name}`,
      subtitle: `Cases as of ${local(asOf)} (${zone}). ${facts.year.calls.toLocaleString("en-US")} calls generated for ` +
        `${facts.year.from} to ${facts.year.to} (seed ${facts.year.seed}; a Sacramento year has about 400,000); ` +
        "staff, owners and complainants are fictional, " +
        "council district boundaries illustrative.",
      chart: { title: "Cases per council district", bars: perDistrict },
      sections
    }
    for (const line of reportText(report)) write(`${line}\n`)
    const htmlFile = join(facts.folder, "report.html")
    yield* Effect.try({
      try: () => writeFileSync(htmlFile, reportHtml(report)),
      catch: (cause) => new ReportNotWritten({ file: htmlFile, reason: String(cause) })
    })
    write(`\nreport written to ${htmlFile}\n`)
    return { report, htmlFile, overdue, fines, durations, understaffed, staffedTeams, publicStatus } satisfies ProgramReport
  })
