/**
 * The decider: the pure heart of every aggregate. `decide` turns a command
 * and the current state into events or a typed refusal; `evolve` folds an
 * event into the state. No I/O, no clock reads: the time and the actor come in
 * the {@link DecisionContext}.
 *
 * @module
 */
import type { DateTime, Result, Schema } from "effect"
import type { Actor } from "./Actor.ts"
import type { EventCatalog, TaggedEvent } from "./EventCatalog.ts"

/** What a decision may depend on besides the command and the state. */
export interface DecisionContext {
  /** When the command is handled (from the effect `Clock`). */
  readonly now: DateTime.Utc
  /** Who issued the command. */
  readonly actor: Actor
}

/** A decider over commands `C`, events `E` and state `S`, refusing with `Err`. */
export interface Decider<C, E, S, Err> {
  /** The state of a stream with no events. */
  readonly initialState: S
  /** Events recording what the command changes, or why it is refused. */
  readonly decide: (command: C, state: S, context: DecisionContext) => Result.Result<ReadonlyArray<E>, Err>
  /** The state after one more event. */
  readonly evolve: (state: S, event: E) => S
}

/** Folds events into a state, from the decider's initial state. */
export const fold = <C, E, S, Err>(decider: Decider<C, E, S, Err>, events: Iterable<E>): S => {
  let state = decider.initialState
  for (const event of events) state = decider.evolve(state, event)
  return state
}

/** What an access policy sees of the resource a command acts on. */
export interface ResourceAttributes {
  /** The kind of resource, e.g. `nuisance-case`. */
  readonly type: string
  /** Its id, when it has one. */
  readonly id?: string | undefined
  /** The districts (council or police) it lies in; empty or absent means citywide. */
  readonly districts?: ReadonlyArray<string> | undefined
}

/**
 * An aggregate: a decider plus what the engine needs to run it (where its
 * events live, how they are stored, and what a command asks permission for).
 */
export interface Aggregate<C, E extends TaggedEvent, S, Err> {
  /** The aggregate's name, e.g. `nuisance-case`. */
  readonly name: string
  /** Schema of its commands, for decoding untrusted input and for JSON Schema. */
  readonly commands: Schema.Codec<C, unknown>
  /** Its events and their versions. */
  readonly events: EventCatalog<E>
  readonly decider: Decider<C, E, S, Err>
  /**
   * Schema of its state (JSON-encodable, with personal and confidential
   * fields marked), so that the engine answers a command with the view of
   * the state the sender's audience may see, never the raw state.
   */
  readonly state: Schema.Codec<S, unknown>
  /** The stream a command acts on. */
  readonly streamId: (command: C) => string
  /**
   * The action a command performs (e.g. `nuisance-case.serve-notice`) and on
   * what. The engine calls it twice: with the decider's initial state before
   * reading the stream (the first pass of the access policy uses the action
   * and the resource's type and id from that call, so they should depend on
   * the command alone), and with the loaded state for the full decision.
   */
  readonly access: (command: C, state: S) => { readonly action: string; readonly resource: ResourceAttributes }
}
