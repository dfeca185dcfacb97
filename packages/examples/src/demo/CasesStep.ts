/**
 * Steps 3b and 4 of the demo: open the cases (one per chronic-caller
 * candidate, capped, plus complaint-driven ones in every council district)
 * and walk them through their scripts with the clock moved forward, every
 * command through `handleCommand` on the demo's store, in the order of the
 * demo clock; then catch the case board up.
 *
 * @module
 */
import { DateTime, Effect } from "effect"
import { handleCommand } from "@community-policing/core"
import {
  type ChronicCallerEvidence,
  type JusticeForNeighborsProgram,
  type NoticeDocument,
  renderNoticeText,
  issueCitationCommand,
  type IssueCitation
} from "@community-policing/core/justice-for-neighbors"
import { caseScripts, complaintPaths, demoStart, demoZone, localTime, type ScriptedCase } from "./CaseScripts.ts"
import { pickComplaintSites } from "./ComplaintSites.ts"
import { at } from "./DemoClock.ts"
import { councilDistrictName } from "./DemoJurisdiction.ts"
import { noticeMaker, servedDocumentsOf, type ServedNotice } from "./Notices.ts"
import { progressBar, type ProgressOutput } from "./ProgressBar.ts"
import type { TeamDirectory } from "./TeamsStep.ts"

/** How many chronic-caller candidates get a case in the demo, at most (the strongest, most counted calls first). */
const withoutPriors = ({ _tag, priorViolations, ...fields }: IssueCitation) => fields

export const candidateCaseLimit = 5

/** What the case step did. */
export interface CaseWalk {
  readonly scripts: ReadonlyArray<ScriptedCase>
  readonly documents: ReadonlyArray<ServedNotice>
  /** Commands handled now; the rest were handled by an earlier run on the same file. */
  readonly handled: number
  readonly alreadyHandled: number
  /** The last instant of the walk: when the report is asked about. */
  readonly asOf: DateTime.Utc
  /** The notice of violation printed as the example document. */
  readonly exampleNotice: NoticeDocument | undefined
}

/** The demo's last day: the report is asked about 09:00 on this day of the demo (or an hour after the last step, if later). */
export const reportDay = 75

/**
 * Opens and walks the cases, then catches the case board up. `lastDay` is
 * the imported year's last day: day 0 of the demo, when the scan ran.
 */
export const walkCases = (options: {
  readonly tenantId: string
  readonly program: JusticeForNeighborsProgram
  readonly directory: TeamDirectory
  readonly candidates: ReadonlyArray<ChronicCallerEvidence>
  readonly placesFile: string
  readonly lastDay: string
  readonly output: ProgressOutput
}) =>
  Effect.gen(function*() {
    const { tenantId, program, output } = options
    const { jurisdiction } = program
    const zone = yield* demoZone(jurisdiction)
    const start = demoStart(zone, options.lastDay)
    const notices = noticeMaker(jurisdiction)
    const chosen = options.candidates.slice(0, candidateCaseLimit)
    if (options.candidates.length > candidateCaseLimit) {
      output.write(`${options.candidates.length} candidates: the demo opens cases for the top ${candidateCaseLimit} (most counted calls)\n`)
    }
    const districts = jurisdiction.councilDistricts.map((district) => district.id)
    const sites = yield* pickComplaintSites({
      tenantId,
      jurisdiction,
      placesFile: options.placesFile,
      wanted: districts.map((district, index) => ({ district, uses: complaintPaths[index % complaintPaths.length]!.uses })),
      avoid: chosen.map((evidence) => evidence.addressKey)
    })
    const scripts = yield* caseScripts({ jurisdiction, directory: options.directory, notices, zone, start }, chosen, sites)

    // One timeline for every case: the clock only moves forward.
    const timeline = scripts.flatMap((script) => script.commands).map((command, order) => ({ command, order }))
      .sort((a, b) => a.command.at - b.command.at || a.order - b.order)
      .map(({ command }) => command)
    const cases = program.aggregates.nuisanceCase
    const bar = progressBar("walking the cases", output)
    let handled = 0
    let alreadyHandled = 0
    for (const [index, step] of timeline.entries()) {
      // A citation counts the owner's citations on the property's other
      // cases: read from the case board just before it is issued.
      const command = step.command._tag === "IssueCitation"
        ? yield* issueCitationCommand(tenantId, withoutPriors(step.command))
        : step.command
      const outcome = yield* handleCommand(cases, {
        tenantId,
        commandId: step.commandId,
        actor: step.actor,
        command
      }).pipe(at(step.at))
      if (outcome._tag === "Handled") handled++
      else alreadyHandled++
      bar.update(index + 1, timeline.length, DateTime.formatIsoDate(DateTime.setZone(DateTime.makeUnsafe(step.at), zone)))
    }
    bar.finish(
      `${timeline.length} commands over ${reportDay} days: ${handled} handled now, ${alreadyHandled} already handled by an earlier run`
    )
    yield* program.projections.caseBoard.catchUp(tenantId)

    for (const script of scripts) {
      output.write(`  ${script.caseId}  ${councilDistrictName(jurisdiction, script.councilDistrict)}  ${script.category.padEnd(28)} ${script.addressKey.padEnd(24)} ${script.story}\n`)
    }
    const documents = yield* servedDocumentsOf(tenantId, cases, scripts.map((script) => script.caseId))
    const exampleNotice = documents.find((served) => served.document.kind === "notice-of-violation")?.document
    if (exampleNotice !== undefined) {
      output.write(`\nOne document, as the case made and served it (its id ${exampleNotice.id.slice(0, 19)}... is recorded with the service):\n\n`)
      for (const line of renderNoticeText(exampleNotice).trimEnd().split("\n")) output.write(`    ${line}\n`)
    }
    return {
      scripts,
      documents,
      handled,
      alreadyHandled,
      // A city with longer periods than the preset's walks past the report day: the report then waits for the walk.
      asOf: DateTime.makeUnsafe(Math.max(localTime(zone, start, reportDay, 9), (timeline.at(-1)?.at ?? start) + 3_600_000)),
      exampleNotice
    } satisfies CaseWalk
  })
