/**
 * Our SQLite adapter (`@community-policing/adapter-sqlite`) with its
 * defaults (WAL, `synchronous = FULL`, migrations applied on open).
 *
 * @module
 */
import { SqliteStore } from "@community-policing/adapter-sqlite"
import { expectEngine } from "../Contender.ts"
import { portContender } from "./EventStorePort.ts"

export const contender = portContender((target) => SqliteStore.layer({ filename: expectEngine(target, "sqlite").file }))
