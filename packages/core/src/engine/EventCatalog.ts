/**
 * The events of one aggregate, with their schema versions and the upcasters
 * that turn data written by an older version into the current shape when it
 * is read back.
 *
 * @module
 */
import { Result, Schema, SchemaAST } from "effect"

/** An event as the domain sees it: a tagged value. */
export interface TaggedEvent {
  readonly _tag: string
}

/**
 * Rewrites the JSON data of one event type from schema version `n` to `n + 1`.
 * Upcasters are pure and run on read, so stored events are never rewritten.
 */
export type Upcaster = (data: Schema.Json) => Schema.Json

/** The version history of one event type. */
export interface EventVersioning {
  /** The version new events are written with (1 when never changed). */
  readonly current: number
  /** `upcasters[n]` turns version `n` data into version `n + 1` data. */
  readonly upcasters: Readonly<Record<number, Upcaster>>
}

/**
 * A stored event could not be read: unknown type, a version with no upcaster
 * path to the current one, or data its schema rejects.
 */
export class UnreadableEvent extends Schema.TaggedError<UnreadableEvent>()("UnreadableEvent", {
  eventType: Schema.String,
  schemaVersion: Schema.Number,
  reason: Schema.String
}) {}

/** The catalog of an aggregate's events; see {@link makeEventCatalog}. */
export interface EventCatalog<E extends TaggedEvent> {
  /** The union of the event schemas (JSON-encodable). */
  readonly schema: Schema.Codec<E, unknown>
  /**
   * The stored event types the catalog reads (the `_tag` of each member of
   * its union). Projections and reactors select events by these, never by
   * the name of the stream an event sits in.
   */
  readonly eventTypes: ReadonlySet<string>
  /** The current schema version of an event type. */
  readonly versionOf: (eventType: string) => number
  /** Encodes an event for storage. */
  readonly encode: (event: E) => { readonly eventType: string; readonly schemaVersion: number; readonly data: Schema.Json }
  /** Upcasts and decodes stored data. */
  readonly decode: (stored: {
    readonly eventType: string
    readonly schemaVersion: number
    readonly data: Schema.Json
  }) => Result.Result<E, UnreadableEvent>
}

/** The `_tag` literals of a union of tagged structs. */
const tagsOf = (ast: SchemaAST.AST): ReadonlyArray<string> => {
  if (SchemaAST.isUnion(ast)) return ast.types.flatMap(tagsOf)
  if (SchemaAST.isSuspend(ast)) return tagsOf(ast.thunk())
  if (SchemaAST.isObjects(ast)) {
    const tag = ast.propertySignatures.find((signature) => signature.name === "_tag")?.type
    return tag !== undefined && SchemaAST.isLiteral(tag) && typeof tag.literal === "string" ? [tag.literal] : []
  }
  return []
}

/**
 * Builds an event catalog from the union of an aggregate's event schemas
 * (each a `Schema.TaggedStruct`, whose `_tag` is the stored event type) and
 * the version history of the types that changed.
 *
 * @example
 * ```ts
 * const Opened = Schema.TaggedStruct("CaseOpened", { caseId: Schema.String, district: Schema.String })
 * const Events = makeEventCatalog(Schema.Union([Opened]), {
 *   // version 1 had no district: old events read back as citywide
 *   CaseOpened: { current: 2, upcasters: { 1: (data) => ({ ...(data as object), district: "citywide" }) } }
 * })
 * ```
 */
export const makeEventCatalog = <E extends TaggedEvent, I>(
  schema: Schema.Codec<E, I>,
  versions: Readonly<Record<string, EventVersioning>> = {}
): EventCatalog<E> => {
  const encodeEvent = Schema.encodeSync(schema)
  const decodeEvent = Schema.decodeUnknownResult(schema)
  const versionOf = (eventType: string): number => versions[eventType]?.current ?? 1
  return {
    schema: schema as Schema.Codec<E, unknown>,
    eventTypes: new Set(tagsOf(SchemaAST.toType(schema.ast))),
    versionOf,
    encode: (event) => ({
      eventType: event._tag,
      schemaVersion: versionOf(event._tag),
      data: encodeEvent(event) as Schema.Json
    }),
    decode: ({ data, eventType, schemaVersion }) => {
      const current = versionOf(eventType)
      if (schemaVersion > current) {
        return Result.fail(
          new UnreadableEvent({
            eventType,
            schemaVersion,
            reason: `written by a newer schema version than this code knows (${current})`
          })
        )
      }
      let upcast = data
      for (let version = schemaVersion; version < current; version++) {
        const step = versions[eventType]?.upcasters[version]
        if (step === undefined) {
          return Result.fail(
            new UnreadableEvent({ eventType, schemaVersion, reason: `no upcaster from version ${version}` })
          )
        }
        upcast = step(upcast)
      }
      return Result.mapError(
        decodeEvent(upcast),
        (error) => new UnreadableEvent({ eventType, schemaVersion, reason: error.message })
      )
    }
  }
}
