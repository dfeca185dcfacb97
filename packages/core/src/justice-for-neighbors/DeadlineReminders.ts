/**
 * Deadline reminders: a reactor over the nuisance case events that puts a
 * "deadline near" message in the outbox a set time before each running
 * deadline of a case is due, for the case's district team (the message
 * names the council district; the consumer that delivers it finds the
 * team's members on the roster). A deadline set again for the same purpose
 * moves its reminder; a deadline closed before its reminder (satisfied,
 * expired or cancelled, as when the case closes) has none. Each reminder is
 * queued once, however often the reactor runs or replays.
 *
 * @module
 */
import { DateTime, Schema } from "effect"
import { makeReactor, queueMessage, type Reactor, scheduleTimer, cancelTimer } from "../engine/Reactor.ts"
import { AreaId } from "../kernel/Area.ts"
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import { NuisanceCaseId } from "./NuisanceCaseCommands.ts"
import { DeadlinePurpose, type NuisanceCaseEvent, nuisanceCaseEvents } from "./NuisanceCaseEvents.ts"

/** The outbox topic of deadline reminders. */
export const deadlineReminderTopic = "justice-for-neighbors.deadline-near"

/**
 * The payload of a deadline reminder: which case, whose district, which
 * deadline, the rule that set it, and when it is due. Nothing personal.
 */
export const DeadlineReminder = Schema.Struct({
  caseId: NuisanceCaseId,
  councilDistrict: AreaId,
  category: NuisanceCategory,
  purpose: DeadlinePurpose,
  rule: Schema.NonEmptyString,
  due: Schema.DateTimeUtcFromString
})

/** The payload of a deadline reminder; see {@link DeadlineReminder}. */
export type DeadlineReminder = typeof DeadlineReminder.Type

const encodeReminder = Schema.encodeSync(DeadlineReminder)

/** How the reminders run. */
export interface DeadlineReminderOptions {
  /** How many days before a deadline is due its reminder is queued (a city's choice; 0 reminds when it falls due). */
  readonly leadDays: number
  /** The reactor's name and checkpoint (default `justice-for-neighbors.deadline-reminders`). */
  readonly name?: string | undefined
  /** Deliveries tried before a reminder is dead-lettered (default 5). */
  readonly maxAttempts?: number | undefined
}

/**
 * The deadline reminders reactor: on `DeadlineSet` it schedules a timer
 * `leadDays` before the deadline is due (keyed by case and purpose, so a
 * later deadline of the same purpose replaces it), on `DeadlineClosed` it
 * cancels it; when the `Clock` passes the instant, `run` queues one
 * {@link DeadlineReminder} on {@link deadlineReminderTopic}.
 *
 * @example
 * ```ts
 * const reminders = deadlineReminders({ leadDays: 2 })
 * // after commands, or on a schedule:
 * yield* reminders.run("sacramento")
 * ```
 */
export const deadlineReminders = (options: DeadlineReminderOptions): Reactor<NuisanceCaseEvent> =>
  makeReactor({
    name: options.name ?? "justice-for-neighbors.deadline-reminders",
    events: [nuisanceCaseEvents],
    react: (event) => {
      switch (event._tag) {
        case "DeadlineSet":
          return [
            scheduleTimer(
              `${event.caseId}/${event.deadline.purpose}`,
              DateTime.subtract(event.deadline.due, { days: options.leadDays }),
              encodeReminder({
                caseId: event.caseId,
                councilDistrict: event.councilDistrict,
                category: event.category,
                purpose: event.deadline.purpose,
                rule: event.deadline.rule,
                due: event.deadline.due
              }) as Schema.Json
            )
          ]
        case "DeadlineClosed":
          return [cancelTimer(`${event.caseId}/${event.purpose}`)]
        default:
          return []
      }
    },
    fire: (timer) => [
      queueMessage("deadline-near", { topic: deadlineReminderTopic, payload: timer.payload, maxAttempts: options.maxAttempts })
    ]
  })
