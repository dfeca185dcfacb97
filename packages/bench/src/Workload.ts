/**
 * The benchmark's workload: 100,000 events in 1,000 batches of 100, one
 * batch per stream, as the command engine would hand them to an event store:
 * full envelopes with ids, actor, command and correlation ids, and the audit
 * chain's hashes (`hashEvent`, starting from `GENESIS_HASH`).
 *
 * Every process regenerates the same workload from a fixed seed, one batch at
 * a time, so no contender pays for the others' data and the timed sections
 * never include building envelopes or hashing them.
 *
 * @module
 */
import { type EventToAppend, GENESIS_HASH, hashEvent } from "@community-policing/core"
import { DateTime } from "effect"

/** The one tenant every event belongs to. */
export const TENANT_ID = "bench-city"

/** How many streams, and how many events each receives in its one batch. */
export const STREAMS = 1_000
export const BATCH_SIZE = 100
export const TOTAL_EVENTS = STREAMS * BATCH_SIZE

/** How many events each read asks for at a time (our `readAll`'s limit, the raw `LIMIT`, Emmett's `batchSize`). */
export const PAGE_SIZE = 1_000

/** One append: a stream, the version its writer last saw, and the events that follow it. */
export interface Batch {
  readonly streamId: string
  readonly expectedVersion: number
  readonly events: ReadonlyArray<EventToAppend>
}

/** A small deterministic PRNG (mulberry32), so every process builds identical data. */
const randomFrom = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const EVENT_TYPES = [
  "NuisanceCaseOpened",
  "PropertyInspected",
  "NoticeOfViolationServed",
  "CommunityMeetingHeld",
  "AbatementDeadlineSet",
  "CaseNoteAdded"
] as const

const STREETS = ["Del Paso Blvd", "Stockton Blvd", "Franklin Blvd", "Marysville Blvd", "Florin Rd", "Broadway"]
const ISSUES = ["illegal dumping", "loitering", "abandoned vehicle", "graffiti", "noise after 10 pm", "open drug sales"]
const NOTES = [
  "Owner reached by phone; agreed to fence the rear lot and remove debris within 14 days.",
  "Neighbors report repeated late-night gatherings and trash in the alley behind the property.",
  "Inspector observed two inoperable vehicles and an unsecured garage door facing the street.",
  "Meeting with the block captain and the district prosecutor; next check-in set for Friday."
]

const pick = <A>(random: () => number, items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!

/** A UUID-shaped id from the PRNG (format only; uniqueness comes from the seed sequence). */
const uuidFrom = (random: () => number): string => {
  const word = () => Math.floor(random() * 4_294_967_296).toString(16).padStart(8, "0")
  const [a, b, c, d] = [word(), word(), word(), word()]
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6

/** About 300 bytes of JSON: what a nuisance-case event carries. */
const eventData = (random: () => number, caseNumber: number, version: number) => ({
  caseId: `NC-2026-${String(caseNumber).padStart(4, "0")}`,
  parcel: `APN ${String(Math.floor(random() * 1000)).padStart(3, "0")}-0${Math.floor(random() * 900 + 100)}-045-0000`,
  address: `${Math.floor(random() * 9000 + 100)} ${pick(random, STREETS)}`,
  district: `D${Math.floor(random() * 8) + 1}`,
  beat: `${Math.floor(random() * 8) + 1}${pick(random, ["A", "B", "C"])}`,
  issue: pick(random, ISSUES),
  note: pick(random, NOTES),
  callsForService: Math.floor(random() * 40),
  location: { lat: round6(38.5 + random() / 5), lon: round6(-121.5 + random() / 5) },
  step: version
})

const START_MILLIS = Date.UTC(2026, 0, 5, 8, 0, 0)

/** The batch for stream number `index` (0-based): all of that stream's 100 events, hash-chained. */
export const batchAt = (index: number): Batch => {
  const random = randomFrom(index + 1)
  const streamId = `nuisance-case-2026-${String(index + 1).padStart(4, "0")}`
  const commandId = uuidFrom(random)
  const correlationId = uuidFrom(random)
  const actor = `staff:S-${Math.floor(random() * 9000 + 1000)}`
  const recordedAt = DateTime.makeUnsafe(START_MILLIS + index * 60_000)
  const events: Array<EventToAppend> = []
  let previousHash = GENESIS_HASH
  for (let version = 1; version <= BATCH_SIZE; version++) {
    const fields = {
      tenantId: TENANT_ID,
      streamId,
      streamVersion: version,
      eventId: uuidFrom(random),
      eventType: EVENT_TYPES[(index + version) % EVENT_TYPES.length]!,
      schemaVersion: 1,
      data: eventData(random, index + 1, version),
      recordedAt,
      actor,
      commandId,
      correlationId,
      causationId: version === 1 ? null : commandId,
      previousHash
    }
    const hash = hashEvent(fields)
    events.push({ ...fields, hash })
    previousHash = hash
  }
  return { streamId, expectedVersion: 0, events }
}

/** Every batch in append order. */
export function* batches(): Generator<Batch> {
  for (let index = 0; index < STREAMS; index++) yield batchAt(index)
}
