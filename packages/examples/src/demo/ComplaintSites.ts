/**
 * Where the demo's complaint-driven cases are: real entries of the imported
 * places registry, one per complaint, in the council district the case is
 * for and of the land use the complaint is about (a store for dumping
 * behind it, a house for a dangerous building or squatters). Reading the
 * registry file picks the rows; the calls-for-service store then confirms
 * each one, with the council district the import gave it from the
 * configured boundaries, so a case and the registry never disagree.
 *
 * @module
 */
import { Effect, Option, Result, Schema } from "effect"
import { CallStore, districtsAt, type Jurisdiction, normalizeAddress, type Place } from "@community-policing/core"
import { generatedPlacesMapping, type LandUseValue } from "@community-policing/records-csv"
import { readFileSync } from "node:fs"

/** What a complaint needs of its site: a council district and a land use, in order of preference. */
export interface SiteWanted {
  readonly district: string
  readonly uses: ReadonlyArray<LandUseValue>
}

/**
 * No place of the registry fits a complaint, or the one chosen is not in the
 * store with that district: the demo cannot open the case there.
 */
export class NoComplaintSite extends Schema.TaggedError<NoComplaintSite>()("NoComplaintSite", {
  district: Schema.String,
  uses: Schema.Array(Schema.String),
  reason: Schema.String
}) {}

interface RegistryRow {
  readonly address: string
  readonly use: LandUseValue | undefined
  readonly district: string | undefined
}

// The generated registry is this mapping's layout; its columns are read by
// the mapping's names, and the generator writes no quoted cells.
const registryRows = (file: string, jurisdiction: Jurisdiction): ReadonlyArray<RegistryRow> => {
  const fields = generatedPlacesMapping.fields
  const coordinates = fields.coordinates
  const [headerLine = "", ...lines] = readFileSync(file, "utf8").split(/\r?\n/)
  const header = headerLine.split(",")
  const column = (name: string | undefined) => (name === undefined ? -1 : header.indexOf(name))
  const address = column(fields.address)
  const use = column(fields.landUse.column)
  const latitude = coordinates !== undefined && "latitude" in coordinates ? column(coordinates.latitude) : -1
  const longitude = coordinates !== undefined && "longitude" in coordinates ? column(coordinates.longitude) : -1
  const values = fields.landUse.values ?? {}
  return lines.flatMap((line): Array<RegistryRow> => {
    const cells = line.split(",")
    // Keys as the import made them, so the store finds the place.
    const normalized = normalizeAddress(cells[address] ?? "")
    if (Result.isFailure(normalized)) return []
    const lat = Number(cells[latitude])
    const lon = Number(cells[longitude])
    const located = Number.isFinite(lat) && Number.isFinite(lon) && cells[latitude] !== "" && cells[longitude] !== ""
    return [{
      address: normalized.success.key,
      use: values[cells[use]?.trim() ?? ""],
      district: located ? districtsAt(jurisdiction, { latitude: lat, longitude: lon }).councilDistrict : undefined
    }]
  })
}

/**
 * Picks a site for each wanted complaint, in order: the first registry row
 * (in file order) in the district with the most preferred land use, never
 * an address already taken or listed in `avoid` (the chronic-caller
 * candidates, whose cases are of another kind). Each pick is confirmed in
 * the store.
 */
export const pickComplaintSites = (options: {
  readonly tenantId: string
  readonly jurisdiction: Jurisdiction
  readonly placesFile: string
  readonly wanted: ReadonlyArray<SiteWanted>
  readonly avoid: ReadonlyArray<string>
}) =>
  Effect.gen(function*() {
    const store = yield* CallStore
    const rows = registryRows(options.placesFile, options.jurisdiction)
    const taken = new Set(options.avoid)
    const sites: Array<Place> = []
    for (const wanted of options.wanted) {
      const row = wanted.uses
        .map((use) => rows.find((candidate) => candidate.district === wanted.district && candidate.use === use && !taken.has(candidate.address)))
        .find((found) => found !== undefined)
      if (row === undefined) {
        return yield* new NoComplaintSite({ district: wanted.district, uses: [...wanted.uses], reason: "no such place in the registry" })
      }
      const place = yield* store.place(options.tenantId, row.address)
      if (Option.isNone(place) || place.value.districts.councilDistrict !== wanted.district) {
        return yield* new NoComplaintSite({
          district: wanted.district,
          uses: [...wanted.uses],
          reason: `${row.address} is ${Option.isNone(place) ? "not in the store" : `in district ${place.value.districts.councilDistrict ?? "none"} there`}`
        })
      }
      taken.add(row.address)
      sites.push(place.value)
    }
    return sites
  })
