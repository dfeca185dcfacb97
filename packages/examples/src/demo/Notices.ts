/**
 * The demo's notices: every letter, notice, citation, order and invoice a
 * demo case serves is made from the city's template set with the case's
 * data (`makeDocument`), and the service the case records names the
 * document's content id. Dates are written in the jurisdiction's time zone,
 * periods and amounts from its configuration.
 *
 * @module
 */
import { DateTime, Effect } from "effect"
import {
  formatNoticeDate,
  type Jurisdiction,
  makeDocument,
  type NoticeData,
  type NoticeDocument,
  type NoticeKind,
  type NoticeTemplateSet,
  type Period,
  type ServiceOfNotice
} from "@community-policing/core"

/**
 * Periods the templates need that the jurisdiction's settings do not hold
 * (yet): how long an owner has to pay a citation. They are the demo's
 * assumptions, written on its notices only; no rule of the case depends on
 * them. (The time to request a hearing is the setting `periods.hearingRequest`.)
 */
export const demoNoticePeriods = {
  citationPayment: { amount: 30, unit: "calendar-days" }
} as const satisfies Record<string, Period>

/** How many days after its notice the demo sets a hearing, at 09:00 local time (the demo's assumption, like {@link demoNoticePeriods}). */
export const demoHearingAfterDays = 14

/** The owner a case's documents go to: a made-up person or company. */
export interface Owner {
  readonly name: string
  readonly mailingAddress: string
  readonly capacity: ServiceOfNotice["personServed"]["capacity"]
}

/** What every document of one case shares. */
export interface CaseLetterhead {
  readonly caseId: string
  readonly councilDistrict: string
  readonly propertyAddress: string
  readonly owner: Owner
}

/** A document a demo case served. */
export interface ServedNotice {
  readonly caseId: string
  readonly document: NoticeDocument
}

const phoneOfDistrict = (index: number): string => `916-555-01${String(10 + Math.max(0, index)).padStart(2, "0")}`

/**
 * A notice maker for a jurisdiction and its template set: makes a case's
 * document of a kind, served at an instant, keeps it, and gives the
 * service to record.
 */
export const noticeMaker = (jurisdiction: Jurisdiction, templates: NoticeTemplateSet) => {
  const made: Array<ServedNotice> = []
  const date = (millis: number) =>
    Effect.fromResult(formatNoticeDate(DateTime.makeUnsafe(millis), jurisdiction.timeZone))

  const serve = (
    kind: NoticeKind,
    letterhead: CaseLetterhead,
    servedAt: number,
    method: ServiceOfNotice["method"],
    data: NoticeData
  ) =>
    Effect.gen(function*() {
      const districtIndex = jurisdiction.councilDistricts.findIndex((district) => district.id === letterhead.councilDistrict)
      const districtName = jurisdiction.councilDistricts[districtIndex]?.name ?? `Council District ${letterhead.councilDistrict}`
      const document = yield* Effect.fromResult(makeDocument(templates[kind], {
        cityName: jurisdiction.name,
        issuingOffice: `Justice for Neighbors, ${districtName}`,
        documentDate: yield* date(servedAt),
        caseNumber: letterhead.caseId,
        addresseeName: letterhead.owner.name,
        addresseeAddress: letterhead.owner.mailingAddress,
        propertyAddress: letterhead.propertyAddress,
        // 555-0100 to 555-0199 are reserved for fiction.
        contactPhone: phoneOfDistrict(districtIndex),
        ...data
      }))
      made.push({ caseId: letterhead.caseId, document })
      const service: ServiceOfNotice = {
        documentId: document.id,
        personServed: {
          name: letterhead.owner.name,
          capacity: letterhead.owner.capacity,
          mailingAddress: letterhead.owner.mailingAddress.replace(/\n/g, ", ")
        },
        servedAt: DateTime.makeUnsafe(servedAt),
        method
      }
      return service
    })

  return {
    serve,
    date,
    /** Every document made so far, in the order they were made. */
    documents: (): ReadonlyArray<ServedNotice> => made
  }
}

/** A notice maker; see {@link noticeMaker}. */
export type NoticeMaker = ReturnType<typeof noticeMaker>

