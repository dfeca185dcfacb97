/**
 * The contenders of the notifications row, by `BENCH_ONLY` id: a module of
 * its own so that main.ts can list them without loading the adapters.
 *
 * @module
 */

/** The contenders of the notifications row. */
export const notificationContenders = [
  { id: "notify-dispatcher", label: "dispatcher (SQLite outbox, webhook adapter, retries and receipts recorded)" },
  { id: "notify-fetch", label: "plain fetch loop (same receiver, same retries, nothing recorded)" }
] as const

/** A contender's id. */
export type NotificationContenderId = (typeof notificationContenders)[number]["id"]
