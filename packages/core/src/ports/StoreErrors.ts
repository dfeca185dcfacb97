/**
 * The typed failures every storage port may report. Adapters map their
 * driver's errors onto these, so callers handle one vocabulary whatever the
 * database.
 *
 * @module
 */
import { Effect, Schema } from "effect"

/**
 * An append named an expected stream version that is no longer current:
 * someone else wrote to the stream first. Nothing was written.
 */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  tenantId: Schema.String,
  streamId: Schema.String,
  expectedVersion: Schema.Number,
  actualVersion: Schema.Number
}) {}

/**
 * A projection tried to commit from a checkpoint that is no longer current
 * (another runner advanced it). Nothing was written.
 */
export class CheckpointConflict extends Schema.TaggedError<CheckpointConflict>()("CheckpointConflict", {
  tenantId: Schema.String,
  projection: Schema.String,
  expectedCheckpoint: Schema.Number,
  actualCheckpoint: Schema.Number
}) {}

/**
 * An outbox consumer acknowledged or failed a message whose lease it no
 * longer holds (the lease expired and the message was claimed again, or it
 * was already settled). Nothing was changed.
 */
export class LeaseLost extends Schema.TaggedError<LeaseLost>()("LeaseLost", {
  tenantId: Schema.String,
  messageId: Schema.String
}) {}

/**
 * An import batch named the progress it continues from (`afterRow`), and
 * the import's committed progress is another: another process is importing
 * the same file at the same time (or imported it meanwhile). Nothing was
 * written. This is not the caller's bug: stop, or read the progress again
 * and resume after `progress.throughRow` once the other import is done.
 */
export class ImportAlreadyRunning extends Schema.TaggedError<ImportAlreadyRunning>()("ImportAlreadyRunning", {
  tenantId: Schema.String,
  importId: Schema.String,
  /** The progress the refused batch expected (its `afterRow`). */
  expectedAfterRow: Schema.Number,
  /** The import's progress as committed when the batch was refused. */
  progress: Schema.Struct({
    throughRow: Schema.Number,
    imported: Schema.Number,
    duplicates: Schema.Number,
    quarantined: Schema.Number
  })
}) {
  override get message(): string {
    return `import ${JSON.stringify(this.importId)} already running: its batch expected progress at row ` +
      `${this.expectedAfterRow}, but row ${this.progress.throughRow} is committed`
  }
}

/**
 * A request to a storage port was malformed (a non-consecutive batch, a
 * limit out of range, a query on an unusable field). This is the caller's
 * bug, reported with the operation and the reason; nothing was changed.
 */
export class InvalidStoreRequest extends Schema.TaggedError<InvalidStoreRequest>()("InvalidStoreRequest", {
  operation: Schema.String,
  reason: Schema.String
}) {}

/**
 * The storage itself failed (I/O error, lost connection, corrupt file, a
 * busy database). The operation may or may not have taken effect only where
 * its contract says so; appends and commits are atomic, so they either fully
 * happened or not.
 *
 * `retryable` says whether the same request may succeed if sent again
 * unchanged: the adapter saw a busy or locked database (SQLite's
 * SQLITE_BUSY, SQLITE_LOCKED), a transaction the database gave up to keep
 * others consistent (PostgreSQL's serialization failure 40001, deadlock
 * 40P01) or a dropped connection (PostgreSQL 08xxx, 57P01 to 57P03). A
 * broken schema, a full disk or a corrupt file is not retryable. Retry
 * writes with their idempotency key or expected version, which make a
 * retry safe.
 *
 * `cause` is the driver's own error, kept for logs and diagnosis; it is
 * never part of `message`.
 *
 * @example
 * ```ts
 * const appendRetrying = store.append(request).pipe(
 *   Effect.retry({ times: 3, while: (error) => error._tag === "StorageFailure" && error.retryable })
 * )
 * ```
 */
export class StorageFailure extends Schema.TaggedError<StorageFailure>()("StorageFailure", {
  /** The port operation that failed, e.g. `EventStore.append`. */
  operation: Schema.String,
  /** What went wrong, in the database's own words. */
  message: Schema.String,
  /** Whether sending the same request again may succeed; `false` unless the adapter knows it can. */
  retryable: Schema.Boolean.pipe(Schema.withConstructorDefault(Effect.succeed(false))),
  /** The driver's error, when there was one. */
  cause: Schema.optional(Schema.Defect())
}) {}
