/**
 * DuckDB (`@duckdb/node-api`), side by side: the same CSV through
 * `read_csv` with explicit columns and types for the CAD layout (text,
 * six local timestamps, the object id, X/Y as doubles) into a table of a
 * database file, and the 90-day count per place in SQL. DuckDB runs with its
 * defaults: as many threads as cores (2 here), a memory limit of 80 % of RAM.
 *
 * Differences from ours, which the report states:
 * - places are the raw `Location` text: our address normalization (upper
 *   case, USPS abbreviations, intersections with their streets in one
 *   order) has no SQL equivalent, so an intersection written both ways is
 *   two places here and one in ours; calls with a blank `Location` are left
 *   out, as ours quarantines them;
 * - no classification, no deduplication, no places registry, no progress:
 *   the rows are stored as typed columns and nothing else;
 * - the daily refresh appends the day's rows and recomputes the count from
 *   every stored call (DuckDB keeps no running counts): its full recompute.
 *
 * @module
 */
import { DuckDBInstance } from "@duckdb/node-api"
import type { CallsContender, Loaded, LoadMode, PlaceCounts } from "./CallsContender.ts"
import { TOP_PLACES, windowStartDay } from "./CallsWorkload.ts"

/** The columns of Sacramento's open-data CAD layout with their DuckDB types, in file order. */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["Record_ID", "VARCHAR"],
  ["Call_Type", "VARCHAR"],
  ["Description", "VARCHAR"],
  ["Report_Created", "VARCHAR"],
  ["Location", "VARCHAR"],
  ["Police_District", "VARCHAR"],
  ["Beat", "VARCHAR"],
  ["Day_of_Week", "VARCHAR"],
  ["Cleared_By", "VARCHAR"],
  ["Cleared_By_Desc", "VARCHAR"],
  ["Occurrence_Date", "TIMESTAMP"],
  ["Received_Date", "TIMESTAMP"],
  ["Dispatch_Date", "TIMESTAMP"],
  ["Enroute_Date", "TIMESTAMP"],
  ["At_Scene_Date", "TIMESTAMP"],
  ["Clear_Date", "TIMESTAMP"],
  ["ObjectID", "BIGINT"],
  ["X", "DOUBLE"],
  ["Y", "DOUBLE"]
]

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`

/** `read_csv` of one file with the layout's columns, nothing sniffed; times are local wall-clock times as written. */
const readCsv = (file: string): string =>
  `read_csv(${literal(file)}, header = true, auto_detect = false, ` +
  `columns = {${COLUMNS.map(([name, type]) => `${literal(name)}: ${literal(type)}`).join(", ")}}, ` +
  `timestampformat = '%m/%d/%Y %I:%M:%S %p')`

/**
 * The calls of the window by place: the local day of `Received_Date` (the
 * file's times are Sacramento wall-clock times, so the date part is the
 * service day ours counts by), calls with a place only.
 */
const perPlace = "SELECT Location AS place, count(*) AS calls FROM calls " +
  "WHERE Location IS NOT NULL AND CAST(Received_Date AS DATE) BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) " +
  "GROUP BY Location"

export const contender: CallsContender = {
  open: async (target) => {
    const instance = await DuckDBInstance.create(target.database)
    const connection = await instance.connect()
    return {
      prepare: async () => {},
      load: async (file: string, mode: LoadMode): Promise<Loaded> => {
        const statement = mode === "create"
          ? `CREATE TABLE calls AS SELECT * FROM ${readCsv(file)}`
          : `INSERT INTO calls SELECT * FROM ${readCsv(file)}`
        // Both statements answer with one row: the number of rows they wrote.
        const result = await connection.runAndReadAll(statement)
        const rows = Number(result.getRows()[0]?.[0] ?? Number.NaN)
        return { rows, stored: rows, setAside: 0, duplicates: 0 }
      },
      countPerPlace: async (endDay): Promise<PlaceCounts> => {
        const window = { start: windowStartDay(endDay), end: endDay }
        const top = await connection.runAndReadAll(`${perPlace} ORDER BY calls DESC, place LIMIT ${TOP_PLACES}`, window)
        const totals = await connection.runAndReadAll(
          `SELECT count(*) AS places, coalesce(sum(calls), 0) AS total FROM (${perPlace})`,
          window
        )
        const [places, totalCalls] = totals.getRows()[0] ?? []
        return {
          top: top.getRows().map(([place, calls]) => ({ place: String(place), calls: Number(calls) })),
          places: Number(places),
          totalCalls: Number(totalCalls)
        }
      },
      close: async () => {
        connection.closeSync()
        instance.closeSync()
      }
    }
  }
}
