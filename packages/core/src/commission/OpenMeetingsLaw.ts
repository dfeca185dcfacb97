/**
 * The open-meetings law a commission's meetings follow, as configuration:
 * every period, count, threshold and list the meeting rules use, with
 * California's Ralph M. Brown Act (Gov. Code 54950 ff.) as the preset for
 * Sacramento and Washington's Open Public Meetings Act (RCW 42.30) as a
 * second preset, to show that another state's law is a setting, not code.
 *
 * Elapsed-hour rules (posting, notice) are judged on real elapsed time, the
 * difference of two instants in milliseconds: a posting across a
 * daylight-saving change is judged by the clock, never by the calendar.
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import { brownActClosedSessionBases, ClosedSessionBasis, washingtonExecutiveSessionBases } from "./ClosedSession.ts"
import { QuorumRule } from "./Membership.ts"

const wholeAtLeast0 = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const wholeAbove0 = Schema.Int.check(Schema.isGreaterThan(0))

/** A statute or ordinance citation, e.g. `Gov. Code 54954.2(a)(1)`. */
export const Citation = Schema.NonEmptyString.check(Schema.isTrimmed())

/**
 * How many votes a decision needs.
 *
 * - `majority-of-present`: more ayes than half of the members present and
 *   not recused.
 * - `majority-of-full-membership`: more ayes than half of every seat,
 *   vacancies included (for actions the law or the bylaws reserve to a
 *   majority of the body).
 * - `two-thirds-of-present-or-unanimous`: ayes of at least two thirds of
 *   the members present; when fewer than two thirds of the body's members
 *   are present, every member present (Gov. Code 54954.2(b)(2)).
 */
export const VoteThreshold = Schema.Literals([
  "majority-of-present",
  "majority-of-full-membership",
  "two-thirds-of-present-or-unanimous"
])

/** How many votes a decision needs; see {@link VoteThreshold}. */
export type VoteThreshold = typeof VoteThreshold.Type

/**
 * How often the body regularly meets, which sets the yearly cap on a
 * member's remote attendance for just cause or emergency circumstances.
 */
export const MeetingFrequency = Schema.Literals(["monthly-or-less", "twice-monthly", "more-than-twice-monthly"])

/** How often the body regularly meets; see {@link MeetingFrequency}. */
export type MeetingFrequency = typeof MeetingFrequency.Type

/**
 * The paths by which a body may act on an item that is not on the posted
 * agenda, each with the vote it needs; a path left out is not available.
 */
export const NonAgendaRules = Schema.Struct({
  /**
   * An emergency situation (as the emergency-meeting rule defines it), found
   * by a vote (Gov. Code 54954.2(b)(1)); absent when the law has no such path.
   */
  emergency: Schema.optionalKey(Schema.Struct({ threshold: VoteThreshold, citation: Citation })),
  /**
   * A need to act immediately that came to the body's attention after the
   * agenda was posted, found by a vote (Gov. Code 54954.2(b)(2)).
   */
  needAroseAfterPosting: Schema.optionalKey(Schema.Struct({ threshold: VoteThreshold, citation: Citation })),
  /**
   * An item posted for a prior meeting held at most `withinDays` days
   * earlier and continued to this one (Gov. Code 54954.2(b)(3)).
   */
  continuedFromPriorMeeting: Schema.optionalKey(Schema.Struct({ withinDays: wholeAtLeast0, citation: Citation })),
  /**
   * A regular meeting's agenda may be amended at the meeting by a vote
   * (Washington: RCW 42.30.077 lets business be added to a posted regular
   * agenda); absent in California.
   */
  amendRegularAgenda: Schema.optionalKey(Schema.Struct({ threshold: VoteThreshold, citation: Citation }))
})

/** The paths for items not on the agenda; see {@link NonAgendaRules}. */
export type NonAgendaRules = typeof NonAgendaRules.Type

/**
 * The open-meetings settings of a commission: the law's name and every
 * number, period and list the meeting rules read. Hours are real elapsed
 * hours.
 */
export const OpenMeetingsLaw = Schema.Struct({
  /** The law's name, shown in refusals and docs, e.g. `Ralph M. Brown Act`. */
  name: Schema.NonEmptyString,
  /** How a quorum is counted. */
  quorum: QuorumRule,
  /** A regular meeting's agenda is posted at least this many hours before it opens. */
  regularAgenda: Schema.Struct({ hoursBefore: wholeAtLeast0, citation: Citation }),
  /**
   * A special meeting's notice reaches every member and every medium that
   * asked for notice at least this many hours before it opens; only the
   * business noticed is taken up.
   */
  specialNotice: Schema.Struct({ hoursBefore: wholeAtLeast0, citation: Citation }),
  /**
   * An emergency meeting needs an emergency finding and, when `mediaHoursBefore`
   * is set, the media told at least that many hours before it opens.
   */
  emergencyNotice: Schema.Struct({ mediaHoursBefore: Schema.optionalKey(wholeAtLeast0), citation: Citation }),
  /**
   * Agenda item descriptions longer than this many words are flagged
   * (Gov. Code 54954.2(a)(1): "generally need not exceed 20 words");
   * absent when the law sets no length.
   */
  agendaDescription: Schema.optionalKey(Schema.Struct({ maxWords: wholeAbove0, citation: Citation })),
  /** The paths for items not on the agenda. */
  nonAgenda: NonAgendaRules,
  /** Public comment on each item, its time limit and translators' double time. */
  publicComment: Schema.Struct({
    /** The city's limit per speaker per item, in minutes (a reasonable regulation, Gov. Code 54954.3(b)). */
    minutesPerSpeaker: wholeAbove0,
    /**
     * A speaker using a translator gets at least this multiple of the limit,
     * unless the meeting has simultaneous interpretation (Gov. Code 54954.3(b)(2)).
     */
    translatorMultiple: wholeAbove0,
    citation: Citation
  }),
  /**
   * Documents given to a majority of members less than this many hours
   * before a regular meeting are public from the moment they are given
   * (Gov. Code 54957.5(b)); absent when the law has no such rule.
   */
  lateDocuments: Schema.optionalKey(Schema.Struct({ hoursBefore: wholeAbove0, citation: Citation })),
  /** Closed sessions: the bases allowed, each with its citation, and the rules of announcing and reporting. */
  closedSession: Schema.Struct({
    bases: Schema.Array(ClosedSessionBasis),
    /** Where the announcement before a closed session is required. */
    announceCitation: Citation,
    /** Where the report of actions and votes after it is required. */
    reportCitation: Citation
  }),
  /**
   * Remote attendance for just cause or emergency circumstances: the yearly
   * cap per member by how often the body meets; a quorum in one physical
   * place; every vote by roll call when anyone attends remotely.
   */
  remoteAttendance: Schema.Struct({
    frequency: MeetingFrequency,
    capPerYear: Schema.Struct({
      "monthly-or-less": wholeAtLeast0,
      "twice-monthly": wholeAtLeast0,
      "more-than-twice-monthly": wholeAtLeast0
    }),
    citation: Citation,
    rollCallCitation: Citation
  }),
  /** The vote most actions need; actions may ask for another threshold. */
  defaultThreshold: VoteThreshold,
  /** Cure and correct: the demand's window after the action and the body's time to answer. */
  cureAndCorrect: Schema.optionalKey(Schema.Struct({
    /** Days after the action for a written demand (Gov. Code 54960.1(c)(1)). */
    demandWithinDays: wholeAbove0,
    /** Days after an open-session action taken in violation of the agenda rules (Gov. Code 54960.1(c)(1)). */
    agendaViolationDemandWithinDays: wholeAbove0,
    /** Days after receipt for the body's answer (Gov. Code 54960.1(c)(2)). */
    answerWithinDays: wholeAbove0,
    citation: Citation
  }))
})

/** The open-meetings settings; see {@link OpenMeetingsLaw}. */
export type OpenMeetingsLaw = typeof OpenMeetingsLaw.Type

/**
 * California's Ralph M. Brown Act with Sacramento's choices, the preset for
 * the Community Police Commission. Sources:
 *
 * - 72-hour regular agenda: Gov. Code 54954.2(a)(1).
 * - 24-hour special meeting notice to members and media on request: Gov. Code 54956(a);
 *   only the noticed business: 54956(a).
 * - Emergency meeting: finding, media told 1 hour before: Gov. Code 54956.5(a), (b)(2).
 * - 20-word descriptions: Gov. Code 54954.2(a)(1).
 * - Items not on the agenda: Gov. Code 54954.2(b)(1) (emergency, majority of
 *   the body), (b)(2) (need arose after posting, two thirds present or
 *   unanimous), (b)(3) (continued from a meeting at most 5 days earlier).
 * - Public comment: Gov. Code 54954.3(a), (b); double time with a translator
 *   54954.3(b)(2). The 3-minute limit is the city's choice (54954.3(b)).
 * - Late documents public when given: Gov. Code 54957.5(b) (72 hours).
 * - Closed session announced before (54957.7(a)) and reported after (54957.1).
 * - Remote attendance for just cause or emergency circumstances: Gov. Code
 *   54953(f); the caps 2/5/7 by how often the body meets are those the
 *   issue states (as amended by SB 707, 2025) and are unverified against
 *   the codified text here. Every vote by roll call when anyone is remote:
 *   Gov. Code 54953(b)(2)(A) (verified).
 * - Quorum: majority of the full membership (Code Civ. Proc. 15).
 * - Cure and correct: Gov. Code 54960.1(c)(1), (2): 90 days, 30 for agenda
 *   violations, 30 days to answer (verified against the statute's text).
 * - Sacramento's commission meets monthly (Sacramento City Code 2.100; unverified).
 */
export const californiaBrownAct: OpenMeetingsLaw = {
  name: "Ralph M. Brown Act",
  quorum: { _tag: "majority-of-full-membership" },
  regularAgenda: { hoursBefore: 72, citation: "Gov. Code 54954.2(a)(1)" },
  specialNotice: { hoursBefore: 24, citation: "Gov. Code 54956(a)" },
  emergencyNotice: { mediaHoursBefore: 1, citation: "Gov. Code 54956.5(b)(2)" },
  agendaDescription: { maxWords: 20, citation: "Gov. Code 54954.2(a)(1)" },
  nonAgenda: {
    emergency: { threshold: "majority-of-full-membership", citation: "Gov. Code 54954.2(b)(1)" },
    needAroseAfterPosting: { threshold: "two-thirds-of-present-or-unanimous", citation: "Gov. Code 54954.2(b)(2)" },
    continuedFromPriorMeeting: { withinDays: 5, citation: "Gov. Code 54954.2(b)(3)" }
  },
  publicComment: { minutesPerSpeaker: 3, translatorMultiple: 2, citation: "Gov. Code 54954.3" },
  lateDocuments: { hoursBefore: 72, citation: "Gov. Code 54957.5(b)" },
  closedSession: {
    bases: brownActClosedSessionBases,
    announceCitation: "Gov. Code 54957.7(a)",
    reportCitation: "Gov. Code 54957.1"
  },
  remoteAttendance: {
    frequency: "monthly-or-less",
    capPerYear: { "monthly-or-less": 2, "twice-monthly": 5, "more-than-twice-monthly": 7 },
    citation: "Gov. Code 54953(f)",
    rollCallCitation: "Gov. Code 54953(b)(2)(A)"
  },
  defaultThreshold: "majority-of-present",
  cureAndCorrect: {
    demandWithinDays: 90,
    agendaViolationDemandWithinDays: 30,
    answerWithinDays: 30,
    citation: "Gov. Code 54960.1(c)"
  }
}

/**
 * Washington's Open Public Meetings Act (RCW 42.30) as a second preset.
 * Sources:
 *
 * - Special meeting: written notice to each member and to each newspaper and
 *   station on request at least 24 hours before; final disposition only on
 *   the business noticed: RCW 42.30.080(1)-(3) (verified against the text).
 * - Emergency: the notices may be dispensed with for an emergency involving
 *   injury or damage to persons or property: RCW 42.30.080(4) (verified), so
 *   no media hours are set.
 * - Regular meeting agenda online 24 hours before: RCW 42.30.077
 *   (unverified here); business may be added to a posted regular agenda
 *   (RCW 42.30.077, unverified), preset as a majority of those present.
 * - No 20-word description rule, no late-document rule and no cure-and-correct
 *   procedure in RCW 42.30 as far as known here (unverified).
 * - Executive sessions: RCW 42.30.110 (bases listed with its subsections;
 *   unverified subsection letters); action is final only in open session
 *   (RCW 42.30.060).
 * - Public comment at regular meetings: RCW 42.30.240 (unverified); the
 *   3-minute limit is the city's choice; the double time for translators is
 *   kept as the city's choice (California's rule, not Washington's).
 * - Remote attendance caps: none in RCW 42.30 as far as known here; the
 *   California caps are kept as the city's own policy (unverified).
 */
export const washingtonOpenPublicMeetingsAct: OpenMeetingsLaw = {
  name: "Open Public Meetings Act (RCW 42.30)",
  quorum: { _tag: "majority-of-full-membership" },
  regularAgenda: { hoursBefore: 24, citation: "RCW 42.30.077" },
  specialNotice: { hoursBefore: 24, citation: "RCW 42.30.080(2)" },
  emergencyNotice: { citation: "RCW 42.30.080(4)" },
  nonAgenda: {
    amendRegularAgenda: { threshold: "majority-of-present", citation: "RCW 42.30.077" }
  },
  publicComment: { minutesPerSpeaker: 3, translatorMultiple: 2, citation: "RCW 42.30.240" },
  closedSession: {
    bases: washingtonExecutiveSessionBases,
    announceCitation: "RCW 42.30.110(2)",
    reportCitation: "RCW 42.30.060(1)"
  },
  remoteAttendance: {
    frequency: "monthly-or-less",
    capPerYear: { "monthly-or-less": 2, "twice-monthly": 5, "more-than-twice-monthly": 7 },
    citation: "city policy (no cap in RCW 42.30)",
    rollCallCitation: "city policy"
  },
  defaultThreshold: "majority-of-present"
}

const HOUR_MS = 3_600_000

/**
 * Real elapsed milliseconds from `from` to `to`: the difference of their
 * epoch times, so a daylight-saving change between them changes nothing.
 */
export const elapsedMillis = (from: DateTime.DateTime, to: DateTime.DateTime): number => DateTime.toEpochMillis(to) - DateTime.toEpochMillis(from)

/** Whether at least `hours` real hours elapse from `from` to `to`. */
export const atLeastHoursBefore = (from: DateTime.DateTime, to: DateTime.DateTime, hours: number): boolean =>
  elapsedMillis(from, to) >= hours * HOUR_MS

/** The number of words of an agenda item's description, as 54954.2(a)(1) counts them: runs of non-space characters. */
export const wordCount = (text: string): number => text.trim().split(/\s+/).filter((word) => word !== "").length

/** The yearly cap on remote attendance for just cause or emergency circumstances under the law's frequency. */
export const remoteAttendanceCap = (law: OpenMeetingsLaw): number =>
  law.remoteAttendance.capPerYear[law.remoteAttendance.frequency]

const localDay = (instant: DateTime.DateTime, timeZone: string): number => {
  const parts = DateTime.toParts(DateTime.setZoneNamedUnsafe(instant, timeZone))
  return Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000
}

/**
 * Calendar days from the date of `from` to the date of `to`, both read in
 * `timeZone` (an IANA zone the runtime knows): the count statutes in days
 * use ("held no more than five calendar days prior", "within 90 days").
 */
export const calendarDaysBetween = (from: DateTime.DateTime, to: DateTime.DateTime, timeZone: string): number =>
  localDay(to, timeZone) - localDay(from, timeZone)
