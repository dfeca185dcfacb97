/**
 * How a city's CSV export maps onto calls for service: data, not code. A
 * mapping names, for each field of a call, the column it comes from and how
 * to read it (date-time format and zone, channel value map, coordinate
 * system), and which code tables classify the calls. A city writes one as
 * JSON, checks it in an editor against {@link csvMappingJsonSchema}, and
 * imports with it; nothing is compiled per city.
 *
 * @module
 */
import { CallChannel, type ConfigProblem, formatProblemPath, TimeZoneId } from "@community-policing/core"
import { type JsonSchema, Result, Schema, SchemaIssue } from "effect"
import { compileDateTimeFormat } from "./DateTimeFormat.ts"

/**
 * A source's name: a lowercase hyphenated slug such as `sacramento-cad`. The
 * pattern carries the `u` flag so that it reaches the JSON Schema (effect
 * exports only Unicode-mode patterns).
 */
export const SourceName = Schema.NonEmptyString.check(
  Schema.isPattern(/^[a-z0-9]+(?:-[a-z0-9]+)*$/u, { expected: "a lowercase hyphenated name, e.g. sacramento-cad" })
)

/** A column's name exactly as the header writes it (surrounding spaces and a byte-order mark are ignored). */
export const ColumnName = Schema.NonEmptyString.annotate({
  description: "A column name exactly as the export's header writes it."
})

/**
 * A date-time format: `"iso"` or a pattern such as `"M/d/yy H:mm"` or
 * `"MM/dd/yyyy h:mm:ss a"`; see `compileDateTimeFormat` for the tokens.
 */
export const DateTimeFormatPattern = Schema.NonEmptyString.check(
  Schema.makeFilter((pattern) => Result.match(compileDateTimeFormat(pattern), {
    onSuccess: () => undefined,
    onFailure: (problem) => problem
  }), {
    expected: "a date-time format: \"iso\" or tokens yyyy yy M MM d dd H HH h hh mm ss SSS a, e.g. M/d/yy H:mm",
    toJsonSchema: () => ({ pattern: "^(iso|[^A-Za-z']*(('[^']*'|yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|ss|SSS|a)[^A-Za-z']*)+)$" })
  })
).annotate({
  description:
    "How the column writes a date and time. \"iso\" for ISO 8601 (an offset or Z in the value wins over timeZone), " +
    "or a pattern of tokens: yyyy, yy (69-99 = 19xx, 00-68 = 20xx), M, MM, d, dd, H, HH (0-23), h, hh (1-12, needs a), " +
    "mm, ss, SSS, a (AM/PM). Quote other letters: yyyy-MM-dd'T'HH:mm. Examples: \"M/d/yy H:mm\", \"MM/dd/yyyy h:mm:ss a\"."
})

const repeatedTime = Schema.optionalKey(
  Schema.Literals(["earlier", "later", "quarantine"]).annotate({
    description:
      "A wall-clock time that occurs twice when daylight saving time ends: take the earlier (default) or later instant, " +
      "or quarantine the row. Times the clocks skip are always quarantined."
  })
)

/** A format's letters outside quotes: what says which fields it gives. */
const unquotedLetters = (pattern: string): string => pattern.replace(/'[^']*'/g, "").replace(/[^A-Za-z]/g, "")

const problemOf = (compiled: Result.Result<unknown, string>, prefix: string): string | undefined =>
  Result.match(compiled, { onSuccess: () => undefined, onFailure: (problem) => `${prefix}${problem}` })

/**
 * The format of a date column when date and time are in two columns: date
 * tokens only (yyyy yy M MM d dd), e.g. `"MM/dd/yyyy"`.
 */
export const DatePattern = Schema.NonEmptyString.check(
  Schema.makeFilter((pattern) =>
    pattern === "iso" || /[HhmsSa]/.test(unquotedLetters(pattern))
      ? "a date column's format gives the date only (tokens yyyy yy M MM d dd), e.g. MM/dd/yyyy"
      : problemOf(compileDateTimeFormat(pattern), ""), {
    expected: "a date format of tokens yyyy yy M MM d dd, e.g. MM/dd/yyyy",
    toJsonSchema: () => ({ pattern: "^[^A-Za-z']*(('[^']*'|yyyy|yy|MM|M|dd|d)[^A-Za-z']*)+$" })
  })
).annotate({ description: "How the date column writes the date: yyyy, yy, M, MM, d, dd and separators, e.g. \"MM/dd/yyyy\"." })

/**
 * The format of a time column when date and time are in two columns: time
 * tokens only (H HH h hh mm ss SSS a), e.g. `"HH:mm:ss"` or `"h:mm a"`.
 */
export const TimePattern = Schema.NonEmptyString.check(
  Schema.makeFilter((pattern) =>
    pattern === "iso" || /[yMd]/.test(unquotedLetters(pattern))
      ? "a time column's format gives the time of day only (tokens H HH h hh mm ss SSS a), e.g. HH:mm:ss"
      : problemOf(compileDateTimeFormat(`yyyy-MM-dd ${pattern}`), `with a date before it: `), {
    expected: "a time format of tokens H HH h hh mm ss SSS a, e.g. HH:mm:ss",
    toJsonSchema: () => ({ pattern: "^[^A-Za-z']*(('[^']*'|HH|H|hh|h|mm|ss|SSS|a)[^A-Za-z']*)+$" })
  })
).annotate({
  description: "How the time column writes the time of day: H, HH (0-23), h, hh (1-12, needs a), mm, ss, SSS, a, e.g. \"HH:mm:ss\"."
})

/** When a call was received, from one column: the column, its format, and the zone its wall-clock times are in. */
export const ReceivedAtColumn = Schema.Struct({
  column: ColumnName,
  format: DateTimeFormatPattern,
  timeZone: TimeZoneId,
  repeatedTime
}).annotate({
  description:
    "When the call was received; required in every row. timeZone is the IANA zone of the column's wall-clock times, " +
    "e.g. America/Los_Angeles."
})

/**
 * When a call was received, from a date column and a time column, each with
 * its own format, as many exports write them (`Date`, `Time`).
 *
 * @example
 * ```json
 * { "date": { "column": "Date", "format": "MM/dd/yyyy" }, "time": { "column": "Time", "format": "HH:mm:ss" },
 *   "timeZone": "America/Chicago" }
 * ```
 */
export const ReceivedAtDateAndTime = Schema.Struct({
  date: Schema.Struct({ column: ColumnName, format: DatePattern }),
  time: Schema.Struct({ column: ColumnName, format: TimePattern }),
  timeZone: TimeZoneId,
  repeatedTime
}).annotate({
  description:
    "When the call was received, from two columns: the date (with a date format) and the time of day (with a time " +
    "format); both required in every row. timeZone is the IANA zone of the wall-clock times."
})

/**
 * When a call was received: one column with a date-time format
 * ({@link ReceivedAtColumn}), or a date column and a time column
 * ({@link ReceivedAtDateAndTime}).
 */
export const ReceivedAtField = Schema.Union([ReceivedAtColumn, ReceivedAtDateAndTime])

/** When a call was received; see {@link ReceivedAtField}. */
export type ReceivedAtField = typeof ReceivedAtField.Type

/**
 * How a mapping's received time is read: the columns in order (one, or the
 * date's then the time's), and the one format their trimmed values, joined
 * by a space, are read with.
 */
export const receivedAtLayout = (
  field: ReceivedAtField
): { readonly columns: readonly [string] | readonly [string, string]; readonly format: string } =>
  "column" in field
    ? { columns: [field.column], format: field.format }
    : { columns: [field.date.column, field.time.column], format: `${field.date.format} ${field.time.format}` }

/** A value map from a column to call channels; see {@link CsvMapping}. */
export const ChannelField = Schema.Struct({
  column: Schema.optionalKey(ColumnName),
  values: Schema.optionalKey(
    Schema.Record(Schema.String, CallChannel).annotate({
      description: "Column value (trimmed, exact) → channel, e.g. { \"911\": \"911\", \"ONVIEW\": \"officer-initiated\" }."
    })
  ),
  default: Schema.optionalKey(
    CallChannel.annotate({ description: "The channel of values not in the map, and of every row when there is no column." })
  )
}).check(
  Schema.makeFilter((channel) =>
    channel.column === undefined
      ? channel.default === undefined ? { path: ["default"], issue: "without a column, the default channel is required" } : undefined
      : channel.values === undefined && channel.default === undefined
      ? { path: ["values"], issue: "a channel column needs a value map, a default, or both" }
      : undefined
  )
).annotate({
  description:
    "How the call reached the police: 911, non-emergency, officer-initiated or other. A row whose value is neither in the " +
    "map nor covered by a default is quarantined."
})

/** Latitude and longitude columns in WGS84 decimal degrees. */
export const Wgs84Columns = Schema.Struct({
  crs: Schema.Literal("EPSG:4326"),
  latitude: ColumnName,
  longitude: ColumnName
}).annotate({ description: "WGS84 decimal degrees (EPSG:4326), as most open-data portals give them." })

/** X and Y columns in a projected system, converted to WGS84 on import. */
export const ProjectedColumns = Schema.Struct({
  crs: Schema.String.check(
    Schema.isPattern(/^EPSG:\d+$/, { expected: "an EPSG code such as EPSG:2226" }),
    Schema.makeFilter((crs) => crs === "EPSG:4326" ? "EPSG:4326 is latitude/longitude: use latitude and longitude" : undefined)
  ).annotate({ description: "The EPSG code. EPSG:2226 (California zone 2, US feet) is built in; others need proj4." }),
  x: ColumnName,
  y: ColumnName,
  proj4: Schema.optionalKey(
    Schema.NonEmptyString.annotate({ description: "The proj4 definition of the system, e.g. from epsg.io." })
  )
}).annotate({ description: "Projected X/Y (e.g. State Plane feet), converted to WGS84 with proj4." })

/** Where the call's coordinates are, and in which coordinate system. */
export const CoordinateColumns = Schema.Union([Wgs84Columns, ProjectedColumns])

/** Where a record's coordinates are; see {@link CoordinateColumns}. */
export type CoordinateColumns = typeof CoordinateColumns.Type

/** A column read as yes/no. */
export const FlagField = Schema.Struct({
  column: ColumnName,
  trueValues: Schema.NonEmptyArray(Schema.String).annotate({
    description: "Values (trimmed, case-insensitive) that mean yes, e.g. [\"Y\", \"YES\"]."
  }),
  falseValues: Schema.optionalKey(
    Schema.Array(Schema.String).annotate({
      description: "Values that mean no. When given, any other value quarantines the row; otherwise it reads as no."
    })
  )
})

/** Which column holds each field of a call. */
export const CallFields = Schema.Struct({
  sourceRecordId: Schema.optionalKey(
    ColumnName.annotate({
      description:
        "The record's id in the source system. Calls are deduplicated by it; without it, by a hash of the mapped columns."
    })
  ),
  receivedAt: ReceivedAtField,
  channel: ChannelField,
  callTypeCode: ColumnName.annotate({ description: "The CAD call type code; required in every row." }),
  description: Schema.optionalKey(ColumnName.annotate({ description: "The call type's description." })),
  priority: Schema.optionalKey(ColumnName),
  disposition: Schema.optionalKey(ColumnName.annotate({ description: "How the call was cleared." })),
  address: Schema.optionalKey(ColumnName.annotate({
    description:
      "The address, block (23XX 10TH AVE) or intersection. Leave it out when the export has no address column. A row whose " +
      "address is blank (often withheld to protect a victim), or every row of an export without the column, is imported " +
      "at no place: counted in every total and by area, category and channel, never by address, in repeat locations or " +
      "concentration, or toward a place's nuisance count. An address that does not normalize is quarantined."
  })),
  beat: Schema.optionalKey(ColumnName),
  policeDistrict: Schema.optionalKey(ColumnName),
  councilDistrict: Schema.optionalKey(ColumnName),
  neighborhood: Schema.optionalKey(ColumnName),
  coordinates: Schema.optionalKey(CoordinateColumns),
  ucrNcic: Schema.optionalKey(ColumnName.annotate({ description: "A UCR/NCIC offense code, for classification." })),
  nibrs: Schema.optionalKey(ColumnName.annotate({ description: "A NIBRS offense code, for classification." })),
  callerIsVictim: Schema.optionalKey(FlagField.annotate({ description: "Whether the caller was the victim." }))
})

/** The mapped fields of a call; see {@link CallFields}. */
export type CallFields = typeof CallFields.Type

/**
 * A city's CSV export layout for calls for service, as data.
 *
 * @example
 * ```json
 * {
 *   "source": "seattle-cad",
 *   "codeTables": ["seattle-cad"],
 *   "fields": {
 *     "sourceRecordId": "CAD Event Number",
 *     "receivedAt": { "column": "Original Time Queued", "format": "MM/dd/yyyy h:mm:ss a", "timeZone": "America/Los_Angeles" },
 *     "channel": { "column": "Call Type", "values": { "911": "911", "ONVIEW": "officer-initiated" }, "default": "other" },
 *     "callTypeCode": "Initial Call Type",
 *     "address": "Blurred Address"
 *   }
 * }
 * ```
 */
export const CsvMapping = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String.annotate({ description: "The JSON Schema an editor checks this file against." })),
  source: SourceName.annotate({
    description: "The source's name, e.g. sacramento-cad: part of every dedupe key (id:<source>:<id>) and import id."
  }),
  description: Schema.optionalKey(Schema.NonEmptyString),
  delimiter: Schema.optionalKey(
    Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(1)).annotate({ description: "The field delimiter; \",\" by default." })
  ),
  codeTables: Schema.Array(Schema.NonEmptyString).check(
    Schema.isMinLength(1, { expected: "at least one code table id: without one no call is ever found protected" })
  ).annotate({
    description:
      "Ids of the code tables that classify the calls (and so decide which are protected), in the order they apply."
  }),
  fields: CallFields,
  assumptions: Schema.optionalKey(
    Schema.Array(Schema.NonEmptyString).annotate({
      description: "What the mapping's author has not confirmed about the export, for a city to review."
    })
  )
}).annotate({
  title: "CsvMapping",
  description: "How one CSV export of calls for service maps onto the SDK's calls (@community-policing/records-csv)."
})

/** A city's CSV export layout for calls; see {@link CsvMapping}. */
export type CsvMapping = typeof CsvMapping.Type

/** A land use value in a places file: `residential`, `unknown`, or the kind of a non-residential place. */
export const LandUseValue = Schema.Literals([
  "residential",
  "unknown",
  "bar",
  "motel-hotel",
  "store",
  "restaurant",
  "vacant-lot",
  "office",
  "industrial",
  "other"
])

/** A land use value in a places file; see {@link LandUseValue}. */
export type LandUseValue = typeof LandUseValue.Type

/** Which columns of a parcel or business-license file describe each place. */
export const PlaceFields = Schema.Struct({
  address: ColumnName.annotate({ description: "The place's address; required, an invalid one is quarantined." }),
  parcelNumber: Schema.optionalKey(ColumnName.annotate({ description: "The assessor's parcel number (APN)." })),
  landUse: Schema.Struct({
    column: Schema.optionalKey(ColumnName),
    values: Schema.optionalKey(Schema.Record(Schema.String, LandUseValue)),
    default: Schema.optionalKey(LandUseValue)
  }).check(
    Schema.makeFilter((landUse) =>
      landUse.column === undefined
        ? landUse.default === undefined ? { path: ["default"], issue: "without a column, the default land use is required" } : undefined
        : landUse.values === undefined && landUse.default === undefined
        ? { path: ["values"], issue: "a land use column needs a value map, a default, or both" }
        : undefined
    )
  ).annotate({
    description:
      "Column value → residential, unknown, or a non-residential kind (bar, motel-hotel, store, restaurant, vacant-lot, office, " +
      "industrial, other). Values not in the map take the default, or are quarantined without one."
  }),
  units: Schema.optionalKey(
    ColumnName.annotate({ description: "Dwelling units of a residential place, rooms of a non-residential one (a motel)." })
  ),
  longTermTenancies: Schema.optionalKey(
    ColumnName.annotate({
      description:
        "Rooms let as homes (long-term tenancies) at a non-residential place, e.g. a motel where people live: a whole number " +
        "(0 or blank: none recorded) or \"unknown\" (some, number not known). Such a place is a residence for the " +
        "calls-for-service rules (Gov. Code 53165.1). Ignored for a residential place."
    })
  ),
  coordinates: Schema.optionalKey(CoordinateColumns),
  beat: Schema.optionalKey(ColumnName),
  policeDistrict: Schema.optionalKey(ColumnName),
  councilDistrict: Schema.optionalKey(ColumnName),
  neighborhood: Schema.optionalKey(ColumnName)
})

/**
 * A parcel or business-license CSV layout for the places registry, as data.
 *
 * @example
 * ```json
 * {
 *   "source": "sacramento-business-licenses",
 *   "fields": {
 *     "address": "Address",
 *     "landUse": { "column": "Kind", "values": { "BAR": "bar", "MOTEL": "motel-hotel", "SFR": "residential" }, "default": "unknown" },
 *     "units": "Rooms"
 *   }
 * }
 * ```
 */
export const PlacesMapping = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String),
  source: SourceName.annotate({ description: "The source's name, e.g. sacramento-business-licenses: part of the import id." }),
  description: Schema.optionalKey(Schema.NonEmptyString),
  delimiter: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(1))),
  fields: PlaceFields,
  assumptions: Schema.optionalKey(Schema.Array(Schema.NonEmptyString))
}).annotate({
  title: "PlacesMapping",
  description: "How one parcel or business-license CSV maps onto the places registry (@community-policing/records-csv)."
})

/** A places file layout; see {@link PlacesMapping}. */
export type PlacesMapping = typeof PlacesMapping.Type

/**
 * A mapping was rejected. Lists every problem, with where it is
 * (`fields.receivedAt.format`), so a city fixes its file in one pass.
 */
export class InvalidMapping extends Schema.TaggedError<InvalidMapping>()("InvalidMapping", {
  /** The mapping's source name, when it could be read. */
  source: Schema.String,
  problems: Schema.NonEmptyArray(Schema.Struct({
    path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
    message: Schema.String
  }))
}) {
  override get message(): string {
    return `Invalid mapping ${this.source}:\n` +
      this.problems.map((problem) => `${formatProblemPath(problem.path) || "(root)"}: ${problem.message}`).join("\n")
  }
}

const toProblems = SchemaIssue.makeFormatterStandardSchemaV1()

const pathKey = (segment: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof segment === "object" ? segment.key : segment
  return typeof key === "symbol" ? String(key) : key
}

const validateWith = <S extends Schema.Codec<unknown, unknown>>(schema: S) => {
  // Unknown keys are errors: in a hand-written mapping they are typos
  // ("recievedAt") that would otherwise silently drop a field.
  const decode = Schema.decodeUnknownResult(schema as unknown as Schema.Codec<S["Type"], unknown>, {
    errors: "all",
    onExcessProperty: "error"
  })
  return (input: unknown): Result.Result<S["Type"], InvalidMapping> =>
    Result.mapError(decode(input), (error) => {
      const problems: Array<ConfigProblem> = toProblems(error.issue).issues.map((issue) => ({
        path: (issue.path ?? []).map(pathKey),
        message: issue.message
      }))
      const [first, ...rest] = problems
      const source = typeof input === "object" && input !== null && "source" in input && typeof input.source === "string"
        ? input.source
        : "(unnamed)"
      return new InvalidMapping({
        source,
        problems: first === undefined ? [{ path: [], message: error.message }] : [first, ...rest]
      })
    })
}

/**
 * Checks an untrusted calls mapping (a parsed JSON file) and returns it
 * typed, or one {@link InvalidMapping} listing every problem: unknown keys,
 * a malformed date-time format, an unknown time zone, a channel or land use
 * value that does not exist.
 */
export const validateCsvMapping: (input: unknown) => Result.Result<CsvMapping, InvalidMapping> = validateWith(CsvMapping)

/** Checks an untrusted places mapping; see {@link validateCsvMapping}. */
export const validatePlacesMapping: (input: unknown) => Result.Result<PlacesMapping, InvalidMapping> = validateWith(
  PlacesMapping
)

const jsonSchemaFile = (schema: Schema.Top, name: string): JsonSchema.JsonSchema => {
  // Closed objects, as the decoder is: an editor then flags a misspelled key.
  const document = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error" })
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `urn:community-policing:records-csv:${name}`,
    ...document.schema,
    ...(Object.keys(document.definitions).length > 0 ? { $defs: document.definitions } : {})
  }
}

/**
 * The JSON Schema (draft 2020-12) of {@link CsvMapping}. Save it next to a
 * mapping and point the mapping's `$schema` at it, and an editor (VS Code,
 * JetBrains) completes and checks the mapping as it is typed.
 *
 * @example
 * ```ts
 * writeFileSync("csv-mapping.schema.json", JSON.stringify(csvMappingJsonSchema(), null, 2))
 * // then in seattle-cad.json: { "$schema": "./csv-mapping.schema.json", ... }
 * ```
 */
export const csvMappingJsonSchema = (): JsonSchema.JsonSchema => jsonSchemaFile(CsvMapping, "CsvMapping")

/** The JSON Schema (draft 2020-12) of {@link PlacesMapping}; see {@link csvMappingJsonSchema}. */
export const placesMappingJsonSchema = (): JsonSchema.JsonSchema => jsonSchemaFile(PlacesMapping, "PlacesMapping")
