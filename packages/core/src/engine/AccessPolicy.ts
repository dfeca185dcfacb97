/**
 * Access control: every command passes through a policy that decides, from
 * the actor, the action and the resource's attributes, whether it may go on.
 * Least privilege by default (CJIS Security Policy, policy area 5, access control): what no rule
 * allows is denied.
 *
 * @module
 */
import { Context, Effect, Layer, Schema } from "effect"
import { Role } from "../kernel/Role.ts"
import { type Actor, actorKey } from "./Actor.ts"
import type { ResourceAttributes } from "./Decider.ts"

/** What is asked of the policy. */
export interface AccessRequest {
  readonly tenantId: string
  readonly actor: Actor
  readonly action: string
  readonly resource: ResourceAttributes
}

/** The policy's answer, naming the rule that decided it. */
export type AccessDecision =
  | { readonly allowed: true; readonly rule: string }
  | { readonly allowed: false; readonly rule: string; readonly reason: string }

/**
 * A command was refused by the access policy. The refusal is also recorded
 * as an audit event (see `CommandHandler`).
 */
export class AccessDenied extends Schema.TaggedError<AccessDenied>()("AccessDenied", {
  tenantId: Schema.String,
  actor: Schema.String,
  action: Schema.String,
  rule: Schema.String,
  reason: Schema.String
}) {}

/**
 * One grant: who may perform which actions, and where.
 *
 * @example
 * ```ts
 * const rule: AccessRule = {
 *   id: "code-enforcement-serves-notices",
 *   actions: ["nuisance-case.serve-notice"],
 *   roles: ["code-enforcement-officer"],
 *   scope: "own-district"
 * }
 * ```
 */
export const AccessRule = Schema.Struct({
  /** Names the rule in decisions and audit records. */
  id: Schema.NonEmptyString,
  /** Actions granted: exact names, or a prefix ending in `*` (`nuisance-case.*`). */
  actions: Schema.Array(Schema.NonEmptyString),
  /** Kinds of actor granted; staff, when absent. */
  actors: Schema.optionalKey(Schema.Array(Schema.Literals(["Staff", "Public", "System"]))),
  /** For staff: any of these roles. Absent means any staff role. */
  roles: Schema.optionalKey(Schema.Array(Role)),
  /**
   * `citywide`: anywhere. `own-district`: only resources in a district the
   * staff member serves (a staff member serving no district is citywide).
   */
  scope: Schema.Literals(["citywide", "own-district"])
})

/** One grant; see {@link AccessRule}. */
export type AccessRule = typeof AccessRule.Type

const matchesAction = (pattern: string, action: string): boolean =>
  pattern.endsWith("*") ? action.startsWith(pattern.slice(0, -1)) : pattern === action

const inScope = (rule: AccessRule, actor: Actor, resource: ResourceAttributes): boolean => {
  if (rule.scope === "citywide" || actor._tag !== "Staff" || actor.districts.length === 0) return true
  const districts = resource.districts ?? []
  return districts.some((district) => actor.districts.includes(district))
}

/**
 * Decides a request against a list of grants: allowed by the first rule that
 * matches the action, the actor and the scope; otherwise denied, with the
 * reason of the closest miss, or `default-deny` when no rule names the action.
 */
export const decideAccess = (rules: ReadonlyArray<AccessRule>, request: AccessRequest): AccessDecision =>
  decideAgainst(rules, request, true)

/**
 * The first pass of {@link decideAccess}, before the resource is read: denied
 * when no rule could allow this actor this action whatever districts the
 * resource lies in (wrong kind of actor, missing role, action not granted);
 * allowed, naming the rule, when some rule could. The districts of the
 * request are ignored. A denial here is final; an allowance still needs the
 * full decision once the resource's districts are known.
 */
export const preauthorizeAccess = (rules: ReadonlyArray<AccessRule>, request: AccessRequest): AccessDecision =>
  decideAgainst(rules, request, false)

const decideAgainst = (rules: ReadonlyArray<AccessRule>, request: AccessRequest, checkScope: boolean): AccessDecision => {
  const { action, actor, resource } = request
  let closest: AccessDecision | undefined
  for (const rule of rules) {
    if (!rule.actions.some((pattern) => matchesAction(pattern, action))) continue
    if (!(rule.actors ?? ["Staff"]).includes(actor._tag)) {
      closest ??= { allowed: false, rule: rule.id, reason: `${actor._tag} actors may not ${action}` }
      continue
    }
    if (actor._tag === "Staff" && rule.roles !== undefined && !rule.roles.some((role) => actor.roles.includes(role))) {
      closest ??= { allowed: false, rule: rule.id, reason: `requires one of the roles ${rule.roles.join(", ")}` }
      continue
    }
    if (checkScope && !inScope(rule, actor, resource)) {
      closest = {
        allowed: false,
        rule: rule.id,
        reason: `the ${resource.type} is in district(s) ${(resource.districts ?? []).join(", ") || "none"}, ` +
          `outside the districts served (${actor._tag === "Staff" ? actor.districts.join(", ") : ""})`
      }
      continue
    }
    return { allowed: true, rule: rule.id }
  }
  return closest ?? { allowed: false, rule: "default-deny", reason: `no rule grants ${action}` }
}

/**
 * The access policy port. The engine asks it twice for every command:
 * `preauthorize` before anything about the resource is read (so that an
 * actor who could never be allowed learns nothing, not even whether the
 * resource exists), then `authorize` once the resource's attributes are
 * known. `AccessPolicy.fromRules` builds the usual role-and-district policy;
 * a city with its own identity system provides its own Layer.
 */
export class AccessPolicy extends Context.Service<AccessPolicy, {
  /** Decides one request, with the resource's attributes (districts) known. */
  readonly authorize: (request: AccessRequest) => Effect.Effect<AccessDecision>
  /**
   * Decides, from the actor, the action and the resource's type and id
   * alone, whether the request could be allowed at all; `resource.districts`
   * is absent. Deny only what no resource attributes could allow; a policy
   * that cannot tell yet answers allowed.
   */
  readonly preauthorize: (request: AccessRequest) => Effect.Effect<AccessDecision>
}>()("@community-policing/core/AccessPolicy") {
  /** A policy from a list of grants; see {@link decideAccess} and {@link preauthorizeAccess}. */
  static readonly fromRules = (rules: ReadonlyArray<AccessRule>): Layer.Layer<AccessPolicy> =>
    Layer.succeed(AccessPolicy, AccessPolicy.of({
      authorize: (request) => Effect.succeed(decideAccess(rules, request)),
      preauthorize: (request) => Effect.succeed(preauthorizeAccess(rules, request))
    }))
}

/** The error for a denied request. */
export const accessDenied = (request: AccessRequest, decision: { readonly rule: string; readonly reason: string }) =>
  new AccessDenied({
    tenantId: request.tenantId,
    actor: actorKey(request.actor),
    action: request.action,
    rule: decision.rule,
    reason: decision.reason
  })
