/**
 * Collecting unpaid abatement costs: the nuisance abatement lien (Gov. Code
 * 38773.1), recorded only after notice to the owner of record, and the
 * special assessment on the property tax roll (Gov. Code 38773.5), its
 * alternative. This module holds what the law fixes: who the lien notice
 * goes to, how it is served, what a diligent search and the publication
 * record, and when notice is complete; the decider applies it.
 *
 * @module
 */
import { DateTime, Option, Result, Schema } from "effect"
import { computeDeadline, type BusinessCalendar, type Deadline, UnknownTimeZone } from "../kernel/Deadline.ts"
import type { InvalidPeriod, Period } from "../kernel/Period.ts"
import { DEFAULT_LIEN_NOTICE_PERIOD, type CodeEnforcementPeriods } from "../kernel/ProgramSettings.ts"
import type { CapacityServed, MethodOfService } from "./ServiceOfNotice.ts"

const Instant = Schema.DateTimeUtcFromString
const Reference = Schema.NonEmptyString.check(Schema.isTrimmed(), Schema.isMaxLength(200))

/** The law behind the lien notice's rules: notice to the owner of record before recording, by the last equalized or the supplemental roll. */
export const LIEN_NOTICE_LAW = "Gov. Code 38773.1(a)"

/** The law behind how the lien notice is served: as a summons, or after a diligent search by posting and publication. */
export const LIEN_SERVICE_LAW = "Gov. Code 38773.1(b); Code Civ. Proc. 415.10-415.40"

/** The law behind the publication of a lien notice: Gov. Code 6062, which 38773.1(b) names. */
export const PUBLICATION_LAW = "Gov. Code 38773.1(b); Gov. Code 6062"

/** The law behind the special assessment of abatement costs. */
export const SPECIAL_ASSESSMENT_LAW = "Gov. Code 38773.5"

/** Who the lien notice goes to: the owner of record, never the occupant, an agent or a business operator (Gov. Code 38773.1(a)). */
export const LIEN_NOTICE_CAPACITY: CapacityServed = "owner"

/**
 * The methods that serve a lien notice as a summons in a civil action is
 * served (Gov. Code 38773.1(b), naming Code Civ. Proc. 415.10 ff.):
 * personal delivery (415.10), substituted service (415.20), mail with a
 * notice and acknowledgment of receipt (415.30), and, to an owner outside
 * California, mail with a return receipt (415.40). Certified or
 * first-class mail alone, and posting alone, are not among them.
 */
export const summonsMethods: ReadonlyArray<MethodOfService> = [
  "personal-delivery",
  "substituted-service",
  "mail-with-acknowledgment",
  "mail-outside-california-return-receipt"
]

/** How long the lien notice stays posted on the property when the owner cannot be found: 10 days (Gov. Code 38773.1(b)). */
export const LIEN_NOTICE_POSTING: Period = { amount: 10, unit: "calendar-days" }

/**
 * The publication period of Gov. Code 6062: it starts on the first day of
 * publication and ends at the end of the fourteenth day, that first day
 * included, so it is counted as 13 days after the first.
 */
export const PUBLICATION_PERIOD: Period = { amount: 13, unit: "calendar-days" }

/** The least number of days between two publications under Gov. Code 6062, not counting the publication days themselves. */
export const PUBLICATION_DAYS_INTERVENING = 5

/**
 * The diligent search for the owner of record that must fail before the
 * lien notice may be posted and published: when it ended, and what was
 * searched (the assessment roll, the recorder's index, a forwarding address).
 */
export const DiligentSearch = Schema.Struct({
  completedAt: Instant,
  searched: Schema.NonEmptyArray(Reference)
})

/** A diligent search for the owner; see {@link DiligentSearch}. */
export type DiligentSearch = typeof DiligentSearch.Type

/** The publication of a lien notice: the newspaper of general circulation in the county, and each day it ran. */
export const NoticePublication = Schema.Struct({
  newspaper: Reference,
  publishedAt: Schema.NonEmptyArray(Instant)
})

/** The publication of a lien notice; see {@link NoticePublication}. */
export type NoticePublication = typeof NoticePublication.Type

/**
 * The alternative service of a lien notice when the owner of record cannot
 * be found: a documented diligent search, then posting on the property for
 * 10 days (the `service`, by `posting-on-property`) and publication (Gov.
 * Code 38773.1(b)). Both the posting and the publication are required.
 */
export const OwnerNotFound = Schema.Struct({
  diligentSearch: DiligentSearch,
  publication: NoticePublication
})

/** The alternative service of a lien notice; see {@link OwnerNotFound}. */
export type OwnerNotFound = typeof OwnerNotFound.Type

const localDate = (instant: DateTime.DateTime, zone: DateTime.TimeZone): string => DateTime.formatIsoDate(DateTime.setZone(instant, zone))
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)
const byInstant = (a: DateTime.DateTime, b: DateTime.DateTime) => DateTime.toEpochMillis(a) - DateTime.toEpochMillis(b)

/**
 * What is wrong with a publication under Gov. Code 6062 (once a week for
 * two successive weeks; two publications with at least five days between
 * them, not counting the publication days, suffice), or `undefined`. Days
 * are the jurisdiction's local dates.
 */
export const publicationProblem = (publication: NoticePublication, timeZone: string): Result.Result<string | undefined, UnknownTimeZone> => {
  const zone = DateTime.zoneMakeNamed(timeZone)
  if (Option.isNone(zone)) return Result.fail(new UnknownTimeZone({ timeZone, rule: "publication of a lien notice" }))
  const days = [...publication.publishedAt].sort(byInstant).map((instant) => localDate(instant, zone.value))
  if (days.length < 2) return Result.succeed(`published ${days.length} time; Gov. Code 6062 requires two publications, a week apart`)
  const intervening = daysBetween(days[0]!, days[1]!) - 1
  return Result.succeed(
    intervening < PUBLICATION_DAYS_INTERVENING
      ? `${intervening} days between the publications of ${days[0]} and ${days[1]}; Gov. Code 6062 requires at least ${PUBLICATION_DAYS_INTERVENING}`
      : undefined
  )
}

/** The lien notice as served: when, and, when the owner could not be found, the search and publication that replaced service as a summons. */
export interface LienNoticeService {
  readonly servedAt: DateTime.Utc
  readonly ownerNotFound?: OwnerNotFound | undefined
}

/** When the lien notice is complete, and the earliest recording it allows; see {@link lienRecordingDeadline}. */
export interface LienRecordingDeadline {
  /** When notice is complete: service, or the end of both the posting and the publication. */
  readonly completedAt: DateTime.Utc
  /** The notice period from `completedAt`; the lien may be recorded once `due` has passed. */
  readonly deadline: Deadline
}

const later = (a: DateTime.Utc, b: DateTime.Utc): DateTime.Utc => DateTime.toEpochMillis(a) >= DateTime.toEpochMillis(b) ? a : b

/** The notice period a jurisdiction's settings give the lien notice: `periods.lienNotice`, or {@link DEFAULT_LIEN_NOTICE_PERIOD}. */
export const lienNoticePeriod = (periods: CodeEnforcementPeriods): Period => periods.lienNotice ?? DEFAULT_LIEN_NOTICE_PERIOD

/**
 * When a lien notice is complete and until when recording must wait: the
 * instant of service for a notice served as a summons; otherwise the later
 * of the end of the 10 days of posting (Gov. Code 38773.1(b)), the end of
 * the publication period (Gov. Code 6062) and the last publication. The
 * notice `period` (`periods.lienNotice`) is counted from there. The
 * decider sets the case's `lien-recording` deadline with this function, so
 * an app that writes the notice before serving it gets the same date from
 * the planned service (see `lienRecordingOn` for a served notice).
 */
export const lienRecordingDeadline = (
  calendar: BusinessCalendar,
  period: Period,
  notice: LienNoticeService,
  rule = "lien recorded after periods.lienNotice from notice to the owner of record (Gov. Code 38773.1(a), (b))"
): Result.Result<LienRecordingDeadline, InvalidPeriod | UnknownTimeZone> =>
  Result.gen(function*() {
    let completedAt = notice.servedAt
    if (notice.ownerNotFound !== undefined) {
      const posting = yield* computeDeadline({ start: notice.servedAt, period: LIEN_NOTICE_POSTING, rule: "posting of a lien notice for 10 days (Gov. Code 38773.1(b))" }, calendar)
      const published = [...notice.ownerNotFound.publication.publishedAt].sort(byInstant)
      const publication = yield* computeDeadline({ start: published[0]!, period: PUBLICATION_PERIOD, rule: "publication of a lien notice (Gov. Code 6062)" }, calendar)
      completedAt = later(later(DateTime.toUtc(posting.due), DateTime.toUtc(publication.due)), published[published.length - 1]!)
    }
    const deadline = yield* computeDeadline({ start: completedAt, period, rule }, calendar)
    return { completedAt, deadline }
  })

/** The first instant a lien may be recorded under a recording deadline: just after it is due. */
export const firstRecordingInstant = (due: DateTime.DateTime): DateTime.Utc => DateTime.add(DateTime.toUtc(due), { milliseconds: 1 })
