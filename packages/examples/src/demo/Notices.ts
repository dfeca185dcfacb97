/**
 * The demo's notices: every letter, notice, citation, order and invoice a
 * demo case serves is made by the case from the city's template set, with
 * the dates of the deadlines it computed and the amounts it checked; the
 * demo gives only what the city alone knows (its office, the property's
 * address, the work an order requires). Dates are written in the
 * jurisdiction's time zone.
 *
 * @module
 */
import { DateTime, Effect } from "effect"
import { type Aggregate, type Jurisdiction, loadStream, type Period } from "@community-policing/core"
import {
  formatNoticeDate,
  type NoticeData,
  type NoticeDocument,
  type NuisanceCaseCommand,
  type NuisanceCaseEvent,
  type NuisanceCaseRefusal,
  type NuisanceCaseState,
  nuisanceCaseStreamId,
  servedNotices,
  type ServiceOfNotice
} from "@community-policing/core/justice-for-neighbors"

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
 * A notice maker for a jurisdiction: gives the service a case's command
 * reports, with the values of its document only the city knows (the
 * office, its telephone, the written property address, and `data`). The
 * case makes the document itself, with its own dates and amounts; the
 * documents served are read back from the case's events
 * ({@link servedDocumentsOf}).
 */
export const noticeMaker = (jurisdiction: Jurisdiction) => {
  const date = (millis: number) =>
    Effect.fromResult(formatNoticeDate(DateTime.makeUnsafe(millis), jurisdiction.timeZone))

  const serve = (
    letterhead: CaseLetterhead,
    servedAt: number,
    method: ServiceOfNotice["method"],
    data: NoticeData
  ): ServiceOfNotice => {
    const districtIndex = jurisdiction.councilDistricts.findIndex((district) => district.id === letterhead.councilDistrict)
    const districtName = jurisdiction.councilDistricts[districtIndex]?.name ?? `Council District ${letterhead.councilDistrict}`
    return {
      personServed: {
        name: letterhead.owner.name,
        capacity: letterhead.owner.capacity,
        mailingAddress: letterhead.owner.mailingAddress
      },
      servedAt: DateTime.makeUnsafe(servedAt),
      method,
      values: {
        issuingOffice: `Justice for Neighbors, ${districtName}`,
        propertyAddress: letterhead.propertyAddress,
        // 555-0100 to 555-0199 are reserved for fiction.
        contactPhone: phoneOfDistrict(districtIndex),
        ...data
      }
    }
  }

  return { serve, date }
}

/** A notice maker; see {@link noticeMaker}. */
export type NoticeMaker = ReturnType<typeof noticeMaker>

/** The documents the demo's cases served, read from their events in the store, case by case, oldest first. */
export const servedDocumentsOf = (tenantId: string, cases: Aggregate<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal>, caseIds: ReadonlyArray<string>) =>
  Effect.forEach(caseIds, (caseId) =>
    Effect.map(
      loadStream(cases, tenantId, nuisanceCaseStreamId(caseId)),
      (loaded): ReadonlyArray<ServedNotice> => servedNotices(loaded.events).map((document) => ({ caseId, document }))
    )).pipe(Effect.map((perCase) => perCase.flat()))
