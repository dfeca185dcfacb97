/**
 * The demo's cases as scripts: for each case, the commands a district team
 * gives it, who gives each one and when, with the clock moved forward from
 * step to step. Building a script runs nothing: it only writes down the
 * commands, with what only the city knows of the notices they serve (the
 * case makes each document itself).
 *
 * When each step happens comes from the jurisdiction's configuration: a
 * reinspection is the morning after the compliance deadline the deadline
 * calculator gives for the configured period, the city abates the morning
 * after the court appeal window closes, and so on; a citation's amount is
 * the cap of its violation within the window (Gov. Code 36900; 25132). Who
 * acts is the first team member holding the command's duty
 * (`programs.justiceForNeighbors.caseDuties`). Intake comes from the
 * public, the 311 relay or the analytics, never from code.
 *
 * Every command id is derived from the case and the step
 * (`demo/<case>/<step>`), so a rerun on the same database is deduplicated
 * by the command handler and ends in the same state.
 *
 * @module
 */
import { DateTime, Effect, Option } from "effect"
import {
  type Actor,
  computeDeadline,
  defaultDangerousBuildingStart,
  type Jurisdiction,
  type NuisanceCategory,
  type Period,
  type Place,
  statutoryPeriod,
  UnknownTimeZone
} from "@community-policing/core"
import {
  type ChronicCallerEvidence,
  fineCapFor,
  type FineScheduleKind,
  formatDollars,
  type NoticeData,
  type NuisanceCaseCommand,
  nuisanceCaseCommandDuty,
  type ServiceOfNotice,
  violationOrdinal
} from "@community-policing/core/justice-for-neighbors"
import { type CaseLetterhead, demoHearingAfterDays, demoNoticePeriods, type NoticeMaker, type Owner } from "./Notices.ts"
import type { TeamDirectory } from "./TeamsStep.ts"

/** One command of a script: the envelope's parts and the demo instant it is handled at. */
export interface ScriptedCommand {
  readonly commandId: string
  readonly caseId: string
  readonly step: string
  /** The demo clock when the command is handled, in epoch milliseconds. */
  readonly at: number
  readonly actor: Actor
  readonly command: NuisanceCaseCommand
}

/** A case of the demo and its script. */
export interface ScriptedCase {
  readonly caseId: string
  readonly category: NuisanceCategory
  readonly councilDistrict: string
  readonly addressKey: string
  /** What happens to the case, in words. */
  readonly story: string
  readonly commands: ReadonlyArray<ScriptedCommand>
}

/** What the scripts need: the configuration, the teams and the notice maker. */
export interface ScriptContext {
  readonly jurisdiction: Jurisdiction
  readonly directory: TeamDirectory
  readonly notices: NoticeMaker
  /** The jurisdiction's time zone, in which every local day and hour is read. */
  readonly zone: DateTime.TimeZone
  /** Day 0 of the demo, 09:00 local time, in epoch milliseconds. */
  readonly start: number
}

const HOUR = 3_600_000

/** The local clock time `hour`:00 on the local day `days` after the day of `millis`, in the jurisdiction's zone. */
export const localTime = (zone: DateTime.TimeZone, millis: number, days: number, hour: number): number => {
  const zoned = DateTime.add(DateTime.setZone(DateTime.makeUnsafe(millis), zone), { days })
  return DateTime.toEpochMillis(DateTime.setParts(zoned, { hour, minute: 0, second: 0, millisecond: 0 }))
}

/** The jurisdiction's time zone, or the kernel's error for a zone the runtime does not know. */
export const demoZone = (jurisdiction: Jurisdiction): Effect.Effect<DateTime.TimeZone, UnknownTimeZone> =>
  Option.match(DateTime.zoneMakeNamed(jurisdiction.timeZone), {
    onNone: () => Effect.fail(new UnknownTimeZone({ timeZone: jurisdiction.timeZone, rule: "the demo's local days" })),
    onSome: (zone) => Effect.succeed(zone)
  })

/** 09:00 local time on a calendar day (`YYYY-MM-DD`) of the jurisdiction: day 0 of the demo is the last day of the imported year. */
export const demoStart = (zone: DateTime.TimeZone, day: string): number =>
  localTime(zone, DateTime.toEpochMillis(DateTime.makeUnsafe(`${day}T12:00:00Z`)), 0, 9)

/** Builds one case's script, keeping the clock and what the case has served. */
const scriptWriter = (context: ScriptContext, letterhead: CaseLetterhead, category: NuisanceCategory) => {
  const { jurisdiction, notices } = context
  const settings = jurisdiction.programs.justiceForNeighbors
  const commands: Array<ScriptedCommand> = []
  const citations: Array<{ readonly codeSection: string; readonly at: number }> = []
  const caseId = letterhead.caseId

  /** 09:00 on day `n` of the demo, plus `hours`. */
  const day = (n: number, hours = 0) => localTime(context.zone, context.start, n, 9) + hours * HOUR
  /** 09:00 on the local day after `millis`. */
  const morningAfter = (millis: number, days = 1) => localTime(context.zone, millis, days, 9)
  const instant = (millis: number) => DateTime.makeUnsafe(millis)

  /** When a deadline of `period` counted from `start` falls due, as the case's deciders count it. */
  const due = (start: number, period: Period, rule: string) =>
    Effect.map(
      Effect.fromResult(computeDeadline({ start: instant(start), period, rule }, jurisdiction)),
      (deadline) => DateTime.toEpochMillis(deadline.due)
    )

  /** Adds a command given by the team member holding its duty (`by` for intake from outside the team). */
  const give = (step: string, at: number, command: NuisanceCaseCommand, by?: Actor) =>
    Effect.gen(function*() {
      const actor = by ?? (yield* context.directory.actorFor(letterhead.councilDistrict, nuisanceCaseCommandDuty[command._tag]))
      commands.push({ commandId: `demo/${caseId}/${step}`, caseId, step, at, actor, command })
    })

  // The service a command reports, with what only the city knows of its document: the case writes the rest.
  const serve = (at: number, method: ServiceOfNotice["method"], data: NoticeData = {}) => notices.serve(letterhead, at, method, data)

  const compliancePeriod = settings.periods.compliance[category]

  return {
    day,
    morningAfter,
    due,
    give,
    commands: (): ReadonlyArray<ScriptedCommand> => commands,

    triage: (at: number, immediateHazard: boolean, comment: string) =>
      give("triage", at, { _tag: "TriageCase", caseId, immediateHazard, comment }),

    inspect: (at: number, violationFound: boolean, comment: string) =>
      give("inspection", at, { _tag: "RecordInspection", caseId, inspectedAt: instant(at), violationFound, comment }),

    /**
     * Serves the notice of violation; gives when compliance is due. For a
     * dangerous building it is a notice and order dated the day it is
     * served (Sacramento City Code 8.96.130(B)(3)): it gives when permits
     * and the start of work are due, the first date a reinspection can find
     * the owner behind, and sets completion 90 days after the order.
     */
    noticeOfViolation: (at: number, violations: readonly [string, ...Array<string>], comment: string) =>
      Effect.gen(function*() {
        if (category === "dangerous-building") {
          const startPeriod = settings.periods.dangerousBuildingStart ?? defaultDangerousBuildingStart
          const startDue = yield* due(at, startPeriod, "permits and the start of work within periods.dangerousBuildingStart of the order")
          const completion = yield* due(at, { amount: 90, unit: "calendar-days" }, "demo: completion 90 days after the order")
          const completeBy = DateTime.formatIsoDate(DateTime.setZone(instant(completion), context.zone))
          const service = serve(at, "personal-delivery")
          yield* give("notice-of-violation", at, {
            _tag: "ServeNoticeOfViolation",
            caseId,
            violations,
            service,
            orderedAt: instant(at),
            completeBy,
            comment
          })
          return startDue
        }
        const complianceDue = yield* due(at, compliancePeriod, `compliance within periods.compliance.${category}`)
        const service = serve(at, "personal-delivery")
        yield* give("notice-of-violation", at, { _tag: "ServeNoticeOfViolation", caseId, violations, service, comment })
        return complianceDue
      }),

    /** Records a reinspection; a failed one of a dangerous building finds no permits and no work begun. */
    reinspect: (step: string, at: number, compliant: boolean, comment: string) =>
      give(step, at, {
        _tag: "RecordReinspection",
        caseId,
        inspectedAt: instant(at),
        compliant,
        ...(category === "dangerous-building" && !compliant ? { startDuties: { permitsObtained: false, workBegun: false } } : {}),
        comment
      }),

    noticeOfPublicNuisance: (at: number, findings: readonly [string, ...Array<string>], comment: string) =>
      Effect.gen(function*() {
        const abateBy = yield* due(at, compliancePeriod, `abatement within periods.compliance.${category}`)
        const service = serve(at, "posting-on-property", {
          findings: [...findings],
          abateBy: yield* notices.date(abateBy),
          substandardBuilding: category === "dangerous-building" ? "yes" : "no",
          drugActivity: "no"
        })
        yield* give("notice-of-public-nuisance", at, { _tag: "ServeNoticeOfPublicNuisance", caseId, service, comment })
      }),

    /**
     * Issues a citation at the cap of its violation within the window, as
     * the decider will compute it from the earlier citations of the same
     * code section; `observedAt` is when the violation was seen.
     */
    cite: (step: string, at: number, citation: {
      readonly number: string
      readonly codeSection: string
      readonly schedule: FineScheduleKind
      readonly violation: string
      readonly observedAt: number
    }, comment: string) =>
      Effect.gen(function*() {
        const cap = yield* Effect.fromResult(fineCapFor({
          caps: settings.fineCaps,
          schedule: citation.schedule,
          earlier: citations.filter((earlier) => earlier.codeSection === citation.codeSection).map((earlier) => instant(earlier.at)),
          at: instant(at),
          timeZone: jurisdiction.timeZone
        }))
        const payBy = yield* due(at, demoNoticePeriods.citationPayment, "demo: time to pay a citation")
        const service = serve(at, "certified-mail", {
          violation: citation.violation,
          violationDate: yield* notices.date(citation.observedAt),
          payBy: yield* notices.date(payBy)
        })
        citations.push({ codeSection: citation.codeSection, at })
        yield* give(step, at, {
          _tag: "IssueCitation",
          caseId,
          citationNumber: citation.number,
          codeSection: citation.codeSection,
          // The owner of record; the citations on the property's other
          // cases are filled in from the case board when the command is
          // given (CasesStep, issueCitationCommand).
          responsiblePersonId: `owner-of-record:${letterhead.propertyAddress}`,
          priorViolations: [],
          schedule: citation.schedule,
          amountInDollars: cap.capInDollars,
          service,
          comment
        })
      }),

    /** Serves the hearing notice; gives the hearing's instant. */
    hearingNotice: (at: number, subject: string, comment: string) =>
      Effect.gen(function*() {
        const hearingAt = morningAfter(at, demoHearingAfterDays)
        const service = serve(at, "certified-mail", {
          hearingSubject: subject,
          hearingPlace: "Hearing Room 2, 100 Example Plaza (fictional)"
        })
        yield* give("hearing-notice", at, { _tag: "ServeHearingNotice", caseId, hearingAt: instant(hearingAt), service, comment })
        return hearingAt
      }),

    /**
     * Records the hearing officer's decision (an outside officer: the team's
     * own city attorney may not decide its case) and serves it; gives when
     * the court appeal window, which runs from its service, closes.
     */
    hearingDecision: (hearingAt: number, subject: string, findings: readonly [string, ...Array<string>]) =>
      Effect.gen(function*() {
        const decidedAt = hearingAt + 2 * 3_600_000
        const hearingOfficer = { id: "aho-demo", name: "Administrative Hearing Officer (fictional)", roles: [] }
        yield* give("hearing-decision", decidedAt, {
          _tag: "RecordHearingDecision",
          caseId,
          decidedAt: instant(decidedAt),
          outcome: "upheld",
          hearingOfficer,
          findings,
          comment: "hearing officer upheld the nuisance"
        })
        const servedAt = morningAfter(hearingAt)
        const appealDue = yield* due(servedAt, statutoryPeriod(settings.periods.courtAppeal), "court appeal within periods.courtAppeal")
        const service = serve(servedAt, "personal-delivery", { hearingSubject: subject })
        yield* give("hearing-decision-served", servedAt, { _tag: "ServeHearingDecision", caseId, service, comment: "decision served on the owner" })
        return appealDue
      }),

    /** Serves the abatement order; gives when a court appeal window from its service would close. */
    abatementOrder: (at: number, workRequired: readonly [string, ...Array<string>], comment: string) =>
      Effect.gen(function*() {
        const appealDue = yield* due(at, statutoryPeriod(settings.periods.courtAppeal), "court appeal within periods.courtAppeal")
        const abateBy = yield* due(at, compliancePeriod, `abatement within periods.compliance.${category}`)
        const service = serve(at, "personal-delivery", {
          workRequired: [...workRequired],
          abateBy: yield* notices.date(abateBy),
          substandardBuilding: category === "dangerous-building" ? "yes" : "no",
          drugActivity: "no"
        })
        yield* give("abatement-order", at, { _tag: "ServeAbatementOrder", caseId, service, comment })
        return appealDue
      }),

    /** Serves the invoice of the costs; gives when payment is due. */
    invoice: (at: number, items: ReadonlyArray<{ readonly what: string; readonly dollars: number }>, comment: string) =>
      Effect.gen(function*() {
        const total = items.reduce((sum, item) => sum + item.dollars, 0)
        const payBy = yield* due(at, settings.periods.costPayment, "payment within periods.costPayment")
        const service = serve(at, "certified-mail", {
          invoiceNumber: `INV-${caseId}`,
          costItems: items.map((item) => `${item.what}: ${formatDollars(item.dollars)}`)
        })
        yield* give("invoice", at, { _tag: "InvoiceCosts", caseId, amountInDollars: total, service, comment })
        return { total, payBy }
      }),

    /** Serves the letter to the owner of a chronic caller; gives the day the owner is asked to respond by. */
    ownerLetter: (at: number, evidence: ChronicCallerEvidence, businessName: string, comment: string) =>
      Effect.gen(function*() {
        // The owner is asked to respond within the category's compliance period: the same time a notice would give.
        const respondBy = yield* due(at, compliancePeriod, "demo: owner's response within periods.compliance")
        const service = serve(at, "certified-mail", {
          businessName,
          respondBy: yield* notices.date(respondBy)
        })
        yield* give("owner-letter", at, { _tag: "ServeOwnerLetter", caseId, service, comment })
      }),

    /** Records the plan the owner agreed; gives when its term ends. */
    agreePlan: (at: number, terms: readonly [string, ...Array<string>], comment: string) =>
      Effect.gen(function*() {
        const termEnds = yield* due(at, compliancePeriod, `abatement plan term of periods.compliance.${category}`)
        yield* give("abatement-plan", at, { _tag: "AgreeAbatementPlan", caseId, agreedAt: instant(at), terms, comment })
        return termEnds
      })
  }
}

/** A made-up owner of record for the `index`-th case. */
const ownerFor = (index: number, kind: "holdings" | "hospitality"): Owner => {
  const names = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Juniper", "Larch", "Maple", "Oak", "Pine"]
  const name = names[index % names.length]!
  return {
    name: `${name} ${kind === "holdings" ? "Property Holdings" : "Hospitality"} LLC (fictional)`,
    mailingAddress: `PO Box ${5100 + index}\nSacramento, CA 95812`,
    capacity: "owner"
  }
}

// ---------------------------------------------------------------------------
// Excessive calls: cases opened from the analytics findings
// ---------------------------------------------------------------------------

/** The analytics, opening a case from a finding of the excessive-calls scan. */
export const analyticsActor: Actor = { _tag: "System", id: "demo-excessive-calls-scan" }

const businessNameOf = (evidence: ChronicCallerEvidence, owner: Owner): string => {
  const use = evidence.place.landUse
  const kind = use._tag === "non-residential" ? use.kind.replace("motel-hotel", "motel").replace("-", " ") : "business"
  return `the ${kind} of ${owner.name.replace(/ LLC \(fictional\)$/, "")} (fictional)`
}

/**
 * The paths the demo's excessive-calls cases take, in the candidates' order
 * (most counted calls first): the owner keeps a plan; the owner stays away
 * and the case escalates to citations; a plan still running past its term;
 * a letter sent; a case just triaged.
 */
export const excessiveCallsPaths = ["plan-kept", "escalated", "plan-overdue", "letter-sent", "triaged"] as const

const excessiveCallsCase = (
  context: ScriptContext,
  evidence: ChronicCallerEvidence,
  councilDistrict: string,
  index: number,
  path: typeof excessiveCallsPaths[number]
) =>
  Effect.gen(function*() {
    const caseId = `JFN-EC-${String(index + 1).padStart(3, "0")}`
    const owner = ownerFor(index, "hospitality")
    const category: NuisanceCategory = "excessive-calls-for-service"
    const w = scriptWriter(context, { caseId, councilDistrict, propertyAddress: evidence.addressKey, owner }, category)
    const business = businessNameOf(evidence, owner)
    yield* w.give("open", w.day(0, 1 + index * 0.25), {
      _tag: "OpenCase",
      caseId,
      category,
      councilDistrict,
      addressKey: evidence.addressKey,
      source: { _tag: "AnalyticsFinding", evidence },
      description: `${evidence.counted.length} counted calls: ${evidence.ruleDescription}`,
      immediateHazard: false,
      comment: `opened from the excessive-calls scan of ${evidence.asOfDay}`
    }, analyticsActor)
    yield* w.triage(w.day(0, 4), false, "non-residential place; owner engagement first")
    let story = "opened from the scan and triaged"
    if (path !== "triaged") {
      yield* w.ownerLetter(w.day(1), evidence, business, "letter inviting the owner to meet")
      story = "letter sent to the owner"
    }
    if (path === "plan-kept" || path === "plan-overdue") {
      yield* w.give("owner-meeting", w.day(8), {
        _tag: "RecordOwnerMeeting", caseId, heldAt: DateTime.makeUnsafe(w.day(8)), outcome: "cooperative", comment: "owner came with the manager"
      })
      const termEnds = yield* w.agreePlan(w.day(9), [
        "security guard on Friday and Saturday nights",
        "lighting in the rear lot",
        "trespass letters on file with the police"
      ], "plan signed by the owner")
      story = "abatement plan agreed; its review is due"
      if (path === "plan-kept") {
        const reviewAt = w.morningAfter(termEnds)
        yield* w.give("plan-review", reviewAt, {
          _tag: "ReviewAbatementPlan", caseId, reviewedAt: DateTime.makeUnsafe(reviewAt), kept: true, comment: "calls down; guard and lighting in place"
        })
        story = "owner kept the abatement plan: closed"
      }
    }
    if (path === "escalated") {
      yield* w.give("owner-meeting", w.day(8), {
        _tag: "RecordOwnerMeeting", caseId, heldAt: DateTime.makeUnsafe(w.day(8)), outcome: "owner-absent", comment: "owner did not come"
      })
      const violation = `Excessive calls for police service: ${evidence.ruleDescription}`.slice(0, 200)
      const complianceDue = yield* w.noticeOfViolation(w.day(9), [violation], "owner did not engage; notice served on the manager")
      const failedAt = w.morningAfter(complianceDue)
      yield* w.reinspect("reinspection", failedAt, false, "no guard, no lighting; calls continue")
      yield* w.noticeOfPublicNuisance(w.morningAfter(failedAt), [
        "Repeated disorder calls for police service after the notice of violation",
        "No measures taken to control the premises"
      ], "posted at the front office")
      const citation = (n: number) => ({
        number: `AC-${caseId}-${n}`,
        codeSection: "chronic nuisance ordinance: nuisance activity at the premises",
        schedule: "general" as const,
        violation: "maintaining a chronic nuisance at the premises",
        observedAt: failedAt
      })
      yield* w.cite("citation-1", w.morningAfter(failedAt, 2), citation(1), "first citation")
      yield* w.cite("citation-2", w.morningAfter(failedAt, 16), citation(2), "second citation: the nuisance continues")
      story = "owner stayed away: notice, public nuisance, two citations"
    }
    return { caseId, category, councilDistrict, addressKey: evidence.addressKey, story, commands: w.commands() } satisfies ScriptedCase
  })

// ---------------------------------------------------------------------------
// Complaint-driven cases
// ---------------------------------------------------------------------------

/** A resident complaining on the city's web form. */
export const residentActor: Actor = { _tag: "Public", id: "demo-resident-web" }

/** The 311 system relaying a resident's service request. */
export const relayActor: Actor = { _tag: "System", id: "demo-311-relay" }

/** A made-up complainant: confidential (Evidence Code 1041), never shown outside the prosecutor's view. */
export const demoComplainant = { name: "Pat Neighbor (fictional)", contact: "pat.neighbor@example.org" } as const

/**
 * The complaint-driven cases, in order, one per council district in the
 * jurisdiction's order: what the complaint is about, the land use of the
 * site it needs, and its path.
 */
export const complaintPaths = [
  { category: "illegal-dumping", uses: ["store", "restaurant"], path: "abated-and-paid" },
  { category: "dangerous-building", uses: ["residential"], path: "cited-twice" },
  { category: "squatters", uses: ["residential"], path: "inspection-overdue" },
  { category: "blight", uses: ["residential"], path: "complied" },
  { category: "illegal-dumping", uses: ["store", "residential"], path: "no-violation" },
  { category: "absent-landlord", uses: ["residential"], path: "compliance-overdue" },
  { category: "irresponsible-business-owner", uses: ["restaurant", "store"], path: "extension-then-complied" },
  { category: "blight", uses: ["residential"], path: "public-nuisance" }
] as const

type ComplaintPath = typeof complaintPaths[number]

const complaintWords: { readonly [C in ComplaintPath["category"]]: { readonly description: string; readonly violation: string; readonly finding: string } } = {
  "illegal-dumping": {
    description: "tires, mattresses and furniture dumped behind the building",
    violation: "Refuse and discarded furniture dumped and left on the lot; remove it and keep the lot clear",
    finding: "Refuse left on the lot after the notice of violation"
  },
  "dangerous-building": {
    description: "rear wall and roof partly collapsed; the building is open to entry",
    violation: "Dangerous building: obtain permits to repair or demolish, and secure it against entry",
    finding: "The building remains open and partly collapsed"
  },
  squatters: {
    description: "people living in the vacant house; doors forced open",
    violation: "Vacant building not secured against unauthorized entry; secure all openings",
    finding: "The vacant building is occupied without the owner's consent"
  },
  "absent-landlord": {
    description: "owner unreachable; broken windows and no working lights at the entrances",
    violation: "Broken windows and unlit entrances at a rental property; repair and relight them",
    finding: "Repairs not made after the notice of violation"
  },
  "irresponsible-business-owner": {
    description: "grease and refuse stored in the alley; bins overflowing for weeks",
    violation: "Refuse and grease stored in the alley outside containers; store them in covered bins",
    finding: "Refuse still stored in the alley"
  },
  blight: {
    description: "overgrown yard, abandoned furniture and broken windows",
    violation: "Overgrown vegetation, abandoned furniture and broken windows; clear the yard and repair the windows",
    finding: "The yard and windows are as they were at the notice of violation"
  }
}

const complaintCase = (context: ScriptContext, site: Place, councilDistrict: string, index: number, plan: ComplaintPath) =>
  Effect.gen(function*() {
    const caseId = `JFN-NC-${String(index + 1).padStart(3, "0")}`
    const category: NuisanceCategory = plan.category
    const words = complaintWords[plan.category]
    const w = scriptWriter(context, { caseId, councilDistrict, propertyAddress: site.addressKey, owner: ownerFor(index + 5, "holdings") }, category)
    // Each case starts on its own day, so the board shows cases of every age.
    const openDay = { "abated-and-paid": 0, "cited-twice": 0, "inspection-overdue": 60, complied: 3, "no-violation": 5, "compliance-overdue": 40, "extension-then-complied": 10, "public-nuisance": 20 }[plan.path]
    const hazard = plan.path === "cited-twice"
    const fromRelay = index % 2 === 1
    const openAt = w.day(openDay, 1 + index * 0.25)
    yield* w.give("open", openAt, {
      _tag: "OpenCase",
      caseId,
      category,
      councilDistrict,
      addressKey: site.addressKey,
      source: fromRelay
        ? { _tag: "ResidentComplaint", channel: "311", serviceRequestId: `311-DEMO-${index + 1}` }
        : { _tag: "ResidentComplaint", channel: "web", complainant: demoComplainant },
      description: words.description,
      immediateHazard: hazard,
      receivedAt: DateTime.makeUnsafe(openAt),
      comment: fromRelay ? "311 service request" : "web complaint"
    }, fromRelay ? relayActor : residentActor)
    yield* w.triage(openAt + 3 * 3_600_000, hazard, hazard ? "immediate hazard: inspect today" : "no hazard; routine inspection")
    if (plan.path === "inspection-overdue") {
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "triaged; the inspection is overdue", commands: w.commands() } satisfies ScriptedCase
    }
    const inspectedAt = hazard ? openAt + 5 * 3_600_000 : w.morningAfter(openAt)
    if (plan.path === "no-violation") {
      yield* w.inspect(inspectedAt, false, "nothing found on the lot")
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "no violation found: closed", commands: w.commands() } satisfies ScriptedCase
    }
    yield* w.inspect(inspectedAt, true, "violation confirmed, photos taken")
    const noticeAt = w.morningAfter(inspectedAt)
    const complianceDue = yield* w.noticeOfViolation(noticeAt, [words.violation], "notice handed to the owner's agent")
    if (plan.path === "compliance-overdue") {
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "notice of violation served; the reinspection is overdue", commands: w.commands() } satisfies ScriptedCase
    }
    if (plan.path === "complied") {
      yield* w.reinspect("reinspection", w.morningAfter(noticeAt, 10), true, "yard cleared, windows repaired")
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "corrected after the notice: closed as complied", commands: w.commands() } satisfies ScriptedCase
    }
    const failedAt = w.morningAfter(complianceDue)
    yield* w.reinspect("reinspection", failedAt, false, "nothing done")
    if (plan.path === "extension-then-complied") {
      const extension = context.jurisdiction.programs.justiceForNeighbors.periods.compliance[category]
      yield* w.give("extension", failedAt + 2 * 3_600_000, {
        _tag: "GrantExtension", caseId, period: extension, reason: "owner showed a signed contract with a hauler"
      })
      yield* w.reinspect("reinspection-2", w.morningAfter(failedAt, 13), true, "alley cleared, covered bins in place")
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "extension granted, then corrected: closed as complied", commands: w.commands() } satisfies ScriptedCase
    }
    yield* w.noticeOfPublicNuisance(w.morningAfter(failedAt), [words.finding], "posted on the property")
    if (plan.path === "public-nuisance") {
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "declared a public nuisance", commands: w.commands() } satisfies ScriptedCase
    }
    if (plan.path === "cited-twice") {
      // Sacramento City Code 8.96.130(B)(3): the time to obtain permits and begin work on a dangerous building.
      const citation = (n: number) => ({
        number: `AC-${caseId}-${n}`,
        codeSection: "Sacramento City Code 8.96.130",
        schedule: "building-and-safety" as const,
        violation: "permits to repair or demolish a dangerous building not obtained in time",
        observedAt: failedAt
      })
      yield* w.cite("citation-1", w.morningAfter(failedAt, 2), citation(1), "first citation")
      yield* w.cite("citation-2", w.morningAfter(failedAt, 16), citation(2), "second citation: still no permits")
      return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "public nuisance, two building-and-safety citations", commands: w.commands() } satisfies ScriptedCase
    }
    // abated-and-paid: the whole path to cost recovery.
    const citedAt = w.morningAfter(failedAt, 2)
    yield* w.cite("citation-1", citedAt, {
      number: `AC-${caseId}-1`,
      codeSection: "nuisance ordinance: refuse on private property",
      schedule: "general",
      violation: "refuse and discarded furniture left on the lot",
      observedAt: failedAt
    }, "first citation")
    const hearingAt = yield* w.hearingNotice(w.morningAfter(citedAt), `the appeal of citation AC-${caseId}-1`, "owner appealed the citation")
    const appealCloses = yield* w.hearingDecision(hearingAt, `the appeal of citation AC-${caseId}-1`, ["refuse and furniture remain on the lot after notice"])
    // The order carries out the served decision; the appeal window runs from the decision's service.
    yield* w.abatementOrder(w.morningAfter(hearingAt, 2), ["Remove all refuse and furniture from the lot"], "order served on the owner")
    const abatedAt = w.morningAfter(appealCloses)
    const costs = [{ what: "Refuse removal by contractor", dollars: 1_400 }, { what: "Staff time, 5 hours", dollars: 450 }]
    yield* w.give("city-abatement", abatedAt, {
      _tag: "RecordCityAbatement",
      caseId,
      completedAt: DateTime.makeUnsafe(abatedAt),
      work: "lot cleared by the city's contractor",
      costInDollars: costs.reduce((sum, item) => sum + item.dollars, 0),
      comment: "contractor finished"
    })
    const invoicedAt = w.morningAfter(abatedAt)
    const invoice = yield* w.invoice(invoicedAt, costs, "invoice mailed to the owner")
    const paidAt = w.morningAfter(invoicedAt, 10)
    yield* w.give("payment", paidAt, {
      _tag: "RecordPayment", caseId, paidAt: DateTime.makeUnsafe(paidAt), amountInDollars: invoice.total, toward: { _tag: "AbatementCosts" }, receiptNumber: `R-${caseId}`
    })
    yield* w.give("close", w.morningAfter(paidAt), { _tag: "CloseCase", caseId, reason: "costs-recovered", comment: "costs paid in full" })
    return { caseId, category, councilDistrict, addressKey: site.addressKey, story: "cited, heard, abated by the city, costs paid: closed", commands: w.commands() } satisfies ScriptedCase
  })

/**
 * The scripts of every demo case: one excessive-calls case per candidate
 * given (the caller caps them), then one complaint-driven case per site,
 * each site in the council district of the same position.
 */
export const caseScripts = (
  context: ScriptContext,
  candidates: ReadonlyArray<ChronicCallerEvidence>,
  sites: ReadonlyArray<Place>
) =>
  Effect.gen(function*() {
    const scripts: Array<ScriptedCase> = []
    for (const [index, evidence] of candidates.entries()) {
      const district = evidence.place.districts.councilDistrict
      const path = excessiveCallsPaths[index % excessiveCallsPaths.length]!
      if (district !== undefined) scripts.push(yield* excessiveCallsCase(context, evidence, district, index, path))
    }
    for (const [index, site] of sites.entries()) {
      const plan = complaintPaths[index % complaintPaths.length]!
      const district = site.districts.councilDistrict
      if (district !== undefined) scripts.push(yield* complaintCase(context, site, district, index, plan))
    }
    return scripts
  })

