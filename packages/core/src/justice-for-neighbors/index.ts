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
