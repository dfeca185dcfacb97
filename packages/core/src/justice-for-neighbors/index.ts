/**
 * Justice for Neighbors: one multi-agency team per council district (a city
 * attorney, a police sergeant, a code enforcement officer) taking nuisance
 * properties from complaint to abatement, including chronic non-residential
 * users of 911, never penalising victims who call for help.
 *
 * @module
 */
export * from "./Evidence.ts"
export * from "./NoticeKind.ts"
export * from "./ChronicCallers.ts"
export * from "./ChronicNuisancePresets.ts"
export * from "./AdministrativeFine.ts"
export * from "./CaseStage.ts"
export * from "./CostRecovery.ts"
export * from "./NuisanceCase.ts"
export * from "./NuisanceCaseCommands.ts"
export * from "./NuisanceCaseEvents.ts"
export * from "./NuisanceCaseRefusals.ts"
export * from "./NuisanceCaseState.ts"
export * from "./ServiceOfNotice.ts"
export * from "./DistrictTeam.ts"
export * from "./TeamRoster.ts"
export * from "./EvictionPressure.ts"
export * from "./NoticeTemplate.ts"
export * from "./NoticeDocument.ts"
export * from "./NoticeRendering.ts"
export * from "./NoticeValues.ts"
export * from "./DefaultNoticeTemplates.ts"
export * from "./CaseBoard.ts"
export * from "./DeadlineReminders.ts"
export * from "./NotificationRules.ts"
export * from "./CaseQueries.ts"
export * from "./PropertyStatus.ts"
export * from "./RepeatViolations.ts"
export * from "./Program.ts"
