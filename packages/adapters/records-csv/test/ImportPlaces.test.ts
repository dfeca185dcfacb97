/**
 * The places registry import: land use from a value map, rooms and units,
 * the same quarantine rules as calls, upsert by address, resuming; and calls
 * imported afterwards carrying the registry's land use (unknown when the
 * address is not registered).
 */
import { CallStore, type CodeTable, type StoredCall, locationAddressKey, locationPlace, sacramento } from "@community-policing/core"
import { genericColumns, genericMapping, type PlacesMapping } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { tenantId } from "./support/paths.ts"
import { freshStore, importInto, importPlacesInto, snapshot, withStore } from "./support/stores.ts"

/** The place of a call read back, if any. */
const placeOf = (call: StoredCall | undefined) => call === undefined ? undefined : locationPlace(call.call.location)

/** The address key of a call read back, if any. */
const addressOf = (call: StoredCall | undefined) => call === undefined ? undefined : locationAddressKey(call.call.location)


const licenses: PlacesMapping = {
  source: "business-licenses",
  fields: {
    address: "Address",
    parcelNumber: "APN",
    landUse: { column: "Kind", values: { "BAR/TAVERN": "bar", MOTEL: "motel-hotel", SFR: "residential", APARTMENTS: "residential" } },
    units: "Rooms",
    coordinates: { crs: "EPSG:4326", latitude: "Lat", longitude: "Lon" },
    beat: "Beat"
  }
}

const licensesCsv = [
  "APN,Address,Kind,Rooms,Lat,Lon,Beat",
  "001-0010-001-0000,1000 J Street,BAR/TAVERN,,38.5789,-121.4913,3M",
  "001-0010-002-0000,\"2215 Stockton Boulevard, Suite 4\",MOTEL,42,38.5551,-121.4603,6A",
  "001-0010-003-0000,2316 10th Avenue,SFR,1,38.5399,-121.4802,4A",
  "001-0010-004-0000,,BAR/TAVERN,,38.5,-121.4,3M",
  "001-0010-005-0000,500 K ST,NIGHTCLUB,,38.58,-121.49,3M",
  "001-0010-006-0000,600 L ST,APARTMENTS,ten,38.58,-121.49,3M",
  "001-0010-007-0000,1000 J ST,BAR/TAVERN,0,38.5789,-121.4913,3A",
  "001-0010-008-0000,5800 Franklin Blvd,APARTMENTS,120,,,4B"
].join("\r\n")

// A one-rule table: the calls below only need to be classified by something.
const codes: CodeTable = {
  id: "vendor-codes",
  version: "1",
  description: "Test table",
  rules: [{ id: "noise", field: "callTypeCode", match: "equals", value: "415E", categories: ["disorder"] }]
}

const callsCsv = [
  Object.values(genericColumns).join(","),
  "c-1,2024-05-01T22:10:00-07:00,911,415E,DISTURBANCE-NOISE,2,,1000 J ST,,,,,,,,,N",
  "c-2,2024-05-02T01:15:00,non-emergency,415E,DISTURBANCE-NOISE,3,,2215 STOCKTON BLVD #12,,,,,,,,,",
  "c-3,2024-05-02T09:00:00Z,911,415E,DISTURBANCE-NOISE,3,,77 UNLISTED WAY,,,,,,,,,Y"
].join("\n")

describe("importPlaces", () => {
  it("builds the registry from a value map, quarantining what it cannot read, the later row winning", async () => {
    const directory = mkdtempSync(join(tmpdir(), "records-csv-places-"))
    const file = join(directory, "licenses.csv")
    writeFileSync(file, licensesCsv)
    const store = await freshStore()
    const report = await importPlacesInto(store, { tenantId, mapping: licenses, file, jurisdiction: sacramento })
    assert.deepStrictEqual([report.read, report.upserted, report.quarantined], [8, 5, 3])
    const quarantined = await withStore(
      store,
      Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 10 }))
    )
    assert.deepStrictEqual(quarantined.map((row) => [row.rowNumber, row.reason]), [
      [5, "address: Address is blank"],
      [6, "landUse: \"NIGHTCLUB\" is not in the mapping's value map and there is no default"],
      [7, "units: \"ten\" is not a whole number"]
    ])
    const places = [...(await snapshot(store)).places].sort((a, b) => (a.addressKey < b.addressKey ? -1 : 1))
    assert.deepStrictEqual(places, [
      {
        addressKey: "1000 J ST",
        parcelNumber: "001-0010-007-0000",
        coordinates: { latitude: 38.5789, longitude: -121.4913 },
        landUse: { _tag: "non-residential", kind: "bar" },
        districts: { beat: "3A" }
      },
      {
        addressKey: "2215 STOCKTON BLVD",
        parcelNumber: "001-0010-002-0000",
        coordinates: { latitude: 38.5551, longitude: -121.4603 },
        landUse: { _tag: "non-residential", kind: "motel-hotel", rooms: 42 },
        districts: { beat: "6A" }
      },
      {
        addressKey: "2316 10TH AVE",
        parcelNumber: "001-0010-003-0000",
        coordinates: { latitude: 38.5399, longitude: -121.4802 },
        landUse: { _tag: "residential", units: 1 },
        districts: { beat: "4A" }
      },
      {
        addressKey: "5800 FRANKLIN BLVD",
        parcelNumber: "001-0010-008-0000",
        landUse: { _tag: "residential", units: 120 },
        districts: { beat: "4B" }
      }
    ])

    const again = await importPlacesInto(store, { tenantId, mapping: licenses, file })
    assert.deepStrictEqual(again, { ...report, resumedAfterRow: 9 })
  })

  it("reads rooms let as homes (long-term tenancies): such a motel is a residence for calls-for-service rules (Gov. Code 53165.1)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "records-csv-places-"))
    const file = join(directory, "motels.csv")
    writeFileSync(file, [
      "Address,Kind,Rooms,Lived In",
      "2215 Stockton Blvd,MOTEL,42,6",
      "3555 Auburn Blvd,MOTEL,40,unknown",
      "100 Main St,MOTEL,30,0",
      "200 Main St,MOTEL,30,",
      "300 Main St,MOTEL,30,some"
    ].join("\n"))
    const store = await freshStore()
    const mapping: PlacesMapping = {
      source: "motels",
      fields: { address: "Address", landUse: { column: "Kind", values: { MOTEL: "motel-hotel" } }, units: "Rooms", longTermTenancies: "Lived In" }
    }
    const report = await importPlacesInto(store, { tenantId, mapping, file })
    assert.deepStrictEqual([report.read, report.upserted, report.quarantined], [5, 4, 1])
    const quarantined = await withStore(
      store,
      Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 10 }))
    )
    assert.deepStrictEqual(quarantined.map((row) => row.reason), ["longTermTenancies: \"some\" is not a whole number or unknown"])
    const landUse = new Map((await snapshot(store)).places.map((place) => [place.addressKey, place.landUse]))
    assert.deepStrictEqual(landUse.get("2215 STOCKTON BLVD"), { _tag: "non-residential", kind: "motel-hotel", rooms: 42, longTermTenancies: { rooms: 6 } })
    assert.deepStrictEqual(landUse.get("3555 AUBURN BLVD"), { _tag: "non-residential", kind: "motel-hotel", rooms: 40, longTermTenancies: { rooms: "unknown" } })
    assert.deepStrictEqual(landUse.get("100 MAIN ST"), { _tag: "non-residential", kind: "motel-hotel", rooms: 30 })
    assert.deepStrictEqual(landUse.get("200 MAIN ST"), { _tag: "non-residential", kind: "motel-hotel", rooms: 30 })
  })

  it("gives calls imported afterwards the registry's land use, and unknown land use elsewhere", async () => {
    const directory = mkdtempSync(join(tmpdir(), "records-csv-places-"))
    writeFileSync(join(directory, "licenses.csv"), licensesCsv)
    writeFileSync(join(directory, "calls.csv"), callsCsv)
    const store = await freshStore()
    await importPlacesInto(store, { tenantId, mapping: licenses, file: join(directory, "licenses.csv") })
    const report = await importInto(store, {
      tenantId,
      jurisdiction: sacramento,
      mapping: genericMapping({ source: "vendor-x", timeZone: "America/Los_Angeles", codeTables: ["vendor-x"] }),
      codeTables: [{ ...codes, id: "vendor-x" }],
      file: join(directory, "calls.csv")
    })
    assert.deepStrictEqual([report.read, report.imported, report.quarantined], [3, 3, 0])
    const calls = new Map((await snapshot(store)).calls.map((call) => [call.call.sourceRecordId, call]))
    assert.deepStrictEqual(placeOf(calls.get("c-1"))?.landUse, { _tag: "non-residential", kind: "bar" })
    assert.deepStrictEqual(placeOf(calls.get("c-2"))?.landUse, { _tag: "non-residential", kind: "motel-hotel", rooms: 42 })
    assert.strictEqual(addressOf(calls.get("c-2")), "2215 STOCKTON BLVD")
    assert.strictEqual(calls.get("c-2")?.call.receivedAt.toJSON(), "2024-05-02T08:15:00.000Z")
    assert.isUndefined(placeOf(calls.get("c-3")))
    assert.deepStrictEqual(
      [calls.get("c-1")?.call.callerIsVictim, calls.get("c-2")?.call.callerIsVictim, calls.get("c-3")?.call.callerIsVictim],
      [false, false, true]
    )
    // Only an explicit N shows the caller was not the victim; a blank cell cannot say (Gov. Code 53165: fail closed).
    assert.deepStrictEqual(
      [calls.get("c-1")?.call.callerNotVictim, calls.get("c-2")?.call.callerNotVictim, calls.get("c-3")?.call.callerNotVictim],
      [true, undefined, false]
    )
    const registered = await withStore(store, Effect.flatMap(CallStore, (port) => port.place(tenantId, "77 UNLISTED WAY")))
    assert.isTrue(Option.isNone(registered))
  })
})
