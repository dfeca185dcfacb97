/**
 * Our PostgreSQL adapter (`@community-policing/adapter-postgres`) with its
 * defaults (pool of up to 10 connections, schema `community_policing`), the
 * migrations applied when the layer is built.
 *
 * @module
 */
import { PostgresStore } from "@community-policing/adapter-postgres"
import { Redacted } from "effect"
import { expectEngine } from "../Contender.ts"
import { portContender } from "./EventStorePort.ts"

export const contender = portContender((target) =>
  PostgresStore.layer({ url: Redacted.make(expectEngine(target, "postgres").url), migrate: true })
)
