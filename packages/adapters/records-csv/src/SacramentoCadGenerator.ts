/**
 * A seeded generator of synthetic calls for service in Sacramento's
 * open-data CAD layout, with a matching places registry: realistic enough
 * to exercise imports, analytics and the chronic-nuisance rules at scale,
 * the same byte for byte for the same seed.
 *
 * What it models (DOMAIN.md section 5 and the kernel's `sacramento` preset):
 *
 * - the call-type mix of Sacramento's 2019-2024 CAD data, in proportion to
 *   its published counts, plus the protected types the city's code table
 *   knows (domestic violence and family disturbances, assaults, medical aid,
 *   welfare checks, injury collisions): about 16% of calls are protected;
 * - the 6 police districts and 19 beats of the `sacramento` preset;
 * - repeat locations: each place's share of calls is heavy-tailed (Pareto),
 *   and a third of the bars and motels are chronic callers, with many times
 *   their share of calls and mostly disturbance and suspicious-person calls;
 * - block-masked homes (`23XX 10TH AVE`), while businesses and apartment
 *   complexes appear at their street address so the registry matches them;
 *   traffic stops mostly at intersections; a few victim addresses blanked,
 *   as the city does (those rows are quarantined on import);
 * - a daily rhythm (quiet before dawn, busy in the evening), dispatch,
 *   en-route, on-scene and clear times after the received time, X/Y in
 *   California State Plane zone 2 feet (a few blank, as ungeocoded calls are).
 *
 * Memory stays flat whatever the number of calls: the places (at most
 * 40,000) are built up front, the calls are written as they are drawn, in
 * time order, with back-pressure from the file.
 *
 * @module
 */
import { isCalendarDate, sacramento } from "@community-policing/core"
import { once } from "node:events"
import { createWriteStream, type WriteStream } from "node:fs"
import { Effect, Result, Schema } from "effect"
import { makeProjection, type Projection } from "./CoordinateSystem.ts"
import { AliasTable, Prng, WeightedChoice } from "./internal/Prng.ts"
import { makeZoneClock, type ZoneClock } from "./ZoneClock.ts"

/** What to generate. */
export interface GenerateSacramentoCadOptions {
  /** The seed: the same seed and options give the same files, byte for byte. */
  readonly seed: number
  /** How many calls. */
  readonly calls: number
  /** The first local day (`YYYY-MM-DD`, America/Los_Angeles). */
  readonly from: string
  /** The last local day, included. */
  readonly to: string
  /** Where to write the calls CSV (the `sacramentoCadMapping` layout). */
  readonly callsFile: string
  /** Where to write the places registry CSV (the `generatedPlacesMapping` layout), if wanted. */
  readonly placesFile?: string | undefined
  /**
   * Add a last column `Caller_Is_Victim` (`Y` for the call types the
   * generator treats as protected, `N` otherwise; no random draw, so the
   * other columns stay the same for a seed). Sacramento's own export has no
   * such column; without one, no call where someone may be the victim can
   * count toward a chronic-nuisance designation (Gov. Code 53165). Read it
   * with `sacramentoCadMappingWithVictimColumn`. Default: absent.
   */
  readonly victimColumn?: boolean | undefined
}

/** What was generated. */
export interface GeneratedSacramentoCad {
  readonly calls: number
  readonly places: number
  /** Calls whose address was blanked (they are imported at no place, counted in their beats). */
  readonly blankedAddresses: number
  /** The address keys of the bars and motels generated as chronic callers. */
  readonly chronicPlaces: ReadonlyArray<string>
}

/** The generator could not run: bad options, or a file could not be written. */
export class GeneratorError extends Schema.TaggedError<GeneratorError>()("GeneratorError", {
  message: Schema.String
}) {}

type CallTypeProfile = "general" | "chronic" | "business"

interface CallType {
  readonly code: string
  readonly description: string
  /** Calls per year in Sacramento's data, or this generator's estimate for types outside the published top list. */
  readonly weight: number
  readonly officerInitiated?: boolean
  readonly protectedCall?: boolean
  /** The city blanks the address of some of these (victims' homes). */
  readonly victimAddress?: boolean
}

// The published top eleven (DOMAIN.md section 5) with their counts, then the
// other types the city's code table classifies, at estimated volumes.
const callTypes: readonly [CallType, ...Array<CallType>] = [
  { code: "415", description: "DISTURBANCE-CLARIFY", weight: 248_932 },
  { code: "ADVENT", description: "ADVISED ENTRY", weight: 166_099 },
  { code: "1194", description: "TRAFFIC STOP", weight: 147_036, officerInitiated: true },
  { code: "AUB", description: "ALL UNITS BROADCAST", weight: 138_262 },
  { code: "911INC", description: "INCOMPLETE CALL FOR POLICE", weight: 114_175 },
  { code: "981", description: "WELFARE CHECK", weight: 104_266, protectedCall: true },
  { code: "SUSP", description: "SUSPICIOUS SUBJECT/CIRCUMSTANCE-IN PROGRESS", weight: 67_469 },
  { code: "ALARMS", description: "ALARM-SECURE NO EVID OF CRIME", weight: 46_574 },
  { code: "SUSPV", description: "SUSPICIOUS VEHICLE-OCCUPIED", weight: 41_805 },
  { code: "ERRAND", description: "ERRAND", weight: 37_013 },
  { code: "415DV", description: "DISTURBANCE-DOMESTIC VIOLENCE-VERBAL ONLY", weight: 34_444, protectedCall: true, victimAddress: true },
  { code: "415E", description: "DISTURBANCE-NOISE", weight: 30_000 },
  { code: "945", description: "MEDICAL AID-CLARIFY IN TEXT", weight: 30_000, protectedCall: true },
  { code: "415F", description: "DISTURBANCE-FAMILY", weight: 25_000, protectedCall: true, victimAddress: true },
  { code: "242P", description: "MISDEMEANOR ASSAULT-IN PROGRESS", weight: 15_000, protectedCall: true, victimAddress: true },
  { code: "901A", description: "VEHICLE ACCIDENT-INJURIES", weight: 12_000, protectedCall: true }
]

const byDescription = new Map(callTypes.map((type) => [type.description, type]))
const typeNamed = (description: string): CallType => byDescription.get(description) ?? callTypes[0]

// A chronic bar or motel: mostly the disorder the nuisance rules are about.
const chronicMix: ReadonlyArray<readonly [string, number]> = [
  ["DISTURBANCE-CLARIFY", 40],
  ["DISTURBANCE-NOISE", 18],
  ["SUSPICIOUS SUBJECT/CIRCUMSTANCE-IN PROGRESS", 16],
  ["ALL UNITS BROADCAST", 6],
  ["SUSPICIOUS VEHICLE-OCCUPIED", 5],
  ["MISDEMEANOR ASSAULT-IN PROGRESS", 5],
  ["MEDICAL AID-CLARIFY IN TEXT", 4],
  ["WELFARE CHECK", 3],
  ["ALARM-SECURE NO EVID OF CRIME", 3]
]

const typeChoice = (profile: CallTypeProfile): WeightedChoice<CallType> => {
  if (profile === "chronic") {
    const [first, ...rest] = chronicMix.map(([description, weight]) => [typeNamed(description), weight] as const)
    return new WeightedChoice(first === undefined ? [[callTypes[0], 1]] : [first, ...rest])
  }
  // Businesses do not host family disturbances.
  const types = profile === "business" ? callTypes.filter((type) => type.code !== "415F" && type.code !== "415DV") : callTypes
  const [first, ...rest] = types.map((type) => [type, type.weight] as const)
  return new WeightedChoice(first === undefined ? [[callTypes[0], 1]] : [first, ...rest])
}

type PlaceKind = "SFR" | "APT" | "RETAIL" | "RESTAURANT" | "BAR" | "MOTEL"

interface GeneratedPlace {
  readonly kind: PlaceKind
  readonly number: number
  readonly street: string
  readonly units: number | undefined
  readonly latitude: number
  readonly longitude: number
  readonly x: number | undefined
  readonly y: number | undefined
  readonly policeDistrict: string
  readonly beat: string
  readonly chronic: boolean
  readonly profile: CallTypeProfile
}

const streets: readonly [string, ...Array<string>] = [
  "10TH AVE", "FRANKLIN BLVD", "STOCKTON BLVD", "AUBURN BLVD", "ARDEN WAY", "FREEPORT BLVD", "FLORIN RD", "MACK RD",
  "BROADWAY", "J ST", "K ST", "DEL PASO BLVD", "NORWOOD AVE", "MARYSVILLE BLVD", "EL CAMINO AVE", "FOLSOM BLVD",
  "FRUITRIDGE RD", "47TH AVE", "24TH ST", "MERIDIAN WAY", "GARDEN HWY", "NORTHGATE BLVD", "RIO LINDA BLVD", "COTTAGE WAY",
  "SUTTERVILLE RD", "68TH AVE", "MEADOWVIEW RD", "VALLEY HI DR", "GREENHAVEN DR", "RIVERSIDE BLVD", "CAPITOL AVE",
  "ALHAMBRA BLVD", "H ST", "L ST", "POWER INN RD", "EXPEDITION WAY", "GLORIA DR", "OCCIDENTAL DR", "SPICEWOOD DR",
  "CARLSON DR"
]

const clearances: readonly [readonly [string, string], ...Array<readonly [string, string]>] = [
  ["ADV", "ADVISED"],
  ["GOA", "GONE ON ARRIVAL"],
  ["UTL", "UNABLE TO LOCATE"],
  ["CIT", "CITATION ISSUED"],
  ["ARR", "ARREST MADE"],
  ["CAN", "CANCELLED"],
  ["AST", "ASSISTED"]
]

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const

// Calls per hour of the day, relative: quiet before dawn, busy evenings.
const hourly = [6, 5, 4, 3, 2.5, 2.5, 3, 4, 5, 5.5, 6, 6.5, 7, 7, 7, 7.5, 8, 8.5, 8.5, 8.5, 8, 7.5, 7, 6.5]
const hourlyTotal = hourly.reduce((sum, value) => sum + value, 0)
const hourlyCumulative = hourly.reduce<Array<number>>((acc, value) => [...acc, (acc.at(-1) ?? 0) + value / hourlyTotal], [])

/** The fraction of a day at which a share `q` of its calls has come in. */
const timeOfDay = (q: number): number => {
  let hour = 0
  while (hour < 23 && (hourlyCumulative[hour] ?? 1) <= q) hour++
  const before = hour === 0 ? 0 : (hourlyCumulative[hour - 1] ?? 0)
  const within = ((q - before) * hourlyTotal) / (hourly[hour] ?? 1)
  return Math.min(0.999_999, (hour + Math.min(Math.max(within, 0), 0.999_999)) / 24)
}

const beats = sacramento.policeDistricts.flatMap((district) => district.beats.map((beat) => ({ district: district.id, beat: beat.id })))

// Sacramento's extent; beats get cells of a grid over it, so a beat's calls cluster.
const bounds = { south: 38.44, north: 38.69, west: -121.56, east: -121.36 }
const gridColumns = 5

const pad2 = (value: number): string => String(value).padStart(2, "0")

/** `M/d/yyyy h:mm:ss a`, the wall clock of a UTC instant in Sacramento's zone. */
const formatLocal = (clock: ZoneClock, utcMillis: number): string => {
  const wall = new Date(clock.wallClockMillis(utcMillis))
  const hours = wall.getUTCHours()
  const hour12 = hours % 12 === 0 ? 12 : hours % 12
  return `${wall.getUTCMonth() + 1}/${wall.getUTCDate()}/${wall.getUTCFullYear()} ${hour12}:${pad2(wall.getUTCMinutes())}:${
    pad2(wall.getUTCSeconds())
  } ${hours < 12 ? "AM" : "PM"}`
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, "\"\"")}"` : value)

const writeText = (stream: WriteStream, text: string): Effect.Effect<void, GeneratorError> =>
  Effect.tryPromise({
    try: async () => {
      if (!stream.write(text)) await once(stream, "drain")
    },
    catch: (error) => new GeneratorError({ message: `writing ${String(stream.path)}: ${String(error)}` })
  })

// A write error can surface between two writes, when nobody awaits the
// stream; it is kept here and reported when the stream is closed.
const streamErrors = new WeakMap<WriteStream, unknown>()

const closeStream = (stream: WriteStream): Effect.Effect<void, GeneratorError> =>
  Effect.tryPromise({
    try: () =>
      new Promise<void>((resolve, reject) =>
        stream.end(() => {
          const error = streamErrors.get(stream)
          if (error === undefined) resolve()
          else reject(error)
        })
      ),
    catch: (error) => new GeneratorError({ message: `writing ${String(stream.path)}: ${String(error)}` })
  })

const openStream = (path: string): Effect.Effect<WriteStream, GeneratorError> =>
  Effect.tryPromise({
    try: async () => {
      const stream = createWriteStream(path)
      stream.on("error", (error) => streamErrors.set(stream, error))
      await once(stream, "open")
      return stream
    },
    catch: (error) => new GeneratorError({ message: `opening ${path}: ${String(error)}` })
  })

const kindChoice = new WeightedChoice<PlaceKind>([
  ["SFR", 78],
  ["APT", 8],
  ["RETAIL", 6],
  ["RESTAURANT", 3],
  ["BAR", 2.5],
  ["MOTEL", 2.5]
])

const buildPlaces = (random: Prng, count: number, projection: Projection): Array<GeneratedPlace> => {
  const used = new Set<string>()
  const places: Array<GeneratedPlace> = []
  const rows = Math.ceil(beats.length / gridColumns)
  while (places.length < count) {
    // The first places are a bar and a motel, so even a tiny file has both.
    const kind: PlaceKind = places.length === 0 ? "BAR" : places.length === 1 ? "MOTEL" : kindChoice.sample(random)
    const number = random.between(100, 8999)
    const street = random.pick(streets)
    if (used.has(`${number} ${street}`)) continue
    used.add(`${number} ${street}`)
    const cell = random.int(beats.length)
    const area = beats[cell] ?? { district: "1", beat: "1A" }
    const column = cell % gridColumns
    const row = Math.floor(cell / gridColumns)
    const latitude = bounds.south + ((row + random.float()) / rows) * (bounds.north - bounds.south)
    const longitude = bounds.west + ((column + random.float()) / gridColumns) * (bounds.east - bounds.west)
    const xy = projection.fromWgs84({ latitude, longitude })
    const business = kind === "BAR" || kind === "MOTEL"
    const chronic = business && (places.length < 2 || random.chance(1 / 3))
    places.push({
      kind,
      number,
      street,
      units: kind === "APT" ? random.between(8, 200) : kind === "MOTEL" ? random.between(20, 120) : kind === "SFR" ? 1 : undefined,
      latitude,
      longitude,
      x: Result.isSuccess(xy) ? xy.success[0] : undefined,
      y: Result.isSuccess(xy) ? xy.success[1] : undefined,
      policeDistrict: area.district,
      beat: area.beat,
      chronic,
      profile: chronic ? "chronic" : kind === "SFR" || kind === "APT" ? "general" : "business"
    })
  }
  return places
}

// Pareto (alpha 1.3, capped): most places see a call or two a year, a few
// see hundreds. Chronic places draw eight times their share, which puts
// about a seventh of all calls at a few percent of the bars and motels.
const popularity = (random: Prng, place: GeneratedPlace): number => {
  const base = Math.min(60, Math.pow(1 - random.float(), -1 / 1.3))
  const scale = place.kind === "APT" ? 3 : place.kind === "SFR" ? 1 : 1.5
  return base * scale * (place.chronic ? 8 : 1)
}

/** A street crossing `street`: any other one. */
const crossStreet = (random: Prng, street: string): string => {
  const other = random.pick(streets)
  return other === street ? (streets[(streets.indexOf(other) + 1) % streets.length] ?? other) : other
}

const fullAddress = (place: GeneratedPlace): string => `${place.number} ${place.street}`
const blockAddress = (place: GeneratedPlace): string => `${Math.floor(place.number / 100)}XX ${place.street}`

const placesHeader = "APN,Address,Land_Use,Units,Latitude,Longitude,Police_District,Beat\n"

const placeLine = (place: GeneratedPlace, index: number): string => {
  const apn = `${String(1 + (index % 300)).padStart(3, "0")}-${String(index).padStart(4, "0")}-${
    String(index % 1000).padStart(3, "0")
  }-0000`
  return [
    apn,
    fullAddress(place),
    place.kind,
    place.units === undefined ? "" : String(place.units),
    place.latitude.toFixed(6),
    place.longitude.toFixed(6),
    place.policeDistrict,
    place.beat
  ].join(",") + "\n"
}

const callsHeader = "Record_ID,Call_Type,Description,Report_Created,Location,Police_District,Beat,Day_of_Week,Cleared_By," +
  "Cleared_By_Desc,Occurrence_Date,Received_Date,Dispatch_Date,Enroute_Date,At_Scene_Date,Clear_Date,ObjectID,X,Y\n"

const minute = 60_000
const dayMillis = 86_400_000

const checkOptions = (options: GenerateSacramentoCadOptions): string | undefined => {
  if (!Number.isInteger(options.calls) || options.calls < 0) return `calls must be a whole number, got ${options.calls}`
  if (!Number.isFinite(options.seed)) return `seed must be a number, got ${options.seed}`
  if (!isCalendarDate(options.from) || !isCalendarDate(options.to)) return `from and to must be YYYY-MM-DD dates`
  if (options.to < options.from) return `to (${options.to}) is before from (${options.from})`
  return undefined
}

/**
 * Writes `calls` synthetic calls for service between `from` and `to` in
 * Sacramento's open-data CAD layout (import it with `sacramentoCadMapping`
 * and core's `sacramentoCad` code table), and, when `placesFile` is given, the
 * matching places registry (import it with `generatedPlacesMapping`). The
 * same seed and options always write the same bytes.
 *
 * @example
 * ```ts
 * const generated = yield* generateSacramentoCad({
 *   seed: 42, calls: 200_000, from: "2024-01-01", to: "2024-06-30",
 *   callsFile: "/tmp/cad.csv", placesFile: "/tmp/places.csv"
 * })
 * // generated.chronicPlaces: the bars and motels written as chronic callers
 * ```
 */
export const generateSacramentoCad = (
  options: GenerateSacramentoCadOptions
): Effect.Effect<GeneratedSacramentoCad, GeneratorError> =>
  Effect.gen(function*() {
    const problem = checkOptions(options)
    if (problem !== undefined) return yield* new GeneratorError({ message: problem })
    const clock = makeZoneClock(sacramento.timeZone, "earlier")
    const projection = makeProjection("EPSG:2226")
    if (clock === undefined || Result.isFailure(projection)) {
      return yield* new GeneratorError({ message: "the runtime lacks America/Los_Angeles or proj4 rejects EPSG:2226" })
    }
    const random = new Prng(options.seed)
    const placeCount = Math.min(40_000, Math.max(40, Math.round(options.calls / 6)))
    const places = buildPlaces(random, placeCount, projection.success)
    const placeTable = new AliasTable(places.map((place) => popularity(random, place)))
    const choices: Record<CallTypeProfile, WeightedChoice<CallType>> = {
      general: typeChoice("general"),
      chronic: typeChoice("chronic"),
      business: typeChoice("business")
    }

    if (options.placesFile !== undefined) {
      const out = yield* openStream(options.placesFile)
      yield* writeText(out, placesHeader)
      for (let start = 0; start < places.length; start += 2_000) {
        yield* writeText(out, places.slice(start, start + 2_000).map((place, offset) => placeLine(place, start + offset)).join(""))
      }
      yield* closeStream(out)
    }

    const local = (date: string) => {
      const [year = 0, month = 1, day = 1] = date.split("-").map(Number)
      return { year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }
    }
    const firstDay = Date.UTC(local(options.from).year, local(options.from).month - 1, local(options.from).day)
    const days = Math.round((Date.UTC(local(options.to).year, local(options.to).month - 1, local(options.to).day) - firstDay) / dayMillis) + 1
    const midnightUtc = (dayIndex: number): number => {
      const date = new Date(firstDay + dayIndex * dayMillis)
      const midnight = clock.toUtcMillis({
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0
      })
      // Midnight exists in America/Los_Angeles every day (its changes are at 2 AM).
      return Result.isSuccess(midnight) ? midnight.success : firstDay + dayIndex * dayMillis
    }

    const out = yield* openStream(options.callsFile)
    yield* writeText(out, options.victimColumn === true ? `${callsHeader.slice(0, -1)},Caller_Is_Victim\n` : callsHeader)
    const chronicPlaces = places.filter((place) => place.chronic).map(fullAddress)
    let written = 0
    let blanked = 0
    let sequence = 0
    let sequenceYear = -1
    let lines: Array<string> = []
    for (let dayIndex = 0; dayIndex < days; dayIndex++) {
      const dayStart = midnightUtc(dayIndex)
      const dayLength = midnightUtc(dayIndex + 1) - dayStart
      // Spread the calls evenly over the days, the remainder to the first ones.
      const callsToday = Math.floor(options.calls / days) + (dayIndex < options.calls % days ? 1 : 0)
      for (let index = 0; index < callsToday; index++) {
        const received = dayStart + Math.floor(timeOfDay((index + random.float()) / callsToday) * dayLength / 1000) * 1000
        const place = places[placeTable.sample(random)] ?? places[0]
        if (place === undefined) break
        const type = choices[place.profile].sample(random)
        const year = new Date(clock.wallClockMillis(received)).getUTCFullYear()
        if (year !== sequenceYear) {
          sequenceYear = year
          sequence = 0
        }
        sequence += 1
        written += 1
        const atIntersection = type.officerInitiated === true && random.chance(0.6)
        const blank = type.victimAddress === true && random.chance(0.1)
        if (blank) blanked += 1
        const location = blank
          ? ""
          : atIntersection
          ? `${place.street} / ${crossStreet(random, place.street)}`
          : place.kind === "SFR"
          ? blockAddress(place)
          : fullAddress(place)
        const report = random.chance(type.protectedCall === true ? 0.35 : 0.1)
        const [clearedBy, clearedByDesc] = report ? ["RPT", "REPORT TAKEN"] : random.pick(clearances)
        const occurred = type.officerInitiated === true ? received : received - Math.floor(random.float() * 20 * minute / 1000) * 1000
        const dispatched = type.officerInitiated === true ? received : received + Math.round(random.exponential(8 * minute) / 1000) * 1000
        const enroute = dispatched + Math.round(random.float() * 3 * minute / 1000) * 1000
        const onScene = enroute + Math.round(random.exponential(6 * minute) / 1000) * 1000
        const cleared = onScene + Math.round(random.exponential(25 * minute) / 1000) * 1000
        const hasDispatch = !random.chance(0.02)
        const arrived = clearedBy !== "CAN"
        const geocoded = !random.chance(0.015) && place.x !== undefined && place.y !== undefined
        const jitter = () => (random.float() - 0.5) * 100
        lines.push(
          [
            `${String(sequenceYear % 100).padStart(2, "0")}-${String(sequence).padStart(6, "0")}`,
            type.code,
            type.description,
            report ? "Y" : "N",
            csvField(location),
            place.policeDistrict,
            place.beat,
            weekdays[new Date(clock.wallClockMillis(received)).getUTCDay()] ?? "",
            clearedBy,
            clearedByDesc,
            formatLocal(clock, occurred),
            formatLocal(clock, received),
            hasDispatch ? formatLocal(clock, dispatched) : "",
            hasDispatch ? formatLocal(clock, enroute) : "",
            hasDispatch && arrived ? formatLocal(clock, onScene) : "",
            formatLocal(clock, cleared),
            String(written),
            geocoded ? ((place.x ?? 0) + jitter()).toFixed(2) : "",
            geocoded ? ((place.y ?? 0) + jitter()).toFixed(2) : "",
            ...(options.victimColumn === true ? [type.protectedCall === true ? "Y" : "N"] : [])
          ].join(",") + "\n"
        )
        if (lines.length >= 2_000) {
          yield* writeText(out, lines.join(""))
          lines = []
        }
      }
    }
    yield* writeText(out, lines.join(""))
    yield* closeStream(out)
    return { calls: written, places: places.length, blankedAddresses: blanked, chronicPlaces }
  })
