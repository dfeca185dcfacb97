/**
 * The Community Police Commission as one value: everything an app needs to
 * run the commission for a jurisdiction (its aggregates with their deciders,
 * event catalogs, access rules, read models and the notification reactor),
 * built from the jurisdiction and the commission's settings in one call, as
 * `justiceForNeighbors(...)` builds Justice for Neighbors, so that no city
 * wires the meetings to one open-meetings law and the recommendations to
 * another calendar by hand.
 *
 * @module
 */
import type { Layer } from "effect"
import { AccessPolicy, type AccessRule } from "../engine/AccessPolicy.ts"
import type { Aggregate } from "../engine/Decider.ts"
import type { EventCatalog } from "../engine/EventCatalog.ts"
import type { Projection } from "../engine/Projection.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import type { Role } from "../kernel/Role.ts"
import type { NotificationRules } from "../notifications/NotificationRules.ts"
import type { NotificationTemplates } from "../notifications/NotificationTemplates.ts"
import { notificationRulesReactor, type NotificationRulesReactor } from "../notifications/RulesReactor.ts"
import {
  attendanceReview,
  type AttendanceReviewCommand,
  type AttendanceReviewEvent,
  type AttendanceReviewRefusal,
  type AttendanceReviewState
} from "./AttendanceReview.ts"
import type { CommissionProgramSettings } from "./CommissionSettings.ts"
import {
  cureAndCorrect,
  type CureAndCorrectCommand,
  type CureAndCorrectEvent,
  type CureAndCorrectRefusal,
  type CureAndCorrectState,
  CURE_DEMAND_RESOURCE
} from "./CureAndCorrect.ts"
import { commissionMeeting, MEETING_RESOURCE, type MeetingState } from "./Meeting.ts"
import type { MeetingCommand, MeetingEvent } from "./MeetingEvents.ts"
import type { MeetingRefusal } from "./MeetingRefusals.ts"
import type { OpenMeetingsLaw } from "./OpenMeetingsLaw.ts"
import {
  recommendation,
  recommendationAccessRules,
  type DraftedRecommendation,
  type RecommendationCommand,
  type RecommendationEvent,
  type RecommendationRefusal,
  type RecommendationState
} from "./Recommendation.ts"
import { recommendationBoard } from "./RecommendationBoard.ts"
import { COMMISSION_NOTICES_PROGRAM, recommendationEventCatalogs } from "./RecommendationNotices.ts"
import type { RecommendationSettings } from "./RecommendationSettings.ts"
import {
  commissionClerkAccessRule,
  commissionSeats,
  type CommissionSeatsCommand,
  type CommissionSeatsEvent,
  type CommissionSeatsRefusal
} from "./Seats.ts"
import type { CommissionSeatsState } from "./SeatsStatus.ts"
import { type CommissionRoster, commissionRosters } from "./SeatsRoster.ts"

/** How a jurisdiction runs its commission: the settings of each part and who staffs it. */
export interface CommissionOptions {
  /** The seats and the attendance rule (checked with `validateCommissionSettings`; `sacramentoCommission` is the preset). */
  readonly settings: CommissionProgramSettings
  /** The open-meetings law the meetings and cure-and-correct demands follow (`californiaBrownAct`, `washingtonOpenPublicMeetingsAct`). */
  readonly law: OpenMeetingsLaw
  /** The recommendations' recipients, answer period and duties (`sacramentoRecommendationSettings`). */
  readonly recommendations: RecommendationSettings
  /**
   * The roles that keep the commission's record: the seats, the attendance
   * reviews, the meetings and the cure-and-correct demands (Sacramento: the
   * city clerk's office, City Code 2.40.080(B)). Which role that is, is each
   * city's choice, so there is no default: with none, no rule grants those
   * actions and the access policy refuses every one of them.
   */
  readonly clerkRoles: ReadonlyArray<Role>
  /**
   * The notifications: rules (`recommendationNotificationRules` is the
   * preset) and templates (checked with `recommendationNotifications`);
   * without them the program has no notifications reactor.
   */
  readonly notifications?: { readonly rules: NotificationRules; readonly templates: NotificationTemplates } | undefined
}

/**
 * The commission for one jurisdiction, grouped by kind (aggregates, events,
 * access, projections, reactors) in the shape every program takes.
 *
 * @example
 * ```ts
 * const program = commission(sacramento, {
 *   settings: sacramentoCommission,
 *   law: californiaBrownAct,
 *   recommendations: sacramentoRecommendationSettings,
 *   clerkRoles: ["clerk"]
 * })
 * yield* handleCommand(program.aggregates.meeting, { tenantId: "sacramento", commandId, actor, command }).pipe(
 *   Effect.provide(Layer.merge(MemoryStore.layer, program.policy))
 * )
 * ```
 */
export interface CommissionProgram {
  /** The program's name, as its notices and read models spell it. */
  readonly name: typeof COMMISSION_NOTICES_PROGRAM
  /** The configuration everything here was built from. */
  readonly jurisdiction: Jurisdiction
  /** The open-meetings law the meetings follow. */
  readonly law: OpenMeetingsLaw
  /** The aggregates to hand to `handleCommand` and `loadStream`; each carries its decider (`.decider`). */
  readonly aggregates: {
    readonly seats: Aggregate<CommissionSeatsCommand, CommissionSeatsEvent, CommissionSeatsState, CommissionSeatsRefusal>
    readonly attendanceReview: Aggregate<AttendanceReviewCommand, AttendanceReviewEvent, AttendanceReviewState, AttendanceReviewRefusal>
    readonly meeting: Aggregate<MeetingCommand, MeetingEvent, MeetingState, MeetingRefusal>
    readonly cureAndCorrect: Aggregate<CureAndCorrectCommand, CureAndCorrectEvent, CureAndCorrectState, CureAndCorrectRefusal>
    readonly recommendation: Aggregate<RecommendationCommand, RecommendationEvent, RecommendationState, RecommendationRefusal>
  }
  /** The event catalogs (the aggregates' own), for readers that decode events without deciding. */
  readonly events: {
    readonly seats: EventCatalog<CommissionSeatsEvent>
    readonly attendanceReview: EventCatalog<AttendanceReviewEvent>
    readonly meeting: EventCatalog<MeetingEvent>
    readonly cureAndCorrect: EventCatalog<CureAndCorrectEvent>
    readonly recommendation: EventCatalog<RecommendationEvent>
  }
  /**
   * The access rules of the program: the clerk's rule over seats,
   * attendance reviews, meetings and cure-and-correct demands, and the
   * recommendations' duties. A city with its own permission system reads
   * them; others use {@link CommissionProgram.policy}.
   */
  readonly accessRules: ReadonlyArray<AccessRule>
  /** The access policy of exactly these rules (`AccessPolicy.fromRules`). */
  readonly policy: Layer.Layer<AccessPolicy>
  /** The program's read models, each with its runner (`catchUp`) and reads (`get`, `all`). */
  readonly projections: {
    /** One roster per commission: who holds each seat, and the membership a meeting records. */
    readonly rosters: Projection<CommissionSeatsEvent, CommissionRoster>
    /** One row per recommendation: stage, answer due, late answers. */
    readonly recommendationBoard: Projection<RecommendationEvent, DraftedRecommendation>
  }
  /** The program's reactors, each run with `run(tenantId)` after commands or on a schedule; only those the options configure. */
  readonly reactors: {
    /** Queues the notifications the rules call for (`run`, `runDigests`); with `options.notifications`. */
    readonly notifications?: NotificationRulesReactor
  }
  /** The notification rules and templates, as given; the renderer is `renderNotification(templates)`. */
  readonly notifications?: { readonly rules: NotificationRules; readonly templates: NotificationTemplates }
}

/**
 * The rule that lets the commission's clerk keep its record: every action on
 * the seats, attendance reviews, meetings and cure-and-correct demands,
 * citywide (the commission serves the whole city).
 */
export const commissionRecordAccessRule = (roles: ReadonlyArray<Role>): AccessRule => {
  const seatsRule = commissionClerkAccessRule({ roles })
  return { ...seatsRule, actions: [...seatsRule.actions, `${MEETING_RESOURCE}.*`, `${CURE_DEMAND_RESOURCE}.*`] }
}

/**
 * Builds the commission for a jurisdiction: the seats, attendance review,
 * meeting, cure-and-correct and recommendation aggregates, their event
 * catalogs, the access rules and policy, the roster and recommendation
 * board, and the notification reactor when configured.
 */
export const commission = (jurisdiction: Jurisdiction, options: CommissionOptions): CommissionProgram => {
  const meetingRules = { law: options.law, timeZone: jurisdiction.timeZone }
  const accessRules: ReadonlyArray<AccessRule> = [
    ...(options.clerkRoles.length === 0 ? [] : [commissionRecordAccessRule(options.clerkRoles)]),
    ...recommendationAccessRules(options.recommendations)
  ]
  const aggregates = {
    seats: commissionSeats(jurisdiction, options.settings.seats),
    attendanceReview: attendanceReview(jurisdiction, options.settings.attendance),
    meeting: commissionMeeting(meetingRules),
    cureAndCorrect: cureAndCorrect(meetingRules),
    recommendation: recommendation({ settings: options.recommendations, calendar: jurisdiction })
  }
  return {
    name: COMMISSION_NOTICES_PROGRAM,
    jurisdiction,
    law: options.law,
    aggregates,
    events: {
      seats: aggregates.seats.events,
      attendanceReview: aggregates.attendanceReview.events,
      meeting: aggregates.meeting.events,
      cureAndCorrect: aggregates.cureAndCorrect.events,
      recommendation: aggregates.recommendation.events
    },
    accessRules,
    policy: AccessPolicy.fromRules(accessRules),
    projections: { rosters: commissionRosters, recommendationBoard },
    reactors: options.notifications === undefined ? {} : {
      notifications: notificationRulesReactor({
        rules: options.notifications.rules,
        catalogs: recommendationEventCatalogs,
        timeZone: jurisdiction.timeZone,
        defaultLocale: options.notifications.templates.languages.defaultLocale
      })
    },
    ...(options.notifications === undefined ? {} : { notifications: options.notifications })
  }
}
