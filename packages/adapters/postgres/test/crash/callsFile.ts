/**
 * The records file of the call-import crash test, the same on every run: a
 * rerun sends exactly what a killed run may have committed. Each batch
 * covers 100 source rows: 95 calls (the first 10 repeat keys of the batch
 * before, as overlapping exports do) and 5 quarantined rows.
 */
import type { ImportBatch, QuarantinedRow, StoredCall } from "@community-policing/core"
import { addDays, makeStoredCall } from "@community-policing/testkit"

/** The import's id. */
export const importId = "sacramento-cad:2026-03.csv"

/** Source rows per batch; row 1 is the header, so batch k commits through row 1 + (k + 1) * 100. */
export const rowsPerBatch = 100

/** The calls of batch `batch`: keys 85 * batch to 85 * batch + 94, so the first 10 repeat the batch before. */
const batchCalls = (batch: number): ReadonlyArray<StoredCall> =>
  Array.from({ length: 95 }, (_, index) => {
    const key = 85 * batch + index
    return makeStoredCall({
      dedupeKey: `id:cad:${key}`,
      addressKey: `${(key * 13) % 60} K ST`,
      serviceDay: addDays("2026-01-01", key % 90),
      channel: key % 3 === 0 ? "911" : "non-emergency",
      categories: key % 4 === 0 ? ["disorder", "nuisance"] : ["disorder"],
      districts: { beat: `${key % 5}B`, councilDistrict: `${key % 8}` }
    })
  })

/** The rows batch `batch` sets aside: its last five source rows. */
const batchQuarantined = (batch: number): ReadonlyArray<QuarantinedRow> =>
  Array.from({ length: 5 }, (_, index) => {
    const rowNumber = 1 + (batch + 1) * rowsPerBatch - index
    return { rowNumber, raw: `${rowNumber},13/45/2026 9:00,415`, reason: `receivedAt is not a date, row ${rowNumber}` }
  })

/** Batch `batch` of the import. */
export const callBatch = (batch: number): ImportBatch => ({
  importId,
  throughRow: 1 + (batch + 1) * rowsPerBatch,
  calls: batchCalls(batch),
  quarantined: batchQuarantined(batch)
})

/** The first batch an import at `throughRow` (0 when it never committed) still has to send. */
export const nextBatch = (throughRow: number): number => Math.max(0, (throughRow - 1) / rowsPerBatch)
