/**
 * The outbox dispatcher: the consumer that turns queued outbox messages into
 * deliveries. It claims messages of one topic from the `Outbox` with a lease,
 * renders each into a `RenderedMessage`, hands it to the `Notifier` of its
 * channel for one attempt, and records what became of it: delivered (with
 * the receipt), retried later (backoff from effect's `Schedule`, never sooner
 * than the receiver asked), or dead-lettered for an operator.
 *
 * ## Guarantees
 *
 * - **At least once.** A message is acknowledged only after its notifier
 *   reported `Delivered`. A dispatcher that dies (SIGKILL, a lost machine)
 *   between the receiver's answer and the `ack` leaves the message leased;
 *   when the lease ends another dispatcher claims it and delivers it again.
 * - **Never again after a recorded success.** Once an acknowledgement is
 *   recorded the outbox never hands the message out again (the `Outbox`
 *   contract), and a dispatcher records an outcome only under the lease it
 *   claimed with; a stale lease is refused (that settlement's `LeaseLost`),
 *   never settled twice.
 * - **Outcomes are recorded in groups**, with `Outbox.settle` (one
 *   transaction per group): every outcome that has come in is recorded at
 *   once, and the ones that come in meanwhile make the next group. The
 *   recorder never waits for more, so an outcome is recorded no later than
 *   recording it alone would; a stale lease costs only its own message.
 * - **The idempotency key reaches the receiver** with every attempt
 *   (`RenderedMessage.idempotencyKey`, the webhook's `Idempotency-Key`
 *   header): a receiver that keeps the keys it acted on drops a repeat.
 * - **Exactly once is impossible**, here as anywhere: it is the two generals'
 *   problem. A receiver can act on a message and its answer be lost (the
 *   connection drops, the dispatcher dies before recording it); the sender
 *   cannot tell that from a message that never arrived, so it must either
 *   send again (at least once, what this does) or risk never delivering (at
 *   most once). The idempotency key is how the receiver closes the gap.
 * - **No double delivery from a slow receiver while the dispatcher lives.**
 *   Each attempt is cut off at `deliveryTimeoutMillis`, and never later than
 *   `recordingMarginMillis` before its lease ends, so the outcome is always
 *   recorded under a live lease (the margin covers a group write in progress
 *   and the outcome's own); the settings are checked so that a whole
 *   batch (`batchSize / concurrency` rounds of attempts) fits in the lease.
 *   A cut-off attempt counts as a retryable failure (the receiver may still
 *   have acted: its idempotency key covers the retry).
 *
 * @module
 */
import { Clock, DateTime, Deferred, Duration, Effect, Fiber, Option, Pull, Queue, Result, Schedule, Schema } from "effect"
import type { DeliveryOutcome, Notifier, RenderedMessage } from "../ports/Notifier.ts"
import { type ClaimedMessage, Outbox, type OutboxMessage, type SettleResult, type Settlement } from "../ports/Outbox.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"

/**
 * Turns an outbox message into the message a notifier sends. A failure is
 * permanent: the message is dead-lettered with the reason (a template that
 * does not exist, values that do not fit it), since rendering the same
 * message again gives the same answer.
 */
export type RenderMessage = (message: OutboxMessage) => Effect.Effect<RenderedMessage, { readonly reason: string }>

/**
 * Which notifier delivers a message: one `Notifier` for every channel, or a
 * map from channel (`"webhook"`, `"email"`, ...) to the notifier serving it.
 * A message whose channel the map lacks is dead-lettered ("no notifier for
 * channel ..."), since no retry can change that.
 */
export type DispatcherNotifiers = Notifier["Service"] | ReadonlyMap<string, Notifier["Service"]>

/**
 * The retry policy: exponential backoff with jitter, capped, for at most
 * `maxAttempts` attempts in all.
 */
export interface RetrySettings {
  /** The wait after the first failed attempt, in milliseconds; default 1,000. */
  readonly baseDelayMillis?: number | undefined
  /** Each further wait is this many times the previous one; default 2. */
  readonly factor?: number | undefined
  /** No wait is longer than this, in milliseconds; default 600,000 (10 minutes). */
  readonly maxDelayMillis?: number | undefined
  /**
   * Attempts in all, the first included, before a message is dead-lettered;
   * default 8. A message queued with a lower `maxAttempts` dies sooner (the
   * outbox enforces its own).
   */
  readonly maxAttempts?: number | undefined
  /**
   * The longest `Retry-After` honoured, in milliseconds; default 3,600,000
   * (an hour). The dispatcher never retries sooner than a receiver asked; a
   * receiver asking for a longer wait than this is treated as a refusal and
   * the message is dead-lettered with the wait it asked for, so that an
   * operator decides (and can `requeue` it later).
   */
  readonly maxRetryAfterMillis?: number | undefined
}

/** {@link RetrySettings} with every default filled in. */
export interface RetryPolicy {
  readonly baseDelayMillis: number
  readonly factor: number
  readonly maxDelayMillis: number
  readonly maxAttempts: number
  readonly maxRetryAfterMillis: number
}

/** How a dispatcher runs; every setting but `render` and `notifiers` has a default. */
export interface DispatcherOptions {
  /** Renders a message; see {@link RenderMessage}. */
  readonly render: RenderMessage
  /** The notifiers by channel; see {@link DispatcherNotifiers}. */
  readonly notifiers: DispatcherNotifiers
  /** The outbox topic it claims; default `"notification"`. */
  readonly topic?: string | undefined
  /** Only this tenant's messages; every tenant's if absent. */
  readonly tenantId?: string | undefined
  /** Messages claimed at once (1 to 1,000); default 20. */
  readonly batchSize?: number | undefined
  /** Deliveries of a batch in flight at once; default 10. */
  readonly concurrency?: number | undefined
  /** How long a claim holds, in milliseconds; default 60,000. Must cover a whole batch (see {@link InvalidDispatcherSettings}). */
  readonly leaseMillis?: number | undefined
  /** The longest one delivery attempt may take before it is cut off and retried, in milliseconds; default 20,000. */
  readonly deliveryTimeoutMillis?: number | undefined
  /** Time kept at the end of a lease to record the outcome, in milliseconds; default 5,000. */
  readonly recordingMarginMillis?: number | undefined
  /** How long `run` waits before claiming again when nothing was due, in milliseconds; default 1,000. */
  readonly pollMillis?: number | undefined
  /** How long `run`, asked to stop, lets in-flight deliveries finish and record, in milliseconds; default 30,000. */
  readonly gracePeriodMillis?: number | undefined
  /** The default backoff's settings. */
  readonly retry?: RetrySettings | undefined
  /**
   * A schedule that replaces the default backoff (for example
   * `Schedule.fibonacci("1 second").pipe(Schedule.upTo({ times: 5 }))`): the
   * n-th failed attempt waits the schedule's n-th delay, and a schedule that
   * has ended dead-letters the message. `retry.maxRetryAfterMillis` still applies.
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, unknown> | undefined
}

/** A dispatcher's settings are inconsistent or out of range; `reason` says which. Nothing was started. */
export class InvalidDispatcherSettings extends Schema.TaggedError<InvalidDispatcherSettings>()("InvalidDispatcherSettings", {
  reason: Schema.String
}) {
  override get message(): string {
    return `invalid dispatcher settings: ${this.reason}`
  }
}

/** What a dispatcher did: how many messages it claimed and what became of them. */
export interface DispatchCounts {
  /** Messages claimed. */
  readonly claimed: number
  /** Delivered and acknowledged, with their receipts. */
  readonly delivered: number
  /** Failed for now; pending again at their retry time. */
  readonly retried: number
  /** Dead-lettered: a permanent failure, a render failure, or no attempts left. */
  readonly dead: number
  /** Outcomes not recorded because the lease was lost (another consumer claimed the message meanwhile). */
  readonly leaseLost: number
  /** Outcomes not recorded because the outbox failed; the message is claimed again when its lease ends. */
  readonly unrecorded: number
}

/** No messages, nothing done. */
export const emptyDispatchCounts: DispatchCounts = { claimed: 0, delivered: 0, retried: 0, dead: 0, leaseLost: 0, unrecorded: 0 }

const addCounts = (a: DispatchCounts, b: DispatchCounts): DispatchCounts => ({
  claimed: a.claimed + b.claimed,
  delivered: a.delivered + b.delivered,
  retried: a.retried + b.retried,
  dead: a.dead + b.dead,
  leaseLost: a.leaseLost + b.leaseLost,
  unrecorded: a.unrecorded + b.unrecorded
})

/** How a long-lived {@link Dispatcher.run} is observed and stopped. */
export interface RunOptions {
  /** When this completes, `run` stops claiming, lets in-flight deliveries finish (up to the grace period) and returns its totals. */
  readonly until?: Effect.Effect<void> | undefined
  /** Called after every batch with that batch's counts. */
  readonly onBatch?: ((counts: DispatchCounts) => Effect.Effect<void>) | undefined
}

/** A dispatcher; see {@link makeDispatcher}. */
export interface Dispatcher {
  /** The settings in force, defaults filled in. */
  readonly settings: DispatcherSettings
  /** Claims one batch, delivers it and records every outcome. */
  readonly runOnce: Effect.Effect<DispatchCounts, InvalidStoreRequest | StorageFailure, Outbox>
  /**
   * Runs batches until a claim finds nothing due (messages waiting for their
   * retry time are left for later): a cron-style run, and what tests use.
   */
  readonly drain: Effect.Effect<DispatchCounts, InvalidStoreRequest | StorageFailure, Outbox>
  /**
   * The long-lived dispatcher, to fork as a fiber: claims a batch, delivers
   * it, claims again at once if the batch was full, else waits `pollMillis`.
   * A failing claim is logged and tried again after `pollMillis`; it never
   * stops the loop. Graceful shutdown, on interruption or when
   * `options.until` completes: no further claim, in-flight deliveries finish
   * and record within `gracePeriodMillis` (then they are cut off, and their
   * messages come back when their leases end). With `until`, it returns the
   * totals.
   */
  readonly run: (options?: RunOptions) => Effect.Effect<DispatchCounts, never, Outbox>
}

/** A dispatcher's settings with every default filled in. */
export interface DispatcherSettings {
  readonly topic: string
  readonly tenantId: string | undefined
  readonly batchSize: number
  readonly concurrency: number
  readonly leaseMillis: number
  readonly deliveryTimeoutMillis: number
  readonly recordingMarginMillis: number
  readonly pollMillis: number
  readonly gracePeriodMillis: number
  readonly retry: RetryPolicy
}

/** The settings a dispatcher uses where its options say nothing. */
export const defaultDispatcherSettings: DispatcherSettings = {
  topic: "notification",
  tenantId: undefined,
  batchSize: 20,
  concurrency: 10,
  leaseMillis: 60_000,
  deliveryTimeoutMillis: 20_000,
  recordingMarginMillis: 5_000,
  pollMillis: 1_000,
  gracePeriodMillis: 30_000,
  retry: { baseDelayMillis: 1_000, factor: 2, maxDelayMillis: 600_000, maxAttempts: 8, maxRetryAfterMillis: 3_600_000 }
}

const settingsProblem = (settings: DispatcherSettings): string | undefined => {
  const whole = (name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
    Number.isSafeInteger(value) && value >= min && value <= max ? undefined : `${name} must be a whole number from ${min} to ${max}, got ${value}`
  const { retry } = settings
  const problem = whole("batchSize", settings.batchSize, 1, 1_000) ??
    whole("concurrency", settings.concurrency, 1) ??
    whole("leaseMillis", settings.leaseMillis, 1) ??
    whole("deliveryTimeoutMillis", settings.deliveryTimeoutMillis, 1) ??
    whole("recordingMarginMillis", settings.recordingMarginMillis, 0) ??
    whole("pollMillis", settings.pollMillis, 1) ??
    whole("gracePeriodMillis", settings.gracePeriodMillis, 0) ??
    whole("retry.baseDelayMillis", retry.baseDelayMillis, 0) ??
    whole("retry.maxDelayMillis", retry.maxDelayMillis, 0) ??
    whole("retry.maxAttempts", retry.maxAttempts, 1) ??
    whole("retry.maxRetryAfterMillis", retry.maxRetryAfterMillis, 0)
  if (problem !== undefined) return problem
  if (!(Number.isFinite(retry.factor) && retry.factor >= 1)) return `retry.factor must be a number >= 1, got ${retry.factor}`
  if (settings.topic.length === 0) return "topic must not be empty"
  const rounds = Math.ceil(settings.batchSize / Math.min(settings.batchSize, settings.concurrency))
  const needed = rounds * settings.deliveryTimeoutMillis + settings.recordingMarginMillis
  if (settings.leaseMillis < needed) {
    return `leaseMillis (${settings.leaseMillis}) must cover a whole batch: ${rounds} round(s) of deliveryTimeoutMillis ` +
      `(${settings.deliveryTimeoutMillis}) plus recordingMarginMillis (${settings.recordingMarginMillis}) = ${needed}`
  }
  return undefined
}

/**
 * The default backoff as an effect `Schedule`: exponential from
 * `baseDelayMillis` by `factor`, jittered (each delay scaled by a random
 * factor from 0.8 to 1.2, so that messages failed together do not come back
 * together), capped at `maxDelayMillis`, ending after `maxAttempts - 1`
 * retries.
 */
export const retrySchedule = (retry: RetryPolicy): Schedule.Schedule<unknown, unknown> =>
  Schedule.exponential(Duration.millis(retry.baseDelayMillis), retry.factor).pipe(
    Schedule.jittered,
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, Duration.millis(retry.maxDelayMillis)))),
    Schedule.upTo({ times: retry.maxAttempts - 1 })
  )

/**
 * The wait before retrying after the `attempt`-th failed attempt (1 for the
 * first): the schedule's `attempt`-th delay, or none when the schedule has
 * ended (no retries left).
 */
export const retryDelay = (
  schedule: Schedule.Schedule<unknown, unknown>,
  attempt: number,
  now: number
): Effect.Effect<Option.Option<number>> =>
  Effect.gen(function*() {
    const step = yield* Schedule.toStep(schedule)
    let delay: Option.Option<number> = Option.none()
    for (let index = 0; index < attempt; index++) {
      delay = yield* step(now, undefined).pipe(
        Effect.map(([, duration]) => Option.some(Duration.toMillis(duration))),
        Pull.catchDone(() => Effect.succeed(Option.none<number>()))
      )
      if (Option.isNone(delay)) return delay
    }
    return delay
  })

/** Fills in and checks a dispatcher's settings. */
export const dispatcherSettings = (options: Omit<DispatcherOptions, "render" | "notifiers">): Result.Result<DispatcherSettings, InvalidDispatcherSettings> => {
  const defaults = defaultDispatcherSettings
  const retry = options.retry ?? {}
  const settings: DispatcherSettings = {
    topic: options.topic ?? defaults.topic,
    tenantId: options.tenantId,
    batchSize: options.batchSize ?? defaults.batchSize,
    concurrency: options.concurrency ?? defaults.concurrency,
    leaseMillis: options.leaseMillis ?? defaults.leaseMillis,
    deliveryTimeoutMillis: options.deliveryTimeoutMillis ?? defaults.deliveryTimeoutMillis,
    recordingMarginMillis: options.recordingMarginMillis ?? defaults.recordingMarginMillis,
    pollMillis: options.pollMillis ?? defaults.pollMillis,
    gracePeriodMillis: options.gracePeriodMillis ?? defaults.gracePeriodMillis,
    retry: {
      baseDelayMillis: retry.baseDelayMillis ?? defaults.retry.baseDelayMillis,
      factor: retry.factor ?? defaults.retry.factor,
      maxDelayMillis: retry.maxDelayMillis ?? defaults.retry.maxDelayMillis,
      maxAttempts: retry.maxAttempts ?? defaults.retry.maxAttempts,
      maxRetryAfterMillis: retry.maxRetryAfterMillis ?? defaults.retry.maxRetryAfterMillis
    }
  }
  const problem = settingsProblem(settings)
  return problem === undefined ? Result.succeed(settings) : Result.fail(new InvalidDispatcherSettings({ reason: problem }))
}

/** What one claimed message came to. */
type Settled = keyof Omit<DispatchCounts, "claimed">

const single = (settled: Settled): DispatchCounts => ({ ...emptyDispatchCounts, [settled]: 1 })

const isSingleNotifier = (notifiers: DispatcherNotifiers): notifiers is Notifier["Service"] => !(notifiers instanceof Map)

/**
 * Builds a dispatcher, or fails with {@link InvalidDispatcherSettings}.
 *
 * @example
 * ```ts
 * const program = Effect.gen(function*() {
 *   const notifier = yield* Notifier
 *   const dispatcher = yield* makeDispatcher({ render: renderNotification, notifiers: notifier })
 *   const fiber = yield* Effect.forkChild(dispatcher.run())
 *   // ... on shutdown: in-flight deliveries finish and record, then the fiber ends
 *   yield* Fiber.interrupt(fiber)
 * })
 * ```
 */
export const makeDispatcher = (options: DispatcherOptions): Effect.Effect<Dispatcher, InvalidDispatcherSettings> =>
  Effect.gen(function*() {
    const settings = yield* Effect.fromResult(dispatcherSettings(options))
    const schedule = options.retrySchedule ?? retrySchedule(settings.retry)
    const { render, notifiers } = options

    const notifierFor = (channel: string): Notifier["Service"] | undefined =>
      isSingleNotifier(notifiers) ? notifiers : notifiers.get(channel)

    /** The outcome of one attempt, or why none was made; never fails. */
    const attempt = (claimed: ClaimedMessage) =>
      Effect.gen(function*() {
        const rendered = yield* Effect.result(render(claimed.message))
        if (Result.isFailure(rendered)) {
          return { _tag: "PermanentFailure", reason: `the message could not be rendered: ${rendered.failure.reason}` } as const
        }
        const notifier = notifierFor(rendered.success.channel)
        if (notifier === undefined) {
          return { _tag: "PermanentFailure", reason: `no notifier for channel ${JSON.stringify(rendered.success.channel)}` } as const
        }
        const now = yield* Clock.currentTimeMillis
        const budget = Math.min(
          settings.deliveryTimeoutMillis,
          DateTime.toEpochMillis(claimed.leaseUntil) - settings.recordingMarginMillis - now
        )
        if (budget <= 0) return { _tag: "RetryableFailure", reason: "not attempted: too little of the lease was left" } as const
        const outcome = yield* notifier.deliver(rendered.success).pipe(Effect.timeoutOption(budget))
        return Option.getOrElse(outcome, (): DeliveryOutcome => ({
          _tag: "RetryableFailure",
          reason: `no outcome within ${budget} ms; the attempt was cut off (the receiver may have acted on it)`
        }))
      })

    /**
     * What to record for an outcome under the claim's lease, and what the
     * message comes to when a failure is dead-lettered whatever the outbox
     * says (a permanent failure).
     */
    const settlementFor = (claimed: ClaimedMessage, outcome: DeliveryOutcome) =>
      Effect.gen(function*() {
        const { lease, message } = claimed
        const now = yield* Clock.currentTimeMillis
        const deadLetter = (error: string): Settlement => ({
          _tag: "Fail",
          lease,
          failure: { error, retryAt: DateTime.makeUnsafe(now), permanent: true }
        })
        switch (outcome._tag) {
          case "Delivered":
            return {
              _tag: "Ack",
              lease,
              details: outcome.receiverId === undefined ? {} : { receiverId: outcome.receiverId }
            } satisfies Settlement as Settlement
          case "PermanentFailure":
            return deadLetter(outcome.reason)
          case "RetryableFailure": {
            const asked = outcome.retryAfter ?? 0
            if (asked > settings.retry.maxRetryAfterMillis) {
              return deadLetter(
                `${outcome.reason}; the receiver asked to wait ${asked} ms, more than retry.maxRetryAfterMillis (${settings.retry.maxRetryAfterMillis})`
              )
            }
            const delay = yield* retryDelay(schedule, message.attempts, now)
            if (Option.isNone(delay)) return deadLetter(`${outcome.reason}; no retries left after ${message.attempts} attempt(s)`)
            const retryAt = DateTime.makeUnsafe(now + Math.max(Math.ceil(delay.value), asked))
            return { _tag: "Fail", lease, failure: { error: outcome.reason, retryAt } } satisfies Settlement as Settlement
          }
        }
      })

    const settledOf = (result: SettleResult): Settled => {
      if (Result.isFailure(result)) return "leaseLost"
      return result.success === "pending" ? "retried" : result.success
    }

    /** Records a group of outcomes with one `settle`; a failing outbox leaves the whole group unrecorded. */
    const recordGroup = (group: ReadonlyArray<readonly [ClaimedMessage, Settlement]>, progress: (counts: DispatchCounts) => void) =>
      Effect.gen(function*() {
        const outbox = yield* Outbox
        const results = yield* Effect.result(outbox.settle(group.map(([, settlement]) => settlement)))
        if (Result.isSuccess(results)) {
          for (const result of results.success) progress(single(settledOf(result)))
          return
        }
        yield* Effect.logWarning("dispatcher: outcomes could not be recorded; their messages come back when their leases end", {
          messageIds: group.map(([claimed]) => `${claimed.message.tenantId}/${claimed.message.id}`),
          error: results.failure.message
        })
        for (const _ of group) progress(single("unrecorded"))
      })

    const claimBatch = Effect.gen(function*() {
      const outbox = yield* Outbox
      return yield* outbox.claim({
        topic: settings.topic,
        tenantId: settings.tenantId,
        limit: settings.batchSize,
        leaseMillis: settings.leaseMillis
      })
    })

    /**
     * Delivers a claimed batch; `progress` sees each message's result as it
     * is recorded. Outcomes are recorded in groups: a recorder takes every
     * outcome that has come in, records them with one `settle` (one
     * transaction), then takes the ones that came in meanwhile. It never
     * waits for more to come, so an outcome is recorded as soon as the
     * write before it ends, as early as recording one by one would.
     */
    const deliverBatch = (batch: ReadonlyArray<ClaimedMessage>, progress: (counts: DispatchCounts) => void) =>
      Effect.gen(function*() {
        const outcomes = yield* Queue.unbounded<readonly [ClaimedMessage, Settlement]>()
        const recorder = yield* Effect.forkChild(Effect.gen(function*() {
          let left = batch.length
          while (left > 0) {
            const first = yield* Queue.takeAll(outcomes)
            // Outcomes that completed in the same turn join the group.
            yield* Effect.yieldNow
            const group = [...first, ...(yield* Queue.clear(outcomes))]
            left -= group.length
            yield* recordGroup(group, progress)
          }
        }))
        yield* Effect.forEach(
          batch,
          (claimed) =>
            attempt(claimed).pipe(
              Effect.flatMap((outcome) => settlementFor(claimed, outcome)),
              Effect.flatMap((settlement) => Queue.offer(outcomes, [claimed, settlement] as const))
            ),
          { concurrency: settings.concurrency, discard: true }
        )
        yield* Fiber.join(recorder)
      })

    const runOnce = Effect.gen(function*() {
      const batch = yield* claimBatch
      let counts: DispatchCounts = { ...emptyDispatchCounts, claimed: batch.length }
      yield* deliverBatch(batch, (settled) => {
        counts = addCounts(counts, settled)
      })
      return counts
    })

    const drain = Effect.gen(function*() {
      let total = emptyDispatchCounts
      for (;;) {
        const counts = yield* runOnce
        total = addCounts(total, counts)
        if (counts.claimed === 0) return total
      }
    })

    const run = (runOptions: RunOptions = {}): Effect.Effect<DispatchCounts, never, Outbox> =>
      Effect.gen(function*() {
        const stop = yield* Deferred.make<void>()
        if (runOptions.until !== undefined) {
          yield* Effect.forkChild(Effect.andThen(runOptions.until, Deferred.succeed(stop, undefined)))
        }
        const grace = Effect.andThen(Deferred.await(stop), Effect.sleep(Duration.millis(settings.gracePeriodMillis)))
        let total = emptyDispatchCounts
        const pause = Effect.raceFirst(Effect.sleep(Duration.millis(settings.pollMillis)), Deferred.await(stop))
        while (!(yield* Deferred.isDone(stop))) {
          const claimed = yield* Effect.result(claimBatch)
          if (Result.isFailure(claimed)) {
            yield* Effect.logWarning("dispatcher: claiming failed; trying again after pollMillis", { error: claimed.failure.message })
            yield* pause
            continue
          }
          const batch = claimed.success
          let counts: DispatchCounts = { ...emptyDispatchCounts, claimed: batch.length }
          if (batch.length > 0) {
            // The batch runs in its own fiber, so that a stop (or an interruption
            // of run) lets it finish within the grace period instead of cutting it off.
            const fiber = yield* Effect.forkDetach(deliverBatch(batch, (settled) => {
              counts = addCounts(counts, settled)
            }))
            const finishWithin = (millis: number) =>
              Effect.andThen(Effect.timeoutOption(Fiber.await(fiber), Duration.millis(millis)), Fiber.interrupt(fiber))
            yield* Effect.raceFirst(Fiber.await(fiber), grace).pipe(
              Effect.andThen(Fiber.interrupt(fiber)),
              Effect.onInterrupt(() => finishWithin(settings.gracePeriodMillis))
            )
            total = addCounts(total, counts)
            if (runOptions.onBatch !== undefined) yield* runOptions.onBatch(counts)
          }
          if (batch.length < settings.batchSize) yield* pause
        }
        return total
      })

    return { settings, runOnce, drain, run }
  })
