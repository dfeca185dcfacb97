/**
 * The guards every program's decider runs before it records anything: who
 * may act (actor kind, a role granted the command's duty, the district
 * served), on what (a council district the jurisdiction has), from where (a
 * stage the command may be given in, a move the stage graph allows) and
 * when (not in the future, not before the last step, not before a time it
 * must wait for, not after a window closed). Each returns `Result` with one
 * refusal of `Refusals` per rule, never throws, and reads nothing but its
 * arguments.
 *
 * Also the draft of a decision (events emitted one by one, each folded into
 * the state the next step sees) and the access rules derived from a
 * program's command -> duty table, so the access policy refuses, before
 * anything is read, what the decider's duty guard would refuse anyway.
 *
 * @module
 */
import { DateTime, Result } from "effect"
import type { Role } from "../kernel/Role.ts"
import type { AccessRule } from "./AccessPolicy.ts"
import type { Actor } from "./Actor.ts"
import {
  ActorKindNotAllowed,
  DutyNotHeld,
  ImplausibleInstant,
  OutsideCaseDistrict,
  TooEarly,
  TooLate,
  UnknownCouncilDistrict,
  WrongCaseStage
} from "./Refusals.ts"

/** The staff member among actors: a signed-in city employee (see `StaffActor`). */
export type StaffActorOf = Extract<Actor, { readonly _tag: "Staff" }>

/** A guard that passed. */
export const guardPassed: Result.Result<void> = Result.succeed(undefined)

const millis = DateTime.toEpochMillis

/** Whether instant `a` is strictly after `b`. */
export const instantAfter = (a: DateTime.DateTime, b: DateTime.DateTime): boolean => millis(a) > millis(b)

/** The later of two instants. */
export const laterInstant = (a: DateTime.Utc, b: DateTime.Utc): DateTime.Utc => instantAfter(a, b) ? a : b

// ---------------------------------------------------------------------------
// Who
// ---------------------------------------------------------------------------

/**
 * Only the given kinds of actor may give the command; the refusal names the
 * rule (`staff-only` by default).
 */
export const actorKindAllowed = <K extends Actor["_tag"]>(
  command: string,
  actor: Actor,
  kinds: ReadonlyArray<K>,
  rule = "staff-only"
): Result.Result<Extract<Actor, { readonly _tag: K }>, ActorKindNotAllowed> =>
  (kinds as ReadonlyArray<string>).includes(actor._tag)
    ? Result.succeed(actor as Extract<Actor, { readonly _tag: K }>)
    : Result.fail(new ActorKindNotAllowed({ rule, command, actorKind: actor._tag }))

/**
 * A program's duties: which duty each command needs, which roles the
 * jurisdiction grants each duty, and where that grant is configured.
 *
 * @example
 * ```ts
 * const duties: DutyTable<"OpenCase" | "CloseCase", "take-intake" | "close-case"> = {
 *   commandDuty: { OpenCase: "take-intake", CloseCase: "close-case" },
 *   dutyRoles: settings.caseDuties,
 *   setting: (duty) => `programs.justiceForNeighbors.caseDuties.${duty}`
 * }
 * ```
 */
export interface DutyTable<C extends string, D extends string> {
  readonly commandDuty: { readonly [K in C]: D }
  readonly dutyRoles: { readonly [K in D]: ReadonlyArray<Role> }
  readonly setting: (duty: D) => string
}

/**
 * The staff member holds a role the jurisdiction grants the command's duty
 * (rule `role-by-duty`).
 */
export const holdsDuty = <C extends string, D extends string>(
  duties: DutyTable<C, D>,
  command: C,
  actor: StaffActorOf
): Result.Result<void, DutyNotHeld> => {
  const duty = duties.commandDuty[command]
  const required: ReadonlyArray<Role> = duties.dutyRoles[duty]
  return actor.roles.some((role) => required.includes(role))
    ? guardPassed
    : Result.fail(new DutyNotHeld({
      rule: "role-by-duty",
      command,
      duty,
      requiredRoles: [...required],
      actorRoles: [...actor.roles],
      setting: duties.setting(duty)
    }))
}

/** Whether districts served cover a district: no district served means citywide. */
export const coversDistrict = (served: ReadonlyArray<string>, district: string): boolean =>
  served.length === 0 || served.includes(district)

/**
 * The staff member serves the council district the resource lies in, or is
 * citywide (rule `own-district`).
 */
export const servesDistrict = (command: string, actor: StaffActorOf, councilDistrict: string): Result.Result<void, OutsideCaseDistrict> =>
  coversDistrict(actor.districts, councilDistrict)
    ? guardPassed
    : Result.fail(new OutsideCaseDistrict({ rule: "own-district", command, councilDistrict, actorDistricts: [...actor.districts] }))

/**
 * Staff only, holding the command's duty, serving the district: the usual
 * guard of a step on a district's resource.
 */
export const staffOnDuty = <C extends string, D extends string>(
  duties: DutyTable<C, D>,
  command: C,
  actor: Actor,
  councilDistrict: string
): Result.Result<StaffActorOf, ActorKindNotAllowed | DutyNotHeld | OutsideCaseDistrict> =>
  Result.gen(function*() {
    const staff = yield* actorKindAllowed(command, actor, ["Staff"])
    yield* holdsDuty(duties, command, staff)
    yield* servesDistrict(command, staff, councilDistrict)
    return staff
  })

// ---------------------------------------------------------------------------
// On what
// ---------------------------------------------------------------------------

/**
 * The district is one of the jurisdiction's council districts (rule
 * `known-council-district`).
 */
export const knownCouncilDistrict = (
  jurisdiction: { readonly councilDistricts: ReadonlyArray<{ readonly id: string }> },
  command: string,
  district: string
): Result.Result<void, UnknownCouncilDistrict> => {
  const councilDistricts = jurisdiction.councilDistricts.map((known) => known.id)
  return councilDistricts.includes(district)
    ? guardPassed
    : Result.fail(new UnknownCouncilDistrict({ rule: "known-council-district", command, district, councilDistricts }))
}

// ---------------------------------------------------------------------------
// From where
// ---------------------------------------------------------------------------

/** What the stage guards need of an aggregate: its id and current stage. */
export interface Staged<S extends string> {
  readonly caseId: string
  readonly stage: S
}

/**
 * The aggregate is in one of the stages the command may be given in (rule
 * `stage-order` unless the program names another).
 */
export const inStage = <S extends string>(
  subject: Staged<S>,
  command: string,
  allowed: ReadonlyArray<S>,
  rule = "stage-order"
): Result.Result<void, WrongCaseStage> =>
  allowed.includes(subject.stage)
    ? guardPassed
    : Result.fail(new WrongCaseStage({ rule, caseId: subject.caseId, command, stage: subject.stage, allowedStages: [...allowed] }))

/**
 * The stage graph allows the move (rule `stage-order`). Programs check the
 * stages a command needs first (`inStage`); this one keeps a wrong table
 * from ever producing a move the graph forbids.
 */
export const stageMove = <S extends string>(
  graph: { readonly [K in S]: ReadonlyArray<S> },
  subject: Staged<S>,
  command: string,
  to: S
): Result.Result<void, WrongCaseStage> =>
  graph[subject.stage].includes(to)
    ? guardPassed
    : Result.fail(new WrongCaseStage({ rule: "stage-order", caseId: subject.caseId, command, stage: subject.stage, allowedStages: [] }))

// ---------------------------------------------------------------------------
// When
// ---------------------------------------------------------------------------

/** An instant a command reports, with the bounds it must keep. */
export interface ReportedInstant {
  readonly command: string
  /** The command's field, as a path, e.g. `service.servedAt`. */
  readonly field: string
  readonly instant: DateTime.Utc
  /** The earliest it may be (inclusive), e.g. when the last step was taken. */
  readonly notBefore?: DateTime.Utc | undefined
  /** The latest it may be (inclusive), usually when the command is handled. */
  readonly notAfter: DateTime.Utc
}

/**
 * An act is not dated in the future nor before the step it follows (rule
 * `act-instant-in-order`).
 */
export const plausibleInstant = (reported: ReportedInstant): Result.Result<DateTime.Utc, ImplausibleInstant> => {
  const { command, field, instant, notBefore, notAfter } = reported
  return instantAfter(instant, notAfter) || (notBefore !== undefined && instantAfter(notBefore, instant))
    ? Result.fail(new ImplausibleInstant({
      rule: "act-instant-in-order",
      command,
      field,
      instant,
      ...(notBefore === undefined ? {} : { notBefore }),
      notAfter
    }))
    : Result.succeed(instant)
}

/**
 * An instant comes strictly after another one it must follow (a hearing
 * after its notice); the program names the rule.
 */
export const strictlyAfter = (
  rule: string,
  command: string,
  field: string,
  instant: DateTime.Utc,
  after: DateTime.Utc
): Result.Result<void, ImplausibleInstant> =>
  instantAfter(instant, after) ? guardPassed : Result.fail(new ImplausibleInstant({ rule, command, field, instant, notBefore: after }))

/** A time a step waits for or must keep to: a deadline, a hearing date. */
export interface AwaitedInstant {
  readonly rule: string
  readonly command: string
  /** What is awaited, e.g. the deadline's purpose, or `hearing`. */
  readonly waitsFor: string
  /** The rule or document that set the time. */
  readonly setBy: string
  readonly due: DateTime.Utc
  /** The instant of the step. */
  readonly at: DateTime.Utc
}

/** The step comes after the time it waits for has passed (strictly after `due`), or it is `TooEarly`. */
export const hasPassed = (awaited: AwaitedInstant): Result.Result<void, TooEarly> =>
  instantAfter(awaited.at, awaited.due) ? guardPassed : Result.fail(new TooEarly(awaited))

/** The step comes at or after the time it waits for (`due` itself included), or it is `TooEarly`. */
export const hasCome = (awaited: AwaitedInstant): Result.Result<void, TooEarly> =>
  instantAfter(awaited.due, awaited.at) ? Result.fail(new TooEarly(awaited)) : guardPassed

/** The step comes by the end of its window (`due` itself included), or it is `TooLate`. */
export const withinWindow = (window: AwaitedInstant): Result.Result<void, TooLate> =>
  instantAfter(window.at, window.due) ? Result.fail(new TooLate(window)) : guardPassed

// ---------------------------------------------------------------------------
// The draft of a decision
// ---------------------------------------------------------------------------

/**
 * The events of one decision, with the state as they leave it, so that each
 * step of the decision sees what the previous ones changed (a deadline
 * satisfied before a case closes is not cancelled too).
 */
export interface Draft<E, S> {
  readonly events: Array<E>
  state: S
}

/** A draft of a decision from the current state, with no event yet. */
export const makeDraft = <E, S>(state: S): Draft<E, S> => ({ events: [], state })

/**
 * The emitter of a decider: records events on a draft and folds each into
 * its state with `evolve`; `keep` says which states a draft holds (an
 * event that would leave them, such as one that ends the aggregate, is
 * recorded but the draft keeps its last state).
 *
 * @example
 * ```ts
 * const emit = emitter(evolveNuisanceCase, (state) => state._tag === "OpenedCase")
 * emit(draft, { _tag: "CaseCommented", ... })
 * ```
 */
export const emitter = <E, S, T extends S>(
  evolve: (state: T, event: E) => S,
  keep: (state: S) => state is T
) =>
(draft: Draft<E, T>, ...events: ReadonlyArray<E>): void => {
  for (const event of events) {
    draft.events.push(event)
    const next = evolve(draft.state, event)
    if (keep(next)) draft.state = next
  }
}

// ---------------------------------------------------------------------------
// Access rules from duties
// ---------------------------------------------------------------------------

/**
 * The access action of a command on a resource type, e.g.
 * `nuisance-case.serve-notice-of-violation` for `ServeNoticeOfViolation`.
 */
export const commandAction = (resource: string, command: string): string =>
  `${resource}.${command.replace(/[A-Z]/g, (letter, index: number) => `${index === 0 ? "" : "-"}${letter.toLowerCase()}`)}`

/**
 * The access rules that match a program's duties: each duty's commands
 * (their `commandAction`s) granted to the roles the jurisdiction gives the
 * duty, in their own districts (rule ids `<resource>.duty.<duty>`). The
 * decider applies the same duties itself with {@link holdsDuty}; these rules
 * let the access policy refuse, and audit, before anything is read.
 */
export const dutyAccessRules = <C extends string, D extends string>(
  resource: string,
  duties: DutyTable<C, D>
): ReadonlyArray<AccessRule> => {
  const commands: ReadonlyArray<readonly [string, string]> = Object.entries<D>(duties.commandDuty)
  return Object.entries<ReadonlyArray<Role>>(duties.dutyRoles).flatMap(([duty, roles]): ReadonlyArray<AccessRule> => {
    const actions = commands.filter(([, needs]) => needs === duty).map(([command]) => commandAction(resource, command))
    return actions.length === 0 ? [] : [{ id: `${resource}.duty.${duty}`, actions, roles: [...roles], scope: "own-district" }]
  })
}
