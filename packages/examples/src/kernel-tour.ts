/**
 * A tour of the shared kernel, on the Sacramento preset: validating a
 * configuration, computing deadlines under named rules, the law's protected
 * calls, and the public view of a call for service.
 *
 * Run from the repository root: `npx tsx packages/examples/src/kernel-tour.ts`
 */
import { DateTime, Result } from "effect"
import {
  type CallForService,
  computeDeadline,
  computeLatestNotice,
  formatProblemPath,
  protectedCallReasons,
  redact,
  CallForService as CallForServiceSchema,
  sacramento,
  validateJurisdiction
} from "@community-policing/core"
import { californiaBrownAct } from "@community-policing/core/commission"

/** Writes the tour to `write`, one line at a time, and returns the lines. */
export const tour = (write: (line: string) => void = console.log): ReadonlyArray<string> => {
  const lines: Array<string> = []
  const say = (line: string) => {
    lines.push(line)
    write(line)
  }

  const city = validateJurisdiction(sacramento)
  if (Result.isFailure(city)) throw new Error("the Sacramento preset must be valid")
  const jurisdiction = city.success
  say(`${jurisdiction.name}: ${jurisdiction.councilDistricts.length} council districts, ` +
    `${jurisdiction.policeDistricts.length} police districts, time zone ${jurisdiction.timeZone}`)
  say(`assumptions to review: ${jurisdiction.assumptions.length}`)

  const broken = validateJurisdiction({
    ...sacramento,
    timeZone: "America/Sacremento",
    councilDistricts: [...sacramento.councilDistricts, { id: "3", name: "District 3 again" }],
    holidays: [{ date: "2026-02-30", name: "A day that does not exist" }]
  })
  if (Result.isFailure(broken)) {
    say(`a broken configuration is refused with ${broken.failure.problems.length} problems:`)
    for (const problem of broken.failure.problems) say(`  ${formatProblemPath(problem.path)}: ${problem.message}`)
  }

  const meeting = DateTime.makeZonedUnsafe("2026-12-03T18:00:00", { timeZone: jurisdiction.timeZone, adjustForTimeZone: true })
  const posting = computeLatestNotice(meeting, californiaBrownAct.regularAgenda.hoursBefore)
  if (Result.isSuccess(posting)) say(`agenda for the ${DateTime.formatIsoZoned(meeting)} meeting posted by ${DateTime.formatIsoZoned(posting.success)} (Gov. Code 54954.2)`)

  const served = DateTime.makeZonedUnsafe("2026-11-20T10:00:00", { timeZone: jurisdiction.timeZone, adjustForTimeZone: true })
  for (const category of ["illegal-dumping", "dangerous-building"] as const) {
    const deadline = computeDeadline(
      { start: served, period: jurisdiction.programs.justiceForNeighbors.periods.compliance[category], rule: `compliance after notice of violation (${category})` },
      jurisdiction
    )
    if (Result.isSuccess(deadline)) say(`${deadline.success.rule}: due ${DateTime.formatIsoZoned(deadline.success.due)}`)
  }

  const call: CallForService = {
    sourceRecordId: "SAC-2026-000123",
    receivedAt: DateTime.makeUnsafe("2026-11-21T07:12:00Z"),
    channel: "911",
    callType: { code: "415DV", description: "DISTURBANCE-DOMESTIC VIOLENCE-VERBAL ONLY" },
    location: { addressKey: "2250 68TH AVE" },
    domesticViolenceOrVictimization: true,
    medical: false,
    fireOrEms: false,
    callerIsVictim: true
  }
  for (const reason of protectedCallReasons(call)) say(`never counts toward a nuisance designation: ${reason.reason} (${reason.source})`)
  say(`public view of the call: ${JSON.stringify(redact(CallForServiceSchema, call, "public"))}`)
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) tour()
