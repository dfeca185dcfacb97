/**
 * Code tables: a city's mapping from the codes and descriptions in its
 * records (CAD call types, crime-report descriptions, statutes, UCR/NCIC and
 * NIBRS offense codes) to the categories the programs use. Tables are data,
 * versioned, and every rule says which law or code it encodes, so a city can
 * read, review and replace them without touching code.
 *
 * @module
 */
import { Result, Schema, SchemaIssue } from "effect"
import { ConfigProblem, formatProblemPath } from "../kernel/Jurisdiction.ts"
import { Slug } from "../kernel/Identifier.ts"
import { CallCategory, type CategoryMatch, protectedCategories } from "./Category.ts"

/**
 * The field of a record a rule reads:
 *
 * - `callTypeCode`: the CAD call type code, e.g. `415DV`.
 * - `description`: the call type or offense description, e.g.
 *   `GANG ACTIVITY - I RPT`.
 * - `statute`: the statute reference at the start of the description, as
 *   {@link statuteOf} reads it, e.g. `243(E)(1)` from `243(E)1 BATTERY NONCOHAB SPOUS`.
 * - `ucrNcic`: the UCR/NCIC offense code, e.g. `4004`.
 * - `nibrs`: the NIBRS offense code, e.g. `13B`.
 */
export const CodeField = Schema.Literals(["callTypeCode", "description", "statute", "ucrNcic", "nibrs"])

/** The field of a record a rule reads; see {@link CodeField}. */
export type CodeField = typeof CodeField.Type

/**
 * How a rule compares its value with the field: `equals`, `prefix` or
 * `contains`. Comparison ignores case, surrounding space and runs of spaces.
 *
 * On the `statute` field a `prefix` stops at the end of a section number:
 * `243` matches `243(E)(1)` and `243(B)` but not `243.4` (sexual battery, its
 * own section) nor `2430`; `11351` does not match `11351.5`; `484` does not
 * match `484E`. A prefix that ends in a subdivision, `243(E)`, matches its
 * deeper subdivisions, `243(E)(1)`.
 */
export const CodeMatchKind = Schema.Literals(["equals", "prefix", "contains"])

/** How a rule compares its value with the field; see {@link CodeMatchKind}. */
export type CodeMatchKind = typeof CodeMatchKind.Type

/**
 * One rule of a code table: when `field` `match`es `value`, the call is in
 * every one of `categories`. `source` says why: the statute or code the rule
 * encodes, e.g. `Penal Code 243(e)(1): battery against a spouse or cohabitant`.
 *
 * A `statute` rule's value must itself read as a statute reference (see
 * {@link statuteOf}); it is compared in the same normalized form, so `243(e)1`
 * and `243(E)(1)` are the same rule value.
 */
export const CodeRule = Schema.Struct({
  /** Unique within its table, e.g. `pc-243e`; calls record it in `CategoryMatch`. */
  id: Slug,
  field: CodeField,
  match: CodeMatchKind,
  value: Schema.NonEmptyString.check(Schema.isTrimmed()),
  categories: Schema.NonEmptyArray(CallCategory).check(Schema.isUnique({ expected: "each category once" })),
  source: Schema.optionalKey(Schema.NonEmptyString)
}).check(
  Schema.makeFilter((rule) =>
    rule.field !== "statute" || statuteOf(rule.value) !== undefined
      ? undefined
      : { path: ["value"], issue: `"${rule.value}" is not a statute reference (e.g. 243(E), 11352, 647(B))` }
  )
)

/** One rule of a code table; see {@link CodeRule}. */
export type CodeRule = typeof CodeRule.Type

/** One problem a check found, where it is within the list of rules. */
interface RuleListProblem {
  readonly path: readonly [number, "id" | "value"]
  readonly issue: string
}

const isRecord = (input: unknown): input is Readonly<Record<string, unknown>> =>
  typeof input === "object" && input !== null

const isCodeField = Schema.is(CodeField)
const isCodeMatchKind = Schema.is(CodeMatchKind)

/**
 * Rules that repeat an earlier rule's id, or its condition (field, match and
 * normalized value). A repeated condition is a copy-paste slip or a split
 * rule: the table says one thing twice, and should say it once with all its
 * categories. Reads rules that are otherwise malformed too, as far as they
 * have those keys, so a table's problems are all listed in one pass.
 */
const repeatedRules = (rules: ReadonlyArray<unknown>): Array<RuleListProblem> => {
  const ids = new Set<string>()
  const conditions = new Map<string, string>()
  const problems: Array<RuleListProblem> = []
  rules.forEach((rule, index) => {
    if (!isRecord(rule)) return
    const { id, field, match, value } = rule
    if (typeof id === "string") {
      if (ids.has(id)) problems.push({ path: [index, "id"], issue: `duplicate rule id "${id}"` })
      ids.add(id)
    }
    if (!isCodeField(field) || !isCodeMatchKind(match) || typeof value !== "string" || value.trim() === "") return
    const condition = `${field} ${match} ${normalizedValue(field, value)}`
    const first = conditions.get(condition)
    if (first === undefined) conditions.set(condition, typeof id === "string" ? id : `#${index}`)
    else {
      problems.push({
        path: [index, "value"],
        issue: `rule ${typeof id === "string" ? `"${id}"` : `#${index}`} repeats the condition of rule "${first}" (${condition}); give one rule all its categories`
      })
    }
  })
  return problems
}

/**
 * A versioned code table. `version` names the edition it encodes (a NIBRS
 * specification version, a CAD export's years), because codes change between
 * editions and a call's classification records the version that made it.
 */
export const CodeTable = Schema.Struct({
  /** e.g. `sacramento-cad`. */
  id: Slug,
  /** e.g. `2023.0` for a NIBRS table. */
  version: Schema.NonEmptyString.check(Schema.isTrimmed()),
  description: Schema.String,
  rules: Schema.Array(CodeRule).check(
    Schema.makeFilter(repeatedRules, { arbitraryConstraint: { uniqueBy: (rule: CodeRule) => rule.id } })
  )
})

/** A versioned code table; see {@link CodeTable}. */
export type CodeTable = typeof CodeTable.Type

/**
 * A code table was rejected. Lists every problem found (duplicate rule ids,
 * repeated conditions, unknown categories, statute values that are not
 * statutes, wrong shapes), so a city can fix its table in one pass.
 */
export class InvalidCodeTable extends Schema.TaggedError<InvalidCodeTable>()("InvalidCodeTable", {
  problems: Schema.NonEmptyArray(ConfigProblem)
}) {
  override get message(): string {
    const lines = this.problems.map((problem) => `${formatProblemPath(problem.path) || "(root)"}: ${problem.message}`)
    const count = this.problems.length === 1 ? "1 problem" : `${this.problems.length} problems`
    return `Invalid code table (${count}):\n${lines.join("\n")}`
  }
}

const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

// Unknown keys are errors: in a hand-written table a misspelt "categroies"
// or "sourse" would otherwise silently drop what the rule means.
const decodeCodeTable = Schema.decodeUnknownResult(CodeTable, {
  errors: "all",
  onExcessProperty: "error",
  reportInput: true
})
const toProblems = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Checks an untrusted code table (a parsed JSON or YAML file, a database row)
 * and returns it typed, or one {@link InvalidCodeTable} listing every problem.
 */
export const validateCodeTable = (input: unknown): Result.Result<CodeTable, InvalidCodeTable> =>
  Result.mapError(decodeCodeTable(input), (error) => {
    const found: Array<ConfigProblem> = toProblems(error.issue).issues.map((issue) => ({
      path: (issue.path ?? []).map(pathKey),
      message: issue.message
    }))
    // The schema checks the list of rules only once every rule is well
    // formed; repeats among malformed rules are listed here, so one pass
    // reports them all.
    const rules = isRecord(input) && Array.isArray(input.rules) ? input.rules : []
    const listed = new Set(found.map((problem) => JSON.stringify(problem)))
    for (const { path, issue } of repeatedRules(rules)) {
      const problem = { path: ["rules", ...path], message: issue }
      if (!listed.has(JSON.stringify(problem))) found.push(problem)
    }
    const [first, ...rest] = found
    return new InvalidCodeTable({
      problems: first === undefined ? [{ path: [], message: error.message }] : [first, ...rest]
    })
  })

// Code abbreviations that may be written fused to a statute number, as in
// `11352(A)HS` or `475(A)PC`. Anything else fused to a subdivision is the
// start of the description (`23222(B)POSSESS MARIJ IN VEH`).
const codeAbbreviations = "SCC|PC|HS|VC|WI|BP|EC|GC|CC|US"

// A section (`459`, `11351.5`, `484E`, `12.52.030`), optionally an attempt
// (`664/187`); then subdivisions, in parentheses or, after a closing
// parenthesis, as bare digits (`243(E)1`, `12020(A)1)`); then a fused code
// abbreviation; then the end of the reference: a space, the end, or (after a
// subdivision) the first letter of the description.
const statutePattern = new RegExp(
  "^(\\d+(?:\\.\\d+)*[A-Z]?(?:/\\d+(?:\\.\\d+)*[A-Z]?)?)" +
    "((?:\\([0-9A-Z]{1,4}\\)|(?<=\\))\\d{1,2}\\)?)*)" +
    `(${codeAbbreviations})?` +
    "(?=\\s|$|(?<=\\))[A-Z])"
)
const subdivisionPattern = /\(([0-9A-Z]{1,4})\)|(\d{1,2})\)?/g

/**
 * The statute reference at the start of a description, normalized, or
 * `undefined` when the description does not start with one (a report type
 * such as `GANG ACTIVITY - I RPT`).
 *
 * Normalization: upper case; every subdivision in parentheses, so the
 * records' shorthand `243(E)1` and `12020(A)1)` read `243(E)(1)` and
 * `12020(A)(1)`; a code abbreviation written fused to the reference is kept
 * (`11352(A)HS`), one written as a separate word is not part of it (`459 PC`
 * gives `459`), since a separate word cannot be told from the description
 * reliably. Rules therefore match the section and subdivisions, which every
 * spelling shares, with `prefix` (see {@link CodeMatchKind}). An attempt
 * keeps its form: `664/187(A)`.
 *
 * @example
 * ```ts
 * statuteOf("243(E)1 BATTERY NONCOHAB SPOUS") // "243(E)(1)"
 * statuteOf("11352(A)HS SALE/TRANS CNTL SUB") // "11352(A)HS"
 * statuteOf("647(B) PC   PROSTITUTION")      // "647(B)"
 * statuteOf("459 PC  BURGLARY RESIDENCE")     // "459"
 * statuteOf("GANG ACTIVITY - I RPT")          // undefined
 * ```
 */
export const statuteOf = (description: string): string | undefined => {
  const found = statutePattern.exec(normalizeText(description))
  if (found === null) return undefined
  const [, section = "", subdivisions = "", code = ""] = found
  return section + subdivisions.replace(subdivisionPattern, (_, inParens, bare) => `(${inParens ?? bare})`) + code
}

/** Case, surrounding space and runs of spaces do not matter in a code or description. */
const normalizeText = (text: string): string => text.trim().replace(/\s+/g, " ").toUpperCase()

const normalizedValue = (field: CodeField, value: string): string =>
  field === "statute" ? statuteOf(value) ?? normalizeText(value) : normalizeText(value)

// What may follow a statute prefix that ends in a section number without
// starting another section: a subdivision, or a fused code abbreviation.
const continuesSection = new RegExp(`^(?:\\(|(?:${codeAbbreviations})$)`)

const statuteHasPrefix = (statute: string, prefix: string): boolean => {
  if (!statute.startsWith(prefix)) return false
  const rest = statute.slice(prefix.length)
  return rest === "" || prefix.endsWith(")") || continuesSection.test(rest)
}

/** The fields of a call or report that code tables read; absent fields match no rule. */
export interface ClassifiedFields {
  readonly callTypeCode?: string | undefined
  readonly description?: string | undefined
  readonly ucrNcic?: string | undefined
  readonly nibrs?: string | undefined
}

interface CompiledRule {
  readonly rule: CodeRule
  readonly value: string
}

// Tables are immutable data, usually a handful reused for millions of rows:
// normalize each rule's value once per table, not once per row.
const compiled = new WeakMap<CodeTable, ReadonlyArray<CompiledRule>>()

const compile = (table: CodeTable): ReadonlyArray<CompiledRule> => {
  const cached = compiled.get(table)
  if (cached !== undefined) return cached
  const rules = table.rules.map((rule) => ({ rule, value: normalizedValue(rule.field, rule.value) }))
  compiled.set(table, rules)
  return rules
}

const matches = (rule: CompiledRule, subject: string): boolean => {
  switch (rule.rule.match) {
    case "equals":
      return subject === rule.value
    case "prefix":
      return rule.rule.field === "statute" ? statuteHasPrefix(subject, rule.value) : subject.startsWith(rule.value)
    case "contains":
      return subject.includes(rule.value)
  }
}

/**
 * Every category the tables put a call or report in, each with the table,
 * version and rule that put it there. Every matching rule of every table
 * counts, so a call may carry several categories (a trafficking report is
 * both `human-trafficking` and `victimization`) and one category from
 * several rules; identical matches are listed once. Order: tables as given,
 * then rules and categories as the table lists them. Tables are read as
 * immutable data: each table's rules are prepared once and reused.
 *
 * @example
 * ```ts
 * classify([sacramentoCrimeReports2006], { description: "243(E)1 BATTERY NONCOHAB SPOUS" })
 * // [{ category: "domestic-violence", table: "sacramento-crime-reports-2006", tableVersion: "2006-01", rule: "pc-243e" }, ...]
 * ```
 */
export const classify = (tables: ReadonlyArray<CodeTable>, fields: ClassifiedFields): ReadonlyArray<CategoryMatch> => {
  const subjects: Record<CodeField, string | undefined> = {
    callTypeCode: fields.callTypeCode === undefined ? undefined : normalizeText(fields.callTypeCode),
    description: fields.description === undefined ? undefined : normalizeText(fields.description),
    statute: fields.description === undefined ? undefined : statuteOf(fields.description),
    ucrNcic: fields.ucrNcic === undefined ? undefined : normalizeText(fields.ucrNcic),
    nibrs: fields.nibrs === undefined ? undefined : normalizeText(fields.nibrs)
  }
  const seen = new Set<string>()
  const found: Array<CategoryMatch> = []
  for (const table of tables) {
    for (const rule of compile(table)) {
      const subject = subjects[rule.rule.field]
      if (subject === undefined || subject === "" || !matches(rule, subject)) continue
      for (const category of rule.rule.categories) {
        const key = JSON.stringify([category, table.id, table.version, rule.rule.id])
        if (seen.has(key)) continue
        seen.add(key)
        found.push({ category, table: table.id, tableVersion: table.version, rule: rule.rule.id })
      }
    }
  }
  return found
}

/** The protection flags of a call for service (the same fields as on `CallForService`), as the law's exclusions read them. */
export interface ProtectedFlags {
  readonly domesticViolenceOrVictimization: boolean
  readonly medical: boolean
  readonly fireOrEms: boolean
}

// Which flag each protected category sets. A Record over every category, so
// adding a category to Category.ts forces a decision here.
const flagOf: Record<CallCategory, keyof ProtectedFlags | undefined> = {
  "domestic-violence": "domesticViolenceOrVictimization",
  victimization: "domesticViolenceOrVictimization",
  medical: "medical",
  "fire-ems": "fireOrEms",
  "gang-activity": undefined,
  "drug-trade": undefined,
  // A trafficking victim is a victim of abuse (Gov. Code 53165).
  "human-trafficking": "domesticViolenceOrVictimization",
  prostitution: undefined,
  disorder: undefined,
  nuisance: undefined,
  // A crime against the place or someone at it has a victim (Gov. Code
  // 53165): the flag also hides the call type from the public.
  "crime-against-premises": "domesticViolenceOrVictimization"
}

/**
 * The protection flags a call's categories set, for the matching fields of a
 * `CallForService`: only the protected categories set any
 * (`domestic-violence`, `victimization`, `human-trafficking`,
 * `crime-against-premises`, `medical`, `fire-ems`).
 * A call with one of these flags never counts toward a nuisance designation
 * or any other penalty: Gov. Code 53165 and 53165.1 (help summoned by or for
 * a victim of abuse or crime, or a person in an emergency); 34 U.S.C. 12495
 * (VAWA 2022: the right to seek police or emergency help).
 */
export const protectedFlags = (matches: ReadonlyArray<Pick<CategoryMatch, "category">>): ProtectedFlags => {
  const flags = { domesticViolenceOrVictimization: false, medical: false, fireOrEms: false }
  for (const { category } of matches) {
    const flag = flagOf[category]
    if (flag !== undefined && protectedCategories.includes(category)) flags[flag] = true
  }
  return flags
}
