/**
 * Redaction: one function that turns any value of a core schema into the
 * view an audience may see, by removing the fields the schema marks as
 * personal or confidential (see `Sensitivity`).
 *
 * @module
 */
import { Schema, SchemaAST } from "effect"
import type { Audience } from "../kernel/Role.ts"
import type { Sensitivity } from "../kernel/Sensitivity.ts"

/** A field made sensitive by the value of an enclosing struct (see `sensitiveWhen`), by path of struct fields from where the walk is. */
interface Forced {
  readonly path: ReadonlyArray<string>
  readonly sensitivity: Sensitivity
}

/**
 * Which sensitivities the working audiences may see. The `public` and the
 * `commission` never see personal or confidential data, whatever a city
 * configures: the commission works from aggregate data and does not receive
 * officer identities or discipline (Sacramento City Code 2.100.030; Penal
 * Code 832.7), and victims' identities are protected by law (Gov. Code 6206
 * ff., Gov. Code 53165).
 */
export interface Clearance {
  readonly staff: ReadonlyArray<Sensitivity>
  readonly prosecutor: ReadonlyArray<Sensitivity>
}

/**
 * The default clearances: `staff` see personal data but not confidential
 * data (victim identities, Safe at Home addresses); a `prosecutor` sees both.
 */
export const defaultClearance: Clearance = {
  staff: ["personal"],
  prosecutor: ["personal", "confidential"]
}

/** The sensitivities an audience may see under a clearance. */
export const visibleTo = (audience: Audience, clearance: Clearance = defaultClearance): ReadonlyArray<Sensitivity> =>
  audience === "staff" || audience === "prosecutor" ? clearance[audience] : []

const sensitivityAlong = (ast: SchemaAST.AST): Sensitivity | undefined => {
  let found: Sensitivity | undefined
  let node: SchemaAST.AST | undefined = ast
  while (node !== undefined) {
    const here = SchemaAST.resolve(node)?.sensitivity
    if (here === "confidential") return here
    found ??= here
    node = node.encoding?.[node.encoding.length - 1]?.to
  }
  return found
}

const encodedSide = (ast: SchemaAST.AST): SchemaAST.AST => {
  let node = ast
  while (node.encoding !== undefined) {
    const last = node.encoding[node.encoding.length - 1]
    if (last === undefined) break
    node = last.to
  }
  return SchemaAST.isSuspend(node) ? encodedSide(node.thunk()) : node
}

const memberGuards = new WeakMap<SchemaAST.AST, (u: unknown) => boolean>()
const matchesEncoded = (member: SchemaAST.AST, json: unknown): boolean => {
  let guard = memberGuards.get(member)
  if (guard === undefined) {
    guard = Schema.is(Schema.make(SchemaAST.toEncoded(member)))
    memberGuards.set(member, guard)
  }
  return guard(json)
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const strip = (
  ast: SchemaAST.AST,
  json: unknown,
  hidden: (s: Sensitivity | undefined) => boolean,
  forced: ReadonlyArray<Forced> = []
): unknown => {
  const node = encodedSide(ast)
  switch (node._tag) {
    case "Objects": {
      if (!isRecord(json)) return json
      const rule = SchemaAST.resolve(ast)?.sensitiveWhen ?? SchemaAST.resolve(node)?.sensitiveWhen
      const here = rule === undefined ? forced : [...forced, ...rule(json)]
      const below = (key: string): ReadonlyArray<Forced> =>
        here.filter((entry) => entry.path.length > 1 && entry.path[0] === key).map((entry) => ({ ...entry, path: entry.path.slice(1) }))
      const forcedHidden = (key: string): boolean =>
        here.some((entry) => entry.path.length === 1 && entry.path[0] === key && hidden(entry.sensitivity))
      const out: Record<string, unknown> = {}
      const known = new Set<PropertyKey>()
      for (const property of node.propertySignatures) {
        known.add(property.name)
        const key = String(property.name)
        if (!(key in json) || hidden(sensitivityAlong(property.type)) || forcedHidden(key)) continue
        out[key] = strip(property.type, json[key], hidden, below(key))
      }
      for (const [key, value] of Object.entries(json)) {
        if (known.has(key)) continue
        const index = node.indexSignatures[0]
        if (index === undefined || hidden(sensitivityAlong(index.type)) || forcedHidden(key)) continue
        out[key] = strip(index.type, value, hidden, below(key))
      }
      return out
    }
    case "Arrays": {
      if (!Array.isArray(json)) return json
      return json.flatMap((item, i) => {
        const type = node.elements[i] ?? node.rest[0]
        if (type === undefined) return []
        return hidden(sensitivityAlong(type)) ? [] : [strip(type, item, hidden)]
      })
    }
    case "Union": {
      // Several members may accept the value; apply each in turn so a field
      // marked in any of them is removed: redaction errs toward hiding.
      let out = json
      for (const member of node.types) {
        if (matchesEncoded(member, json)) {
          if (hidden(sensitivityAlong(member))) return null
          out = strip(member, out, hidden, forced)
        }
      }
      return out
    }
    case "Declaration":
      return node.typeParameters.length === 1 && node.typeParameters[0] !== undefined
        ? strip(node.typeParameters[0], json, hidden, forced)
        : json
    default:
      return json
  }
}

/**
 * The JSON view of `value` (encoded by `schema`) that `audience` may see:
 * every field marked with a sensitivity outside the audience's clearance is
 * removed, at any depth, in structs, arrays, records, unions and classes,
 * and so is every field a struct marks sensitive for this value
 * (`sensitiveWhen`: the type of a protected call). Public and commission
 * views never contain a marked field.
 *
 * @example
 * ```ts
 * const Complaint = Schema.Struct({ address: Schema.String, complainant: personal(Schema.String) })
 * redact(Complaint, { address: "23XX 10TH AVE", complainant: "A. Resident" }, "public")
 * // => { address: "23XX 10TH AVE" }
 * ```
 */
export const redact = <S extends Schema.Codec<unknown, unknown, never, never>>(
  schema: S,
  value: S["Type"],
  audience: Audience,
  clearance: Clearance = defaultClearance
): Schema.Json => {
  const allowed = visibleTo(audience, clearance)
  const encoded = Schema.encodeUnknownSync(schema)(value)
  return strip(schema.ast, encoded, (s) => s !== undefined && !allowed.includes(s)) as Schema.Json
}
