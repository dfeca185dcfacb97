/**
 * The refusals every program shares: one per rule of the shared guards
 * (`Guards`), each with one shape whatever program raises it. Every refusal
 * names its `rule` (a kebab-case name the guard or the program gives, the
 * same string the program's docs list) and the `command` it refused, and
 * carries what a caller needs to act: the roles a duty needs, the districts
 * configured, the stages allowed, the deadline and when it passes.
 *
 * A program's refusal union lists these beside its own.
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import { Role } from "../kernel/Role.ts"

const Instant = Schema.DateTimeUtcFromString
const iso = (instant: DateTime.DateTime): string => DateTime.formatIso(DateTime.toUtc(instant))

/**
 * The name of the rule that refused, e.g. `role-by-duty`. Every shared
 * refusal tags its rule the same way: a string field named `rule`, given by
 * the guard (or by the program, when one guard serves several of its rules).
 */
export const RuleName = Schema.NonEmptyString

/**
 * The staff member holds none of the roles the jurisdiction grants the
 * command's duty (for Justice for Neighbors, `programs.justiceForNeighbors.caseDuties`).
 */
export class DutyNotHeld extends Schema.TaggedError<DutyNotHeld>()("DutyNotHeld", {
  rule: RuleName,
  command: Schema.String,
  duty: Schema.String,
  requiredRoles: Schema.Array(Role),
  actorRoles: Schema.Array(Role),
  /** Where the duty's roles are configured. */
  setting: Schema.String
}) {
  override get message(): string {
    return `${this.command} needs the ${this.duty} duty, held by ${this.requiredRoles.join(", ")} ` +
      `(${this.setting}); the actor holds ${this.actorRoles.join(", ") || "no role"}`
  }
}

/**
 * A kind of actor (a member of the public, the system, staff) tried a
 * command its kind may not give: a staff-only command (`staff-only`), or a
 * report from a source its kind may not file (`source-by-actor-kind`).
 */
export class ActorKindNotAllowed extends Schema.TaggedError<ActorKindNotAllowed>()("ActorKindNotAllowed", {
  rule: RuleName,
  command: Schema.String,
  actorKind: Schema.String
}) {
  override get message(): string {
    return `${this.actorKind} actors may not ${this.command} (${this.rule})`
  }
}

/**
 * The staff member serves other council districts than the one the
 * resource (a case, a team) lies in, and is not citywide.
 */
export class OutsideCaseDistrict extends Schema.TaggedError<OutsideCaseDistrict>()("OutsideCaseDistrict", {
  rule: RuleName,
  command: Schema.String,
  councilDistrict: Schema.String,
  actorDistricts: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `${this.command}: the case is in council district ${this.councilDistrict}, ` +
      `outside the districts served (${this.actorDistricts.join(", ")})`
  }
}

/**
 * The district named is not one of the jurisdiction's council districts
 * (`councilDistricts`): cases and teams exist only for those. Lists the
 * districts configured.
 */
export class UnknownCouncilDistrict extends Schema.TaggedError<UnknownCouncilDistrict>()("UnknownCouncilDistrict", {
  rule: RuleName,
  command: Schema.String,
  district: Schema.String,
  councilDistricts: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `"${this.district}" is not a council district of this jurisdiction (${this.councilDistricts.join(", ")})`
  }
}

/**
 * The command is not a step the aggregate (`caseId`) can take from its
 * stage, or not on its path, or not with the reason given; the rule says
 * which (e.g. `stage-order`). Names the stage and the stages the command needs.
 */
export class WrongCaseStage extends Schema.TaggedError<WrongCaseStage>()("WrongCaseStage", {
  rule: RuleName,
  caseId: Schema.String,
  command: Schema.String,
  stage: Schema.String,
  allowedStages: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `${this.command} on case ${this.caseId} needs stage ${this.allowedStages.join(" or ") || "(none on this path)"}; ` +
      `the case is at ${this.stage} (${this.rule})`
  }
}

/** What the timing refusals carry: the rule, the command, the time awaited, what set it, when it is due and when the step came. */
const AwaitedTimeFields = {
  rule: RuleName,
  command: Schema.String,
  /** What is awaited: a deadline's purpose, a hearing date. */
  waitsFor: Schema.String,
  /** The rule that set the time, e.g. `compliance after notice of violation (periods.compliance.blight)`. */
  setBy: Schema.String,
  due: Instant,
  /** The instant of the step. */
  at: Instant
}

/**
 * A step came before the time it must wait for (`waitsFor`: a deadline, a
 * hearing date). Names the rule that set the time, when it passes and the
 * instant of the step.
 */
export class TooEarly extends Schema.TaggedError<TooEarly>()("TooEarly", AwaitedTimeFields) {
  override get message(): string {
    return `${this.command} at ${iso(this.at)} is too early: ${this.waitsFor} (${this.setBy}) passes after ${iso(this.due)} (${this.rule})`
  }
}

/** A step came after its window (`waitsFor`) closed. */
export class TooLate extends Schema.TaggedError<TooLate>()("TooLate", AwaitedTimeFields) {
  override get message(): string {
    return `${this.command} at ${iso(this.at)} is too late: ${this.waitsFor} (${this.setBy}) was due by ${iso(this.due)}`
  }
}

/**
 * The instant a command reports (`field`) is impossible: in the future,
 * before the step the aggregate last took, or not after an instant it must
 * follow. Names the bounds it must keep.
 */
export class ImplausibleInstant extends Schema.TaggedError<ImplausibleInstant>()("ImplausibleInstant", {
  rule: RuleName,
  command: Schema.String,
  field: Schema.String,
  instant: Instant,
  notBefore: Schema.optionalKey(Instant),
  notAfter: Schema.optionalKey(Instant)
}) {
  override get message(): string {
    const bounds = [
      this.notBefore === undefined ? undefined : `at or after ${iso(this.notBefore)}`,
      this.notAfter === undefined ? undefined : `at or before ${iso(this.notAfter)}`
    ].filter((bound) => bound !== undefined)
    return `${this.command}: ${this.field} ${iso(this.instant)} must be ${bounds.join(" and ")} (${this.rule})`
  }
}

/** Every refusal of the shared guards. */
export type GuardRefusal =
  | DutyNotHeld
  | ActorKindNotAllowed
  | OutsideCaseDistrict
  | UnknownCouncilDistrict
  | WrongCaseStage
  | TooEarly
  | TooLate
  | ImplausibleInstant
