/**
 * Everything the calls tables hold for one tenant, read with plain SQL over
 * a connection of its own (not the adapter's), in a fixed order: what two
 * ways of importing the same batches must leave alike.
 */
import { Effect } from "effect"
import { withConnection } from "./database.ts"

/** The calls, daily counts, quarantined rows and progress of `tenantId` in `community_policing`, as text. */
export const tenantRows = (url: string, tenantId: string) => {
  const query = <A extends object>(text: string) => Effect.promise(() => withConnection(url, (sql) => sql.unsafe<A>(text)))
  return Effect.gen(function*() {
    const quoted = `'${tenantId.replaceAll("'", "''")}'`
    const calls = yield* query<{ dedupe_key: string; service_day: string; address_key: string; received_at: string; data: unknown }>(
      `SELECT dedupe_key, service_day::text, address_key, received_at::text, data FROM community_policing.calls
       WHERE tenant_id = ${quoted} ORDER BY dedupe_key COLLATE "C"`
    )
    const counts = yield* query<Record<string, unknown>>(
      `SELECT category, service_day::text, channel, address_key, beat, police_district, council_district, neighborhood, count::text
       FROM community_policing.daily_counts WHERE tenant_id = ${quoted}
       ORDER BY category, service_day, channel, address_key, beat, police_district, council_district, neighborhood`
    )
    const quarantined = yield* query<Record<string, unknown>>(
      `SELECT import_id, row_number::text, raw, reason FROM community_policing.quarantined_rows
       WHERE tenant_id = ${quoted} ORDER BY import_id, row_number`
    )
    const progress = yield* query<Record<string, unknown>>(
      `SELECT import_id, through_row::text, imported::text, duplicates::text, quarantined::text
       FROM community_policing.import_progress WHERE tenant_id = ${quoted} ORDER BY import_id`
    )
    return { calls, counts, quarantined, progress }
  })
}
