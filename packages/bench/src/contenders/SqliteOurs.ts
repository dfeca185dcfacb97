/**
 * Our SQLite adapter (`@community-policing/adapter-sqlite`) with its
 * defaults (WAL, `synchronous = FULL`, migrations applied on open).
 *
 * @module
 */
import { layer } from "@community-policing/adapter-sqlite"
import { expectEngine } from "../Contender.ts"
import { portContender } from "./EventStorePort.ts"

export const contender = portContender((target) => layer({ filename: expectEngine(target, "sqlite").file }))
