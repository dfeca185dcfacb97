/**
 * Quarantined rows and personal data (issue 9, item 7): a quarantined row
 * keeps only the text of the columns the mapping reads unless the city asks
 * for whole lines, and its text is confidential, so a public (or staff) view
 * of it never holds the names and phone numbers an export carries in the
 * columns the import ignores.
 */
import { CallStore, QuarantinedRow, redact, sacramento, sacramentoCad } from "@community-policing/core"
import { genericMapping } from "@community-policing/records-csv"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { tenantId } from "./support/paths.ts"
import { freshStore, importInto, importPlacesInto, withStore } from "./support/stores.ts"

const folder = mkdtempSync(join(tmpdir(), "records-csv-privacy-"))
let files = 0
const writeCsv = (lines: ReadonlyArray<string>): string => {
  const file = join(folder, `${++files}.csv`)
  writeFileSync(file, lines.join("\n"))
  return file
}

const mapping = genericMapping({ source: "privacy-test", timeZone: "America/Los_Angeles", codeTables: ["sacramento-cad"] })

// The generic layout, with the columns a real export also carries and the mapping never reads.
const header = "record_id,received_at,channel,call_type_code,call_type_description,priority,disposition,address,beat," +
  "police_district,council_district,neighborhood,latitude,longitude,ucr_ncic,nibrs,caller_is_victim,caller_name,caller_phone,victim_name"
const row = (id: string, receivedAt: string, extra = "") =>
  `${id},${receivedAt},911,415,DISTURBANCE-CLARIFY,2,REPORT,23XX 10TH AVE,3C,3,5,oak-park,38.55,-121.47,,,N,Jane Doe,916-555-0101,John Roe${extra}`

const lines = [
  header,
  row("1", "2024-03-05T10:00:00"),
  row("2", "2024-02-30T10:00:00"),
  row("3", "2024-03-05T10:00:00", ",one field too many")
]

const quarantinedRows = async (keepRawLines: boolean | undefined) => {
  const store = await freshStore()
  const report = await importInto(store, {
    tenantId,
    jurisdiction: sacramento,
    mapping,
    codeTables: [sacramentoCad],
    file: writeCsv(lines),
    ...(keepRawLines === undefined ? {} : { keepRawLines })
  })
  assert.deepStrictEqual([report.imported, report.quarantined], [1, 2])
  return withStore(store, Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 10 })))
}

describe("a quarantined row", () => {
  it("keeps only the mapped columns, as column: value pairs, by default", async () => {
    const [badDate, tooManyFields] = await quarantinedRows(undefined)
    assert.strictEqual(badDate?.rowNumber, 3)
    assert.strictEqual(
      badDate?.raw,
      "record_id: \"2\", received_at: \"2024-02-30T10:00:00\", channel: \"911\", call_type_code: \"415\", " +
        "call_type_description: \"DISTURBANCE-CLARIFY\", priority: \"2\", disposition: \"REPORT\", address: \"23XX 10TH AVE\", " +
        "beat: \"3C\", police_district: \"3\", council_district: \"5\", neighborhood: \"oak-park\", latitude: \"38.55\", " +
        "longitude: \"-121.47\", ucr_ncic: \"\", nibrs: \"\", caller_is_victim: \"N\""
    )
    for (const kept of [badDate?.raw ?? "", tooManyFields?.raw ?? ""]) {
      assert.notInclude(kept, "Jane Doe")
      assert.notInclude(kept, "916-555-0101")
      assert.notInclude(kept, "John Roe")
    }
    // A row that does not split into the header's columns: which text is which column is unknown, so none is kept.
    assert.strictEqual(tooManyFields?.rowNumber, 4)
    assert.strictEqual(tooManyFields?.raw, "")
    assert.strictEqual(tooManyFields?.reason, "has 21 fields where the header has 20")
  })

  it("keeps the whole line when the city asks for raw lines", async () => {
    const [badDate, tooManyFields] = await quarantinedRows(true)
    assert.strictEqual(badDate?.raw, lines[2])
    assert.strictEqual(tooManyFields?.raw, lines[3])
  })

  it("is confidential: redaction removes its text from public and staff views, a prosecutor sees it", async () => {
    for (const keepRawLines of [false, true]) {
      const rows = await quarantinedRows(keepRawLines)
      for (const quarantined of rows) {
        const visible = { rowNumber: quarantined.rowNumber, reason: quarantined.reason }
        assert.deepStrictEqual(redact(QuarantinedRow, quarantined, "public"), visible)
        assert.deepStrictEqual(redact(QuarantinedRow, quarantined, "commission"), visible)
        assert.deepStrictEqual(redact(QuarantinedRow, quarantined, "staff"), visible)
        assert.deepStrictEqual(redact(QuarantinedRow, quarantined, "prosecutor"), { ...visible, raw: quarantined.raw })
      }
    }
  })

  it("of a places file keeps only the mapped columns too", async () => {
    const store = await freshStore()
    const file = writeCsv([
      "address,parcel_number,land_use,units,owner_name,owner_phone",
      "1200 J ST,001-0010-001,BAR,,A. Owner,916-555-0199",
      ",001-0010-002,BAR,,B. Owner,916-555-0198"
    ])
    const placesMapping = {
      source: "privacy-places",
      fields: { address: "address", parcelNumber: "parcel_number", landUse: { column: "land_use", values: { BAR: "bar" } }, units: "units" }
    } as const
    const report = await importPlacesInto(store, { tenantId, mapping: placesMapping, file })
    assert.deepStrictEqual([report.upserted, report.quarantined], [1, 1])
    const [blank] = await withStore(
      store,
      Effect.flatMap(CallStore, (calls) => calls.quarantined(tenantId, report.importId, { afterRow: 0, limit: 10 }))
    )
    assert.strictEqual(blank?.raw, "address: \"\", parcel_number: \"001-0010-002\", land_use: \"BAR\", units: \"\"")
  })
})
