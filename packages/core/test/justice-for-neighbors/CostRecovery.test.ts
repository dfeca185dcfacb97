/**
 * Collecting unpaid abatement costs, with the Sacramento preset: the notice
 * of a nuisance abatement lien to the owner of record before recording
 * (Gov. Code 38773.1), served as a summons is or, after a diligent search,
 * by posting for 10 days and publication (Gov. Code 6062); recording only
 * once the notice period has ended, on the date the notice gives; and the
 * special assessment on the tax roll as the alternative (Gov. Code 38773.5).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { sacramento, validateJurisdiction } from "@community-policing/core"
import {
  earliestLienRecording,
  formatNoticeDate,
  lienRecordingOn,
  servedNotices,
  nuisanceCaseDecider,
  type NuisanceCaseCommand,
  type NuisanceCaseRefusal,
  type OwnerNotFound,
  type ServiceOfNotice
} from "@community-policing/core/justice-for-neighbors"
import {
  accepted,
  at,
  caseId,
  ceo,
  clerk,
  decideStep,
  expectTag,
  iso,
  ofTag,
  opened,
  refusal,
  replay,
  service,
  standardStoryline,
  type Step,
  upTo
} from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()
const invoiced = upTo(story, "invoice")
const timeZone = sacramento.timeZone

const after = (steps: ReadonlyArray<Step>, command: NuisanceCaseCommand, now: string, actor = ceo) =>
  decideStep(decider, replay(decider, steps).state, { command, actor, now: at(now) })

const later = (a: DateTime.Utc, b: DateTime.Utc): DateTime.Utc => DateTime.toEpochMillis(a) > DateTime.toEpochMillis(b) ? a : b

const step = (name: string, command: NuisanceCaseCommand, now: string, actor = ceo): Step => ({ name, command, actor, now: at(now) })

const onOwner = (servedAt: string, method: ServiceOfNotice["method"], capacity: ServiceOfNotice["personServed"]["capacity"] = "owner"): ServiceOfNotice => ({
  ...service("lien-notice", at(servedAt), method),
  personServed: { name: "R. Owner", capacity, mailingAddress: "PO Box 1, Sacramento CA" }
})

const lienNotice = (servedAt: string, method: ServiceOfNotice["method"] = "personal-delivery", extra: Partial<Extract<NuisanceCaseCommand, { _tag: "ServeLienNotice" }>> = {}): NuisanceCaseCommand => ({
  _tag: "ServeLienNotice",
  caseId,
  service: onOwner(servedAt, method),
  comment: "lien notice served on the owner of record",
  ...extra
})

const ownerNotFound = (searchedAt: string, [first, ...rest]: readonly [string, ...Array<string>]): OwnerNotFound => ({
  diligentSearch: {
    completedAt: at(searchedAt),
    searched: ["last equalized assessment roll", "county recorder grantor-grantee index", "USPS forwarding"]
  },
  publication: { newspaper: "Daily Recorder", publishedAt: [at(first), ...rest.map(at)] }
})

const recordLien = (recordedAt: string): NuisanceCaseCommand => ({
  _tag: "RecordLien",
  caseId,
  recordedAt: at(recordedAt),
  recorderDocumentNumber: "2026-0612345",
  comment: "lien recorded with the county recorder"
})

// The invoice was served 2026-05-05; 30 days to pay end on 4 June (Pacific).
const noticed = [...invoiced, step("lien-notice", lienNotice("2026-06-08T17:00:00Z"), "2026-06-08T18:00:00Z")]

describe("the lien notice (Gov. Code 38773.1)", () => {
  it("given unpaid costs past the time to pay, when the owner of record is served personally, then the recording deadline runs from service", () => {
    const events = accepted(after(invoiced, lienNotice("2026-06-08T17:00:00Z"), "2026-06-08T18:00:00Z"))
    assert.deepStrictEqual(events.map((e) => e._tag), ["DeadlineClosed", "DocumentServed", "LienNoticeServed", "DeadlineSet", "CaseStageChanged"])
    assert.strictEqual(ofTag(events, "DocumentServed")[0]!.document.kind, "lien-notice")
    assert.strictEqual(ofTag(events, "LienNoticeServed")[0]!.amountInDollars, 2450)
    const deadline = ofTag(events, "DeadlineSet")[0]!.deadline
    assert.strictEqual(deadline.purpose, "lien-recording")
    assert.strictEqual(iso(deadline.start), "2026-06-08T17:00:00.000Z")
    // 10 calendar days (the default periods.lienNotice): to the end of 18 June, Pacific time.
    assert.strictEqual(iso(deadline.due), "2026-06-19T06:59:59.999Z")
    assert.match(deadline.rule, /38773\.1/)
    assert.strictEqual(ofTag(events, "CaseStageChanged")[0]!.to, "lien-noticed")
  })

  it("the occupant, an agent or a business operator is not the owner of record: the notice is refused", () => {
    for (const capacity of ["occupant", "agent", "business-operator", "lienholder"] as const) {
      const command: NuisanceCaseCommand = { ...lienNotice("2026-06-08T17:00:00Z"), service: onOwner("2026-06-08T17:00:00Z", "personal-delivery", capacity) } as NuisanceCaseCommand
      const error = expectTag(refusal(after(invoiced, command, "2026-06-08T18:00:00Z")), "LienNoticeRefused")
      assert.strictEqual(error.rule, "lien-notice-to-owner-of-record")
      assert.match(error.law, /Gov\. Code 38773\.1\(a\)/)
    }
  })

  it("the notice is served as a summons is: mail without acknowledgment, or posting alone, is refused", () => {
    for (const method of ["certified-mail", "first-class-mail", "posting-on-property"] as const) {
      const error = expectTag(refusal(after(invoiced, lienNotice("2026-06-08T17:00:00Z", method), "2026-06-08T18:00:00Z")), "LienNoticeRefused")
      assert.strictEqual(error.rule, method === "posting-on-property" ? "posting-after-diligent-search" : "lien-notice-served-as-summons")
      assert.match(error.law, /38773\.1\(b\)/)
    }
    for (const method of ["personal-delivery", "substituted-service", "mail-with-acknowledgment", "mail-outside-california-return-receipt"] as const) {
      assert.isTrue(Result.isSuccess(after(invoiced, lienNotice("2026-06-08T17:00:00Z", method), "2026-06-08T18:00:00Z")), method)
    }
  })

  it("after a documented diligent search, posting for 10 days and publication twice (Gov. Code 6062) serve the notice; recording waits for both", () => {
    const command = lienNotice("2026-06-08T17:00:00Z", "posting-on-property", {
      ownerNotFound: ownerNotFound("2026-06-06T17:00:00Z", ["2026-06-09T15:00:00Z", "2026-06-16T15:00:00Z"])
    })
    const events = accepted(after(invoiced, command, "2026-06-17T18:00:00Z"))
    const served = ofTag(events, "LienNoticeServed")[0]!
    assert.strictEqual(served.ownerNotFound?.publication.newspaper, "Daily Recorder")
    // Posting: 10 days from 8 June, to the end of 18 June; publication: 14 days
    // from 9 June counting the first, to the end of 22 June. The later ends notice.
    assert.strictEqual(iso(served.completedAt), "2026-06-23T06:59:59.999Z")
    const deadline = ofTag(events, "DeadlineSet")[0]!.deadline
    assert.strictEqual(iso(deadline.start), "2026-06-23T06:59:59.999Z")
    assert.strictEqual(iso(deadline.due), "2026-07-03T06:59:59.999Z")
  })

  it("posting without a diligent search, a search after the posting, or a posting with one publication, or two too close, is refused", () => {
    const posting = (search: OwnerNotFound | undefined) =>
      lienNotice("2026-06-08T17:00:00Z", "posting-on-property", search === undefined ? {} : { ownerNotFound: search })
    const noSearch = expectTag(refusal(after(invoiced, posting(undefined), "2026-06-17T18:00:00Z")), "LienNoticeRefused")
    assert.strictEqual(noSearch.rule, "posting-after-diligent-search")
    const late = expectTag(refusal(after(invoiced, posting(ownerNotFound("2026-06-09T17:00:00Z", ["2026-06-09T15:00:00Z", "2026-06-16T15:00:00Z"])), "2026-06-17T18:00:00Z")), "LienNoticeRefused")
    assert.strictEqual(late.rule, "posting-after-diligent-search")
    const once = expectTag(refusal(after(invoiced, posting(ownerNotFound("2026-06-06T17:00:00Z", ["2026-06-09T15:00:00Z"])), "2026-06-17T18:00:00Z")), "LienNoticeRefused")
    assert.strictEqual(once.rule, "publication-per-gov-code-6062")
    assert.match(once.law, /6062/)
    // 9 and 14 June: four days between them, five needed.
    const close = expectTag(refusal(after(invoiced, posting(ownerNotFound("2026-06-06T17:00:00Z", ["2026-06-09T15:00:00Z", "2026-06-14T15:00:00Z"])), "2026-06-17T18:00:00Z")), "LienNoticeRefused")
    assert.strictEqual(close.rule, "publication-per-gov-code-6062")
    // A diligent search says the owner was not found; the notice is then posted, not handed over.
    const handed = expectTag(refusal(after(invoiced, lienNotice("2026-06-08T17:00:00Z", "personal-delivery", { ownerNotFound: ownerNotFound("2026-06-06T17:00:00Z", ["2026-06-09T15:00:00Z", "2026-06-16T15:00:00Z"]) }), "2026-06-17T18:00:00Z")), "LienNoticeRefused")
    assert.strictEqual(handed.rule, "posting-after-diligent-search")
  })

  it("no lien notice before the time to pay has passed, nor with nothing owed", () => {
    const early = expectTag(refusal(after(invoiced, lienNotice("2026-06-01T17:00:00Z"), "2026-06-01T18:00:00Z")), "TooEarly")
    assert.strictEqual(early.rule, "no-lien-before-payment-deadline")
    const paid = [...invoiced, step("paid", { _tag: "RecordPayment", caseId, paidAt: at("2026-05-20T17:00:00Z"), amountInDollars: 2450, toward: { _tag: "AbatementCosts" } }, "2026-05-20T18:00:00Z", clerk)]
    const nothing = expectTag(refusal(after(paid, lienNotice("2026-06-08T17:00:00Z"), "2026-06-08T18:00:00Z")), "NothingOwed")
    assert.strictEqual(nothing.rule, "lien-needs-unpaid-balance")
  })
})

describe("recording the lien", () => {
  it("a lien is not recorded without its notice", () => {
    const error = expectTag(refusal(after(invoiced, recordLien("2026-06-22T17:00:00Z"), "2026-06-22T18:00:00Z")), "WrongCaseStage")
    assert.deepStrictEqual(error.allowedStages, ["lien-noticed"])
  })

  it("recording is refused before the notice period ends, and accepted from the date the notice gives", () => {
    const state = replay(decider, noticed).state
    const earliest = earliestLienRecording(opened(state))!
    assert.strictEqual(iso(earliest), "2026-06-19T07:00:00.000Z")
    const onDate = lienRecordingOn(opened(state), timeZone)!
    // What goes in the notice's "on or after" is the date the case enforces.
    assert.deepStrictEqual(onDate, formatNoticeDate(earliest, timeZone))
    assert.deepStrictEqual(onDate, Result.succeed("June 19, 2026"))
    // And the lien notice the case made and served says that very date.
    const [notice] = servedNotices(replay(decider, noticed).events).filter((document) => document.kind === "lien-notice")
    assert.include(JSON.stringify(notice), "June 19, 2026")
    const justBefore = DateTime.subtract(earliest, { milliseconds: 1 })
    const early = expectTag(refusal(decideStep(decider, state, { command: recordLien(iso(justBefore)), actor: ceo, now: justBefore })), "TooEarly")
    assert.deepInclude(early as object, { rule: "no-lien-before-notice-period", waitsFor: "lien-recording" })
    const events = accepted(decideStep(decider, state, { command: recordLien(iso(earliest)), actor: ceo, now: earliest }))
    assert.deepStrictEqual(events.map((e) => e._tag), ["LienRecorded", "DeadlineClosed", "CaseStageChanged"])
    assert.strictEqual(ofTag(events, "LienRecorded")[0]!.amountInDollars, 2450)
    assert.deepInclude(ofTag(events, "DeadlineClosed")[0] as object, { purpose: "lien-recording", outcome: "satisfied" })
  })

  it("property: whatever the service and the notice period, the first instant a recording is accepted is the start of the date the notice gives", () => {
    const invoicedState = replay(decider, invoiced).state
    const local = (instant: DateTime.DateTime) =>
      new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(DateTime.toEpochMillis(instant))
    fc.assert(
      fc.property(
        // From 5 June (after the time to pay) over about a year, DST changes included.
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom("calendar-days" as const, "business-days" as const),
        fc.boolean(),
        (minutes, amount, unit, posted) => {
          const jurisdiction = {
            ...sacramento,
            programs: {
              ...sacramento.programs,
              justiceForNeighbors: {
                ...sacramento.programs.justiceForNeighbors,
                periods: { ...sacramento.programs.justiceForNeighbors.periods, lienNotice: { amount, unit } }
              }
            }
          }
          const cases = nuisanceCaseDecider(jurisdiction)
          const servedAt = DateTime.add(at("2026-06-05T07:00:00Z"), { minutes })
          const command: NuisanceCaseCommand = posted
            ? lienNotice(iso(servedAt), "posting-on-property", {
              ownerNotFound: ownerNotFound(iso(DateTime.subtract(servedAt, { hours: 1 })), [iso(DateTime.add(servedAt, { hours: 1 })), iso(DateTime.add(servedAt, { days: 7 }))])
            })
            : lienNotice(iso(servedAt))
          const now = DateTime.add(servedAt, { days: 8 })
          const result = decideStep(cases, invoicedState, { command, actor: ceo, now })
          if (Result.isFailure(result)) return assert.fail(result.failure.message)
          const state = opened(result.success.reduce(cases.evolve, invoicedState))
          const earliest = earliestLienRecording(state)!
          assert.strictEqual(local(earliest), "00:00")
          assert.deepStrictEqual(lienRecordingOn(state, timeZone), formatNoticeDate(earliest, timeZone))
          const justBefore = DateTime.subtract(earliest, { milliseconds: 1 })
          const early = refusal(decideStep(cases, state, { command: recordLien(iso(justBefore)), actor: ceo, now: later(justBefore, now) }))
          assert.strictEqual(early._tag, "TooEarly")
          assert.isTrue(Result.isSuccess(decideStep(cases, state, { command: recordLien(iso(earliest)), actor: ceo, now: later(earliest, now) })))
        }
      ),
      { numRuns: 100 }
    )
  })

  it("a city sets the notice period in days; one in hours is rejected, since the notice gives a date", () => {
    const periods = sacramento.programs.justiceForNeighbors.periods
    const withPeriod = (lienNotice: unknown) => validateJurisdiction({
      ...sacramento,
      programs: { ...sacramento.programs, justiceForNeighbors: { ...sacramento.programs.justiceForNeighbors, periods: { ...periods, lienNotice } } }
    })
    assert.isTrue(Result.isFailure(withPeriod({ amount: 48, unit: "hours" })))
    const longer = withPeriod({ amount: 20, unit: "calendar-days" })
    if (Result.isFailure(longer)) return assert.fail(longer.failure.message)
    const events = accepted(decideStep(nuisanceCaseDecider(longer.success), replay(decider, invoiced).state, {
      command: lienNotice("2026-06-08T17:00:00Z"),
      actor: ceo,
      now: at("2026-06-08T18:00:00Z")
    }))
    assert.strictEqual(iso(ofTag(events, "DeadlineSet")[0]!.deadline.due), "2026-06-29T06:59:59.999Z")
  })
})

const assessmentNotice = (servedAt: string, method: ServiceOfNotice["method"] = "certified-mail", capacity: ServiceOfNotice["personServed"]["capacity"] = "owner"): NuisanceCaseCommand => ({
  _tag: "ServeSpecialAssessmentNotice",
  caseId,
  hearingAt: at("2026-06-30T01:00:00Z"),
  service: { ...service("special-assessment-notice", at(servedAt), method), personServed: { name: "R. Owner", capacity, mailingAddress: "PO Box 1, Sacramento CA" } },
  comment: "notice of the proposed special assessment and the council hearing"
})

const confirm = (confirmedAt: string): NuisanceCaseCommand => ({
  _tag: "RecordSpecialAssessment",
  caseId,
  confirmedAt: at(confirmedAt),
  resolutionNumber: "2026-0231",
  comment: "council confirmed; sent to the county auditor for the tax roll"
})

describe("the special assessment (Gov. Code 38773.5)", () => {
  const assessed = [...invoiced, step("sa-notice", assessmentNotice("2026-06-08T17:00:00Z"), "2026-06-08T18:00:00Z")]

  it("given unpaid costs past the time to pay, when the owner is noticed and the council confirms after the hearing, then the costs go on the tax roll", () => {
    const noticedEvents = accepted(after(invoiced, assessmentNotice("2026-06-08T17:00:00Z"), "2026-06-08T18:00:00Z"))
    assert.deepStrictEqual(noticedEvents.map((e) => e._tag), ["DeadlineClosed", "DocumentServed", "SpecialAssessmentNoticed", "CaseStageChanged"])
    assert.strictEqual(ofTag(noticedEvents, "DocumentServed")[0]!.document.kind, "special-assessment-notice")
    assert.strictEqual(ofTag(noticedEvents, "CaseStageChanged")[0]!.to, "special-assessment-noticed")
    const early = expectTag(refusal(after(assessed, confirm("2026-06-29T17:00:00Z"), "2026-06-29T18:00:00Z", clerk)), "TooEarly")
    assert.deepInclude(early as object, { rule: "no-special-assessment-before-hearing", waitsFor: "hearing" })
    const events = accepted(after(assessed, confirm("2026-06-30T03:00:00Z"), "2026-06-30T04:00:00Z", clerk))
    assert.deepStrictEqual(events.map((e) => e._tag), ["SpecialAssessmentRecorded", "CaseStageChanged"])
    assert.strictEqual(ofTag(events, "SpecialAssessmentRecorded")[0]!.amountInDollars, 2450)
    const recorded = [...assessed, step("sa", confirm("2026-06-30T03:00:00Z"), "2026-06-30T04:00:00Z", clerk)]
    const closed = accepted(after(recorded, { _tag: "CloseCase", caseId, reason: "special-assessment-recorded", comment: "on the tax roll" }, "2026-07-01T00:00:00Z"))
    assert.strictEqual(ofTag(closed, "CaseClosed")[0]!.reason, "special-assessment-recorded")
  })

  it("the notice goes to the owner, by certified mail; not before the time to pay; the hearing after the notice", () => {
    const occupant = expectTag(refusal(after(invoiced, assessmentNotice("2026-06-08T17:00:00Z", "certified-mail", "occupant"), "2026-06-08T18:00:00Z")), "SpecialAssessmentRefused")
    assert.strictEqual(occupant.rule, "special-assessment-notice-to-owner")
    assert.match(occupant.law, /38773\.5/)
    const posted = expectTag(refusal(after(invoiced, assessmentNotice("2026-06-08T17:00:00Z", "posting-on-property"), "2026-06-08T18:00:00Z")), "SpecialAssessmentRefused")
    assert.strictEqual(posted.rule, "special-assessment-notice-by-certified-mail")
    const early = expectTag(refusal(after(invoiced, assessmentNotice("2026-06-01T17:00:00Z"), "2026-06-01T18:00:00Z")), "TooEarly")
    assert.strictEqual(early.rule, "no-special-assessment-before-payment-deadline")
    const late = { ...assessmentNotice("2026-06-08T17:00:00Z"), hearingAt: at("2026-06-08T16:00:00Z") } as NuisanceCaseCommand
    assert.strictEqual(expectTag(refusal(after(invoiced, late, "2026-06-08T18:00:00Z")), "ImplausibleInstant").rule, "hearing-after-notice")
  })

  it("the same costs are collected by a lien or by a special assessment, never both", () => {
    const lienAfterAssessment = expectTag(refusal(after(assessed, lienNotice("2026-06-09T17:00:00Z"), "2026-06-09T18:00:00Z")), "WrongCaseStage")
    assert.notInclude(lienAfterAssessment.allowedStages, "special-assessment-noticed")
    const assessmentAfterLien = expectTag(refusal(after(noticed, assessmentNotice("2026-06-09T17:00:00Z"), "2026-06-09T18:00:00Z")), "WrongCaseStage")
    assert.notInclude(assessmentAfterLien.allowedStages, "lien-noticed")
    const recorded = [...noticed, step("lien", recordLien("2026-06-19T17:00:00Z"), "2026-06-19T18:00:00Z")]
    assert.strictEqual(expectTag(refusal(after(recorded, assessmentNotice("2026-06-20T17:00:00Z"), "2026-06-20T18:00:00Z")), "WrongCaseStage").stage, "lien-recorded")
  })
})
