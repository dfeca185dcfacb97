/**
 * Homes can still be reached (issue 10, item 3): a case whose basis is
 * calls for service, or any law enforcement contact, never reaches a home;
 * a motel where people live is a home for this rule; and nothing a case
 * serves or records may require or press a landlord to evict for contacts
 * with law enforcement (Gov. Code 53165, 53165.1; 34 U.S.C. 12495).
 */
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { callsForServiceIneligibility, type Place, sacramento } from "@community-policing/core"
import {
  defaultNoticeTemplates,
  evaluatePlace,
  evictionPressure,
  makeDocument,
  milwaukeeChronicNuisance,
  noticeTemplateProblems,
  type NuisanceCaseCommand,
  nuisanceCaseDecider,
  nuisanceCaseEvents,
  type NuisanceCaseRefusal,
  validateNoticeTemplate
} from "@community-policing/core/justice-for-neighbors"
import { asOfDay, business, call, daysBefore, settingsWith } from "./ChronicCallerFixtures.ts"
import {
  accepted,
  analytics,
  at,
  ceo,
  decideStep,
  evidenceFor,
  excessiveCallsStoryline,
  expectTag,
  motelAddress,
  refusal,
  replay,
  sergeant,
  standardStoryline,
  type Step
} from "./NuisanceCaseFixtures.ts"

const decider = nuisanceCaseDecider(sacramento)
const story = standardStoryline()
const motel = excessiveCallsStoryline()
const openBlight = story[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
const openMotel = motel[0]!.command as Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>
const now = at("2026-03-02T18:00:00Z")

const motelWithTenants = (rooms: number | "unknown"): Place["landUse"] => ({
  _tag: "non-residential",
  kind: "motel-hotel",
  rooms: 40,
  longTermTenancies: { rooms }
})

describe("a motel where people live is a residence for calls-for-service rules", () => {
  it("the land use says why a place may not be designated for calls", () => {
    assert.strictEqual(callsForServiceIneligibility(business("1200 J ST", "bar")), undefined)
    assert.strictEqual(callsForServiceIneligibility({ ...business(motelAddress, "motel-hotel", 40), landUse: motelWithTenants(6) }), "long-term-tenancies")
    assert.strictEqual(callsForServiceIneligibility({ ...business(motelAddress, "motel-hotel", 40), landUse: motelWithTenants("unknown") }), "long-term-tenancies")
  })

  it("given a motel with long-term tenancies and calls enough for a designation, then the analytics find it Ineligible, with the reason and the law", () => {
    const place: Place = { ...business(motelAddress, "motel-hotel", 40), landUse: motelWithTenants(6) }
    const calls = Array.from({ length: 6 }, (_, i) => call({ key: `k${i}`, address: motelAddress, day: daysBefore(i * 2) }))
    const result = evaluatePlace(place, calls, settingsWith(milwaukeeChronicNuisance.rules), asOfDay)
    assert.isTrue(Result.isSuccess(result))
    const outcome = Result.getOrThrow(result)
    if (outcome._tag !== "Ineligible") return assert.fail(`expected Ineligible, got ${outcome._tag}`)
    assert.strictEqual(outcome.reason, "long-term-tenancies")
    assert.match(outcome.source, /53165\.1/)
    assert.match(outcome.explanation, /room/)
  })

  it("given analytics evidence about a motel with long-term tenancies, then the case is refused, naming the law", () => {
    const error = expectTag(
      refusal(decideStep(decider, decider.initialState, {
        command: { ...openMotel, source: { _tag: "AnalyticsFinding", evidence: evidenceFor(motelAddress, motelWithTenants("unknown")) } },
        actor: analytics,
        now
      })),
      "ExcessiveCallsIntakeRefused"
    )
    assert.strictEqual(error.rule, "non-residential-only")
    assert.match(error.reason, /long-term tenanc/)
    for (const law of [/53165\b/, /53165\.1/, /34 U\.S\.C\. 12495/]) assert.match(error.law ?? "", law)
  })
})

describe("a police referral says what it is based on", () => {
  const referral = (source: Extract<NuisanceCaseCommand, { _tag: "OpenCase" }>["source"]): NuisanceCaseCommand => ({
    ...openBlight,
    source
  })

  it("a referral after repeated calls for service never opens a case: calls are counted only by the analytics, which keep homes and protected calls out", () => {
    const error = expectTag(
      refusal(decideStep(decider, decider.initialState, {
        command: referral({ _tag: "PoliceReferral", basis: "calls-for-service", reportNumber: "26-1" }),
        actor: sergeant,
        now
      })),
      "PoliceReferralRefused"
    )
    assert.strictEqual(error.rule, "calls-for-service-through-analytics")
    for (const law of [/53165\b/, /53165\.1/, /34 U\.S\.C\. 12495/]) assert.match(error.law, law)
  })

  it("a referral after an arrest must show a non-residential place without long-term tenancies at the case's address", () => {
    const home: Place = { addressKey: openBlight.addressKey, landUse: { _tag: "residential", units: 1 }, districts: { councilDistrict: "3" } }
    const bar: Place = { addressKey: openBlight.addressKey, landUse: { _tag: "non-residential", kind: "bar" }, districts: { councilDistrict: "3" } }
    for (
      const [source, rule] of [
        [{ _tag: "PoliceReferral", basis: "arrest" }, "law-enforcement-contact-needs-place"],
        [{ _tag: "PoliceReferral", basis: "arrest", place: home }, "law-enforcement-contact-non-residential-only"],
        [{ _tag: "PoliceReferral", basis: "arrest", place: { ...bar, landUse: motelWithTenants(3) } }, "law-enforcement-contact-non-residential-only"],
        [{ _tag: "PoliceReferral", basis: "arrest", place: { ...bar, addressKey: "1 OTHER ST" } }, "referral-place-matches-case"]
      ] as const
    ) {
      const error = expectTag(refusal(decideStep(decider, decider.initialState, { command: referral(source), actor: sergeant, now })), "PoliceReferralRefused")
      assert.strictEqual(error.rule, rule)
      assert.match(error.law, /53165\.1/)
    }
    accepted(decideStep(decider, decider.initialState, { command: referral({ _tag: "PoliceReferral", basis: "arrest", place: bar }), actor: sergeant, now }))
  })

  it("a case opened from a referral before referrals said their basis reads back as unrecorded, which no new referral may give", () => {
    const opened = accepted(decideStep(decider, decider.initialState, {
      command: referral({ _tag: "PoliceReferral", basis: "observed-conditions", reportNumber: "26-3" }),
      actor: sergeant,
      now
    }))[0]!
    const stored = nuisanceCaseEvents.encode(opened)
    assert.strictEqual(stored.schemaVersion, 2)
    const { basis: _, ...oldSource } = (stored.data as { source: { basis: string } }).source
    const read = nuisanceCaseEvents.decode({ ...stored, schemaVersion: 1, data: { ...(stored.data as object), source: oldSource } })
    const event = Result.getOrThrow(read)
    assert.strictEqual(event._tag === "CaseOpened" && event.source._tag === "PoliceReferral" ? event.source.basis : undefined, "unrecorded")
    const error = expectTag(
      refusal(decideStep(decider, decider.initialState, { command: referral({ _tag: "PoliceReferral", basis: "unrecorded" }), actor: sergeant, now })),
      "PoliceReferralRefused"
    )
    assert.strictEqual(error.rule, "referral-basis-required")
  })

  it("a referral of conditions an officer observed (dumping, a dangerous structure) may open a case at any place", () => {
    accepted(decideStep(decider, decider.initialState, {
      command: referral({ _tag: "PoliceReferral", basis: "observed-conditions", reportNumber: "26-2" }),
      actor: sergeant,
      now
    }))
  })
})

describe("nothing may require or press a landlord to evict for contacts with law enforcement (Gov. Code 53165.1)", () => {
  it("the word check finds eviction pressed for police contacts, and leaves other text alone", () => {
    assert.isDefined(evictionPressure("Evict the tenants of rooms 12 and 14 after the police calls."))
    assert.isDefined(evictionPressure("Serve a notice terminating the tenancy of any occupant arrested on the premises"))
    assert.isDefined(evictionPressure("File an unlawful detainer against tenants who call 911 more than twice"))
    assert.isUndefined(evictionPressure("Security guard Friday and Saturday nights"))
    assert.isUndefined(evictionPressure("Call the police when trespassers refuse to leave."))
    assert.isUndefined(evictionPressure("Remove the debris from the side yard."))
  })

  it("a template whose text presses eviction for police contacts is refused, naming 53165.1; the default templates pass", () => {
    for (const template of Object.values(defaultNoticeTemplates)) {
      assert.deepStrictEqual(noticeTemplateProblems(template).filter((p) => p.problem === "presses-eviction"), [])
    }
    const base = defaultNoticeTemplates["owner-letter"]
    const pressing = {
      ...base,
      paragraphs: [...base.paragraphs, { _tag: "Text", text: "You are expected to evict tenants whose conduct leads to repeated police calls." }] as typeof base.paragraphs
    }
    const problems = noticeTemplateProblems(pressing).filter((p) => p.problem === "presses-eviction")
    assert.strictEqual(problems.length, 1)
    assert.match(problems[0]!.detail, /Gov\. Code 53165\.1/)
    const validated = validateNoticeTemplate(pressing)
    if (Result.isSuccess(validated)) return assert.fail("expected the template to be refused")
    assert.match(validated.failure.message, /53165\.1/)
  })

  it("a document whose data presses eviction for police contacts is not made", () => {
    const data = {
      cityName: "City of Sacramento",
      issuingOffice: "Justice for Neighbors, Council District 3",
      documentDate: "March 2, 2026",
      caseNumber: "JFN-2026-0042",
      addresseeName: "R. Owner",
      addresseeAddress: "PO Box 1\nSacramento CA",
      propertyAddress: "2315 10th Ave",
      contactPhone: "916-555-0142",
      category: "blight",
      compliancePeriod: "14 calendar days",
      complianceDue: "March 16, 2026"
    }
    assert.isTrue(Result.isSuccess(makeDocument(defaultNoticeTemplates["notice-of-violation"], { ...data, violations: ["SCC 8.04.100: refuse in the side yard"] })))
    const made = makeDocument(defaultNoticeTemplates["notice-of-violation"], { ...data, violations: ["Evict the tenant arrested last month."] })
    if (Result.isSuccess(made)) return assert.fail("expected the document to be refused")
    assert.deepStrictEqual(made.failure.problems.map((p) => [p.problem, p.where]), [["presses-eviction", "paragraphs[2].items"]])
  })

  const upToPlan = motel.slice(0, -1)
  const planStep = motel[motel.length - 1]!
  it("an abatement plan whose terms press eviction for police contacts is refused, naming 53165.1", () => {
    const { state } = replay(decider, upToPlan)
    const plan = planStep.command as Extract<NuisanceCaseCommand, { _tag: "AgreeAbatementPlan" }>
    const error = expectTag(
      refusal(decideStep(decider, state, {
        ...planStep,
        command: { ...plan, terms: [...plan.terms, "owner to evict any tenant involved in calls to police"] }
      })),
      "EvictionPressureRefused"
    )
    assert.strictEqual(error.rule, "no-eviction-for-law-enforcement-contacts")
    assert.strictEqual(error.law, "Gov. Code 53165.1")
    assert.deepStrictEqual(error.field, ["terms", 3])
  })

  it("a notice of violation listing eviction for police contacts as a violation is refused", () => {
    const noticeAt = story.findIndex((s: Step) => s.name === "notice-of-violation")
    const { state } = replay(decider, story.slice(0, noticeAt))
    const step = story[noticeAt]!
    const notice = step.command as Extract<NuisanceCaseCommand, { _tag: "ServeNoticeOfViolation" }>
    const error = expectTag(
      refusal(decideStep(decider, state, { ...step, actor: ceo, command: { ...notice, violations: ["SCC 8.04.100", "failure to evict tenant after arrests"] } })),
      "EvictionPressureRefused"
    )
    assert.deepStrictEqual(error.field, ["violations", 1])
  })
})
