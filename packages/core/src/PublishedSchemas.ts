/**
 * The schemas published as JSON Schema files in the package
 * (`@community-policing/core/json-schema/<Name>.json`), so vendors working in
 * other languages can validate what they send to and receive from the SDK.
 *
 * @module
 */
import { type JsonSchema, Schema } from "effect"
import { CodeTable } from "./calls/CodeTable.ts"
import { AccessRule } from "./engine/AccessPolicy.ts"
import { Actor } from "./engine/Actor.ts"
import { SignedTenantHeads } from "./engine/ChainHeads.ts"
import { CommandOutcome } from "./engine/CommandHandler.ts"
import { DeadlineReminder } from "./justice-for-neighbors/DeadlineReminders.ts"
import { DistrictTeamCommand, DistrictTeamEvent } from "./justice-for-neighbors/DistrictTeam.ts"
import { NuisanceCaseCommand } from "./justice-for-neighbors/NuisanceCaseCommands.ts"
import { NuisanceCaseEvent } from "./justice-for-neighbors/NuisanceCaseEvents.ts"
import { CallForService } from "./kernel/CallForService.ts"
import { Jurisdiction } from "./kernel/Jurisdiction.ts"
import { Place } from "./kernel/Place.ts"
import { StaffMember } from "./kernel/Staff.ts"
import { MailRequired, QueuedNotification } from "./notifications/NotificationMessage.ts"
import { NotificationRules } from "./notifications/NotificationRules.ts"
import { DirectoryEntries } from "./notifications/RecipientDirectory.ts"
import { StoredEvent } from "./ports/EventStore.ts"

/** Every schema published as a JSON Schema file, by file name. */
export const publishedSchemas: Readonly<Record<string, Schema.Top>> = {
  AccessRule,
  Actor,
  CallForService,
  CodeTable,
  CommandOutcome,
  DeadlineReminder,
  DirectoryEntries,
  DistrictTeamCommand,
  DistrictTeamEvent,
  Jurisdiction,
  MailRequired,
  NotificationRules,
  NuisanceCaseCommand,
  NuisanceCaseEvent,
  Place,
  QueuedNotification,
  SignedTenantHeads,
  StaffMember,
  StoredEvent
}

/**
 * The JSON Schema (draft 2020-12) of a schema's JSON encoding. Fields marked
 * personal or confidential carry a `sensitivity` keyword.
 */
export const toJsonSchema = (schema: Schema.Top): JsonSchema.Document<"draft-2020-12"> =>
  Schema.toJsonSchemaDocument(schema, { includeAnnotationKey: (key) => key === "sensitivity" })
