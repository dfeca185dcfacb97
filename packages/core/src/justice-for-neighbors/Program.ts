/**
 * Justice for Neighbors as one value: everything an app needs to run the
 * program for a jurisdiction (its aggregates with their deciders, event
 * catalogs, access rules, read models, reactors and notice templates), built from the
 * jurisdiction's configuration in one call, so that no city assembles the
 * pieces by hand and gets one of them wrong (a decider built with other
 * templates than the previews, a policy missing the staffing grant).
 *
 * @module
 */
import type { Layer } from "effect"
import { AccessPolicy, type AccessRule } from "../engine/AccessPolicy.ts"
import type { Aggregate } from "../engine/Decider.ts"
import type { EventCatalog } from "../engine/EventCatalog.ts"
import type { Projection } from "../engine/Projection.ts"
import type { Reactor } from "../engine/Reactor.ts"
import type { Jurisdiction } from "../kernel/Jurisdiction.ts"
import type { Role } from "../kernel/Role.ts"
import type { NotificationRules } from "../notifications/NotificationRules.ts"
import type { NotificationTemplates } from "../notifications/NotificationTemplates.ts"
import { notificationRulesReactor, type NotificationRulesReactor } from "../notifications/RulesReactor.ts"
import { caseBoard, type CaseSummary } from "./CaseBoard.ts"
import { type DeadlineReminderOptions, deadlineReminders } from "./DeadlineReminders.ts"
import { defaultNoticeTemplates } from "./DefaultNoticeTemplates.ts"
import {
  districtTeam,
  type DistrictTeamCommand,
  type DistrictTeamEvent,
  districtTeamEvents,
  type DistrictTeamRefusal,
  districtTeamStaffingRule,
  type DistrictTeamState
} from "./DistrictTeam.ts"
import { JUSTICE_FOR_NEIGHBORS_PROGRAM, type NoticeTemplateSet } from "./NoticeTemplate.ts"
import { justiceForNeighborsEventCatalogs } from "./NotificationRules.ts"
import { nuisanceCase, nuisanceCaseAccessRules } from "./NuisanceCase.ts"
import type { NuisanceCaseCommand } from "./NuisanceCaseCommands.ts"
import { type NuisanceCaseEvent, nuisanceCaseEvents } from "./NuisanceCaseEvents.ts"
import type { NuisanceCaseRefusal } from "./NuisanceCaseRefusals.ts"
import type { NuisanceCaseState } from "./NuisanceCaseState.ts"
import { type DistrictTeamRoster, districtTeamRosters } from "./TeamRoster.ts"

/**
 * Who may staff the district teams: a grant of every `district-team.*`
 * action (see {@link districtTeamStaffingRule}).
 */
export interface TeamStaffing {
  /** The rule's id in the policy and in recorded denials; `district-team-staffing` when absent. */
  readonly id?: string | undefined
  readonly roles: ReadonlyArray<Role>
  readonly scope: AccessRule["scope"]
}

/** How a jurisdiction runs the program, besides its configuration. */
export interface JusticeForNeighborsOptions {
  /**
   * The templates the nuisance case makes the documents it serves from
   * (validated with `validateNoticeTemplateSet`); {@link defaultNoticeTemplates}
   * when absent.
   */
  readonly templates?: NoticeTemplateSet | undefined
  /**
   * Who staffs the district teams. Which role runs the program is each
   * city's choice (there is no program-manager role), so there is no
   * default: without it no rule grants the team actions, and the access
   * policy refuses every one of them.
   */
  readonly teamStaffing?: TeamStaffing | undefined
  /**
   * The deadline reminders (see {@link deadlineReminders}): how many days
   * before a deadline its district team is reminded is each city's choice,
   * so there is no default; without it the program has no reminders reactor.
   */
  readonly deadlineReminders?: DeadlineReminderOptions | undefined
  /**
   * The notifications: rules (checked with `validateNotificationRules`;
   * `justiceForNeighborsNotificationRules` is the preset) and templates
   * (checked with `justiceForNeighborsNotifications`); without them the
   * program has no notifications reactor.
   */
  readonly notifications?: { readonly rules: NotificationRules; readonly templates: NotificationTemplates } | undefined
}

/**
 * Justice for Neighbors for one jurisdiction, grouped by kind (aggregates,
 * events, access, projections, reactors, templates) so that every program
 * can take the same shape.
 *
 * @example
 * ```ts
 * const program = justiceForNeighbors(sacramento, {
 *   templates: sacramentoNoticeTemplates,
 *   teamStaffing: { roles: ["city-attorney"], scope: "own-district" }
 * })
 * yield* handleCommand(program.aggregates.nuisanceCase, { tenantId: "sacramento", commandId, actor, command }).pipe(
 *   Effect.provide(Layer.merge(MemoryStore.layer, program.policy))
 * )
 * ```
 */
export interface JusticeForNeighborsProgram {
  /** The program's name, as its read models, documents and folder spell it. */
  readonly name: typeof JUSTICE_FOR_NEIGHBORS_PROGRAM
  /** The configuration everything here was built from. */
  readonly jurisdiction: Jurisdiction
  /** The aggregates to hand to `handleCommand` and `loadStream`; each carries its decider (`.decider`). */
  readonly aggregates: {
    readonly nuisanceCase: Aggregate<NuisanceCaseCommand, NuisanceCaseEvent, NuisanceCaseState, NuisanceCaseRefusal>
    readonly districtTeam: Aggregate<DistrictTeamCommand, DistrictTeamEvent, DistrictTeamState, DistrictTeamRefusal>
  }
  /** The event catalogs (the aggregates' own), for readers that decode events without deciding. */
  readonly events: {
    readonly nuisanceCase: EventCatalog<NuisanceCaseEvent>
    readonly districtTeam: EventCatalog<DistrictTeamEvent>
  }
  /**
   * The access rules of the program: the nuisance case duties of the
   * jurisdiction ({@link nuisanceCaseAccessRules}) and, when given, the
   * team staffing grant. A city with its own permission system reads them;
   * others use {@link JusticeForNeighborsProgram.policy}.
   */
  readonly accessRules: ReadonlyArray<AccessRule>
  /** The access policy of exactly these rules (`AccessPolicy.fromRules`). */
  readonly policy: Layer.Layer<AccessPolicy>
  /** The program's read models, each with its runner (`catchUp`) and reads (`get`, `all`). */
  readonly projections: {
    /** One summary per nuisance case: the board the case queries read. */
    readonly caseBoard: Projection<NuisanceCaseEvent, CaseSummary>
    /** One roster per district team: who sits on it, and which districts are understaffed. */
    readonly teamRosters: Projection<DistrictTeamEvent, DistrictTeamRoster>
  }
  /** The program's reactors, each run with `run(tenantId)` after commands or on a schedule; only those the options configure. */
  readonly reactors: {
    /** Queues a "deadline near" message for the district team before each running deadline; with `options.deadlineReminders`. */
    readonly deadlineReminders?: Reactor<NuisanceCaseEvent>
    /** Queues the notifications the rules call for (`run`, `runDigests`); with `options.notifications`. */
    readonly notifications?: NotificationRulesReactor
  }
  /** The notification rules and templates, as given; the renderer is `renderNotification(templates)`. */
  readonly notifications?: { readonly rules: NotificationRules; readonly templates: NotificationTemplates }
  /** The templates the nuisance case serves its documents from. */
  readonly templates: NoticeTemplateSet
}

/**
 * Builds Justice for Neighbors for a jurisdiction: the nuisance case and
 * district team aggregates, their event catalogs, the access rules and
 * policy, the case board and team rosters, the deadline reminders when
 * configured, and the notice templates, all from one configuration and one
 * set of templates.
 */
export const justiceForNeighbors = (
  jurisdiction: Jurisdiction,
  options: JusticeForNeighborsOptions = {}
): JusticeForNeighborsProgram => {
  const templates = options.templates ?? defaultNoticeTemplates
  const accessRules: ReadonlyArray<AccessRule> = [
    ...nuisanceCaseAccessRules(jurisdiction),
    ...(options.teamStaffing === undefined ? [] : [districtTeamStaffingRule(options.teamStaffing)])
  ]
  return {
    name: JUSTICE_FOR_NEIGHBORS_PROGRAM,
    jurisdiction,
    aggregates: {
      nuisanceCase: nuisanceCase(jurisdiction, { templates }),
      districtTeam: districtTeam(jurisdiction)
    },
    events: { nuisanceCase: nuisanceCaseEvents, districtTeam: districtTeamEvents },
    accessRules,
    policy: AccessPolicy.fromRules(accessRules),
    projections: { caseBoard, teamRosters: districtTeamRosters },
    reactors: {
      ...(options.deadlineReminders === undefined ? {} : { deadlineReminders: deadlineReminders(options.deadlineReminders) }),
      ...(options.notifications === undefined ? {} : {
        notifications: notificationRulesReactor({
          rules: options.notifications.rules,
          catalogs: justiceForNeighborsEventCatalogs,
          timeZone: jurisdiction.timeZone,
          defaultLocale: options.notifications.templates.languages.defaultLocale
        })
      })
    },
    templates,
    ...(options.notifications === undefined ? {} : { notifications: options.notifications })
  }
}
