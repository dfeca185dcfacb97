/**
 * The shared kernel: what every program needs to know about a city (its
 * configuration, areas, holidays and deadlines) and about the records they
 * work from (places, calls for service, staff).
 *
 * @module
 */
export * from "./Address.ts"
export * from "./Area.ts"
export * from "./Boundary.ts"
export * from "./CallForService.ts"
export * from "./Deadline.ts"
export * from "./Districts.ts"
export * from "./Holiday.ts"
export * from "./Identifier.ts"
export * from "./Jurisdiction.ts"
export * from "./NonEmpty.ts"
export * from "./Period.ts"
export * from "./Place.ts"
export * from "./ProgramSettings.ts"
export * from "./Role.ts"
export * from "./Sensitivity.ts"
export * from "./Staff.ts"
export * from "./presets/CaliforniaCourtHolidays.ts"
export * from "./presets/LosAngelesLike.ts"
export * from "./presets/Sacramento.ts"
