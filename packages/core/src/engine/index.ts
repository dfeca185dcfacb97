/**
 * The event-sourced engine: deciders, event catalogs, command handling,
 * the audit chain, access control, redaction, the projections and
 * reactors that follow the event store, the outbox dispatcher; the guards and refusals every
 * program shares, the stream-id convention, and program-neutral documents
 * (templates as data, locales, text and HTML renderers).
 *
 * @module
 */
export * from "./AccessPolicy.ts"
export * from "./Actor.ts"
export * from "./AuditChain.ts"
export * from "./CatchUp.ts"
export * from "./ChainHeads.ts"
export * from "./CommandHandler.ts"
export * from "./Decider.ts"
export * from "./Dispatcher.ts"
export * from "./Documents.ts"
export * from "./DocumentValues.ts"
export * from "./EventCatalog.ts"
export * from "./Guards.ts"
export * from "./Projection.ts"
export * from "./Reactor.ts"
export * from "./Redaction.ts"
export * from "./Refusals.ts"
export * from "./StreamId.ts"
