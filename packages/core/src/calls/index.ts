/**
 * Calls for service as the programs use them: categories and the code
 * tables that classify calls.
 *
 * @module
 */
export * from "./Category.ts"
