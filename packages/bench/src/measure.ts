/**
 * One measurement in a process of its own, so that its peak RSS is the
 * contender's alone: either append the whole workload to a fresh target, or
 * read everything back from a target filled by an append run; or, for the
 * calls-import rows, import the calls history into a fresh database or
 * refresh it with one more day (see calls/measureCalls.ts). Started by
 * main.ts with `fork`, compiled to dist/measure.js (see ChildBuild.ts);
 * reports one {@link MeasureReply} over the IPC channel.
 *
 * Arguments: <contender-id> <append|read> <target as JSON>,
 * <calls-contender-id> <import|refresh> <calls target as JSON>, or `- reference`.
 *
 * @module
 */
import { canonicalJson } from "@community-policing/core"
import type { CallsTarget } from "./calls/CallsWorkload.ts"
import { type CallsMeasurement, measureCalls } from "./calls/measureCalls.ts"
import type { ReadView, Target } from "./Contender.ts"
import { contenders } from "./Contenders.ts"
import { type Batch, BATCH_SIZE, batchAt, batches, TOTAL_EVENTS } from "./Workload.ts"

/** What one measurement found. */
export interface Measurement {
  /** Milliseconds inside the timed calls. */
  readonly millis: number
  readonly events: number
  /** The process's peak resident set size (getrusage maxRSS, Linux's VmHWM) right after the timed part. */
  readonly peakRssBytes: number
}

/** The child's one message to main.ts. */
export type MeasureReply =
  | { readonly ok: true; readonly measurement: Measurement }
  | { readonly ok: true; readonly reference: Reference }
  | { readonly ok: true; readonly calls: CallsMeasurement }
  | { readonly ok: false; readonly error: string }

export type Phase = "append" | "read"

/** What the reference child found: the floor every contender's RSS stands on. */
export interface Reference {
  /** Peak RSS once the child's modules (core, effect) are loaded. */
  readonly loadedRssBytes: number
  /** Peak RSS after building every batch, as an append child does, storing nothing. */
  readonly builtRssBytes: number
  /** How long building every batch (envelopes and hashes) took: what append timings leave out. */
  readonly buildMillis: number
}

const peakRssBytes = () => process.resourceUsage().maxRSS * 1024

/**
 * Appends every batch; only the `append` calls are timed (building a batch's
 * envelopes and hashes, and turning it into the contender's input, are not).
 */
const appendAll = async (id: string, target: Target): Promise<Measurement> => {
  const writer = await (await entry(id).load()).openWriter(target)
  let millis = 0
  let events = 0
  for (const batch of batches()) {
    const prepared = writer.prepare(batch)
    const start = performance.now()
    await writer.append(prepared)
    millis += performance.now() - start
    events += batch.events.length
  }
  const measurement = { millis, events, peakRssBytes: peakRssBytes() }
  await writer.close()
  return measurement
}

/** Checks a page of views against the workload events it should hold, from `ordinal` (0-based, append order) on. */
const checkPage = (views: ReadonlyArray<ReadView>, ordinal: number): void => {
  const batchesUsed = new Map<number, Batch>()
  const expectedAt = (position: number) => {
    const index = Math.floor(position / BATCH_SIZE)
    const batch = batchesUsed.get(index) ?? batchAt(index)
    batchesUsed.set(index, batch)
    return batch.events[position % BATCH_SIZE]!
  }
  views.forEach((view, index) => {
    const expected = expectedAt(ordinal + index)
    const same = view.streamId === expected.streamId &&
      view.streamVersion === expected.streamVersion &&
      view.eventId === expected.eventId &&
      view.eventType === expected.eventType &&
      view.hash === expected.hash &&
      canonicalJson(view.data) === canonicalJson(expected.data)
    if (!same) {
      throw new Error(
        `event ${ordinal + index} read back as ${JSON.stringify(view)}, expected ${expected.streamId} v${expected.streamVersion}`
      )
    }
  })
}

/**
 * Reads every event back, page by page, fully decoded; the whole loop is
 * timed. Then checks the count, that positions only grow, and the first and
 * last pages field by field against the workload.
 */
const readAll = async (id: string, target: Target): Promise<Measurement> => {
  const reader = await (await entry(id).load()).openReader(target)
  let events = 0
  let lastPosition = 0
  let firstPage: ReadonlyArray<unknown> = []
  let lastPage: ReadonlyArray<unknown> = []
  const start = performance.now()
  for await (const page of reader.pages()) {
    const first = reader.view(page[0]).globalPosition
    if (first <= lastPosition) throw new Error(`a page starts at position ${first}, after ${lastPosition}`)
    lastPosition = reader.view(page[page.length - 1]).globalPosition
    if (events === 0) firstPage = page
    lastPage = page
    events += page.length
  }
  const millis = performance.now() - start
  const measurement = { millis, events, peakRssBytes: peakRssBytes() }
  if (events !== TOTAL_EVENTS) throw new Error(`read ${events} events, expected ${TOTAL_EVENTS}`)
  checkPage(firstPage.map(reader.view), 0)
  checkPage(lastPage.map(reader.view), events - lastPage.length)
  await reader.close()
  return measurement
}

/** Builds the workload and stores nothing. */
const reference = (): Reference => {
  const loadedRssBytes = peakRssBytes()
  const start = performance.now()
  let events = 0
  for (const batch of batches()) events += batch.events.length
  const buildMillis = performance.now() - start
  if (events !== TOTAL_EVENTS) throw new Error(`built ${events} events`)
  return { loadedRssBytes, builtRssBytes: peakRssBytes(), buildMillis }
}

const entry = (id: string) => {
  const found = contenders.find((contender) => contender.id === id)
  if (found === undefined) throw new Error(`no contender ${JSON.stringify(id)}`)
  return found
}

const describe = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : typeof cause === "object" ? JSON.stringify(cause) : String(cause)

const main = async () => {
  const [id = "", phase = "", targetJson = "{}"] = process.argv.slice(2)
  const target: unknown = JSON.parse(targetJson)
  let reply: MeasureReply
  try {
    if (phase === "reference") reply = { ok: true, reference: reference() }
    else if (phase === "append") reply = { ok: true, measurement: await appendAll(id, target as Target) }
    else if (phase === "read") reply = { ok: true, measurement: await readAll(id, target as Target) }
    else if (phase === "import" || phase === "refresh") {
      reply = { ok: true, calls: await measureCalls(id, phase, target as CallsTarget) }
    }
    else throw new Error(`unknown phase ${JSON.stringify(phase)}`)
  } catch (cause) {
    reply = { ok: false, error: describe(cause) }
  }
  // Exit only once the message is out: some drivers keep timers or sockets alive.
  process.send?.(reply, () => process.exit(reply.ok ? 0 : 1))
}

void main()
