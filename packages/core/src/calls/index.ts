/**
 * Calls for service as the programs use them: categories and the code
 * tables that classify calls.
 *
 * @module
 */
export * from "./Category.ts"
export * from "./CodeTable.ts"
export * from "./presets/NibrsGroupA.ts"
export * from "./presets/SacramentoCad.ts"
export * from "./presets/SacramentoCrimeReports2006.ts"
