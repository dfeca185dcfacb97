/**
 * The synthetic CAD generator: the same seed writes the same bytes, and the
 * data has the shape the programs need (protected calls at a realistic
 * share, chronic bars and motels, heavy-tailed repeat locations, the
 * preset's districts and beats) once imported with the presets.
 */
import {
  CallAnalytics,
  CallStore,
  locationAddressKey,
  locationDistricts,
  locationPlace,
  sacramento,
  sacramentoCad,
  type StoredCall
} from "@community-policing/core"
import {
  type GeneratedSacramentoCad,
  generateSacramentoCad,
  generatedPlacesMapping,
  type ImportReport,
  type PlacesImportReport,
  sacramentoCadMapping
} from "@community-policing/records-csv"
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { tenantId } from "./support/paths.ts"
import { freshStore, importInto, importPlacesInto, snapshot, withStore } from "./support/stores.ts"

const directory = mkdtempSync(join(tmpdir(), "records-csv-generator-"))
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex")

const generate = (seed: number, calls: number, name: string) =>
  Effect.runPromise(generateSacramentoCad({
    seed,
    calls,
    from: "2024-01-01",
    to: "2024-03-31",
    callsFile: join(directory, `${name}.csv`),
    placesFile: join(directory, `${name}-places.csv`)
  }))

describe("generateSacramentoCad", () => {
  it("writes the same bytes for the same seed, and other bytes for another", async () => {
    await generate(7, 3_000, "a")
    await generate(7, 3_000, "b")
    await generate(8, 3_000, "c")
    assert.strictEqual(sha256(join(directory, "a.csv")), sha256(join(directory, "b.csv")))
    assert.strictEqual(sha256(join(directory, "a-places.csv")), sha256(join(directory, "b-places.csv")))
    assert.notStrictEqual(sha256(join(directory, "a.csv")), sha256(join(directory, "c.csv")))
    const lines = readFileSync(join(directory, "a.csv"), "utf8").split("\n")
    assert.strictEqual(
      lines[0],
      "Record_ID,Call_Type,Description,Report_Created,Location,Police_District,Beat,Day_of_Week,Cleared_By,Cleared_By_Desc," +
        "Occurrence_Date,Received_Date,Dispatch_Date,Enroute_Date,At_Scene_Date,Clear_Date,ObjectID,X,Y"
    )
    assert.strictEqual(lines.length, 3_002)
  })

  it("with victimColumn, adds Caller_Is_Victim (Y for protected call types) and leaves every other column as it was", async () => {
    await generate(7, 500, "plain")
    await Effect.runPromise(generateSacramentoCad({
      seed: 7,
      calls: 500,
      from: "2024-01-01",
      to: "2024-03-31",
      callsFile: join(directory, "victim.csv"),
      victimColumn: true
    }))
    const plain = readFileSync(join(directory, "plain.csv"), "utf8").trimEnd().split("\n")
    const withColumn = readFileSync(join(directory, "victim.csv"), "utf8").trimEnd().split("\n")
    assert.strictEqual(withColumn[0], `${plain[0]},Caller_Is_Victim`)
    assert.deepStrictEqual(withColumn.map((line) => line.slice(0, line.lastIndexOf(","))), plain)
    const flags = new Set(withColumn.slice(1).map((line) => line.slice(line.lastIndexOf(",") + 1)))
    assert.deepStrictEqual([...flags].sort(), ["N", "Y"])
    assert.isTrue(withColumn.some((line) => line.includes("DISTURBANCE-DOMESTIC VIOLENCE") && line.endsWith(",Y")))
  })

  it("refuses impossible options", async () => {
    const exit = await Effect.runPromiseExit(
      generateSacramentoCad({ seed: 1, calls: 10, from: "2024-03-01", to: "2024-02-30", callsFile: join(directory, "x.csv") })
    )
    assert.match(JSON.stringify(exit), /GeneratorError/)
  })

  describe("imported with the presets", () => {
    let generated: GeneratedSacramentoCad
    let places: PlacesImportReport
    let report: ImportReport
    let calls: ReadonlyArray<StoredCall>
    const store = freshStore()

    beforeAll(async () => {
      generated = await generate(42, 8_000, "shape")
      places = await importPlacesInto(await store, { tenantId, mapping: generatedPlacesMapping, file: join(directory, "shape-places.csv") })
      report = await importInto(await store, {
        tenantId,
        jurisdiction: sacramento,
        mapping: sacramentoCadMapping,
        codeTables: [sacramentoCad],
        file: join(directory, "shape.csv")
      })
      calls = (await snapshot(await store)).calls
    }, 120_000)

    it("imports every call, the ones whose victim address was blanked at no place but in their beats", () => {
      assert.deepStrictEqual([places.read, places.upserted, places.quarantined], [generated.places, generated.places, 0])
      assert.deepStrictEqual([report.read, report.imported, report.duplicates, report.quarantined], [8_000, 8_000, 0, 0])
      assert.isAbove(generated.blankedAddresses, 0)
      const unaddressed = calls.filter((call) => locationAddressKey(call.call.location) === undefined)
      assert.strictEqual(unaddressed.length, generated.blankedAddresses)
      assert.isTrue(unaddressed.every((call) => locationDistricts(call.call.location)?.beat !== undefined))
    })

    it("has a realistic share of protected calls and every channel the preset infers", () => {
      const protectedCalls = calls.filter((call) => call.call.domesticViolenceOrVictimization || call.call.medical || call.call.fireOrEms)
      const share = protectedCalls.length / calls.length
      assert.isTrue(share > 0.1 && share < 0.25, `protected share ${share}`)
      assert.isTrue(calls.some((call) => call.call.domesticViolenceOrVictimization))
      assert.isTrue(calls.some((call) => call.call.medical))
      const channels = new Set(calls.map((call) => call.call.channel))
      assert.deepStrictEqual([...channels].sort(), ["911", "officer-initiated", "other"])
    })

    it("places calls in the preset's districts and beats, in time order, within the dates asked", () => {
      const beats = new Map(sacramento.policeDistricts.flatMap((district) => district.beats.map((beat) => [beat.id, district.id])))
      for (const call of calls) {
        const districts = locationDistricts(call.call.location)
        assert.strictEqual(beats.get(districts?.beat ?? ""), districts?.policeDistrict)
        assert.isTrue(call.serviceDay >= "2024-01-01" && call.serviceDay <= "2024-03-31")
      }
      const times = calls.map((call) => call.call.receivedAt.epochMilliseconds)
      assert.isTrue(times.every((time, index) => index === 0 || time >= (times[index - 1] ?? 0)))
      assert.isAbove(calls.filter((call) => locationPlace(call.call.location)?.coordinates !== undefined).length, 0.95 * calls.length)
    })

    it("has chronic bars and motels with many non-protected calls, among heavy-tailed repeat locations", async () => {
      assert.isNotEmpty(generated.chronicPlaces)
      const port = await withStore(await store, Effect.gen(function*() {
        const callStore = yield* CallStore
        const analytics = yield* CallAnalytics
        const chronic = yield* Effect.forEach(generated.chronicPlaces, (address) =>
          Effect.all({
            place: callStore.place(tenantId, address),
            calls: callStore.callsAt(tenantId, address, { fromDay: "2024-01-01", toDay: "2024-03-31" })
          }))
        const window = { endDay: "2024-03-31", days: 91 }
        const top = yield* analytics.repeatLocations(tenantId, { window, minCount: 1, limit: 10 })
        const concentration = yield* analytics.concentration(tenantId, { window, topPercent: 5 })
        return { chronic, top, concentration }
      }))
      for (const { place } of port.chronic) {
        const landUse = Option.getOrUndefined(place)?.landUse
        assert.isTrue(landUse?._tag === "non-residential" && (landUse.kind === "bar" || landUse.kind === "motel-hotel"))
        if (landUse?._tag === "non-residential" && landUse.kind === "motel-hotel") assert.isAbove(landUse.rooms ?? 0, 0)
      }
      const nonProtected = port.chronic.map(({ calls }) =>
        calls.filter((call) => !call.call.domesticViolenceOrVictimization && !call.call.medical).length
      )
      assert.isAbove(Math.max(...nonProtected), 30)
      const chronic = new Set(generated.chronicPlaces)
      assert.isTrue(port.top.some((entry) => chronic.has(entry.key)))
      assert.isAbove(port.concentration.share, 0.25)
    })
  })
})
