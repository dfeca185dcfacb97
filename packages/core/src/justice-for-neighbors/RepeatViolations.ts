/**
 * Repeat violations across cases: the citations a responsible person was
 * issued for one code section at one property, on every case of the
 * property, read from the case board. Administrative fine caps grow with
 * each violation of the same ordinance within one year of the first (Gov.
 * Code 36900(b), through 53069.4(a)(1)), counted per property and
 * responsible person, not per case; the decider of one case cannot read
 * other cases, so {@link issueCitationCommand} reads them here and puts them
 * in the command (see `IssueCitation` for the trust boundary).
 *
 * No projection of its own: the case board's summaries keep each
 * citation's code section, person and status, and are found by the
 * normalized address (`addressKey`, indexed), so every store answers the
 * same and one catch-up keeps both current.
 *
 * @module
 */
import { DateTime, Effect, Option, Result, Schema } from "effect"
import { caseAddressKey } from "../kernel/Address.ts"
import { AddressKey } from "../kernel/Place.ts"
import { personal } from "../kernel/Sensitivity.ts"
import type { EventStore } from "../ports/EventStore.ts"
import type { ReadModelStore } from "../ports/ReadModelStore.ts"
import type { InvalidStoreRequest, StorageFailure } from "../ports/StoreErrors.ts"
import type { CatchUpError } from "../engine/CatchUp.ts"
import { caseSummaries, caseSummary, updateCaseBoard } from "./CaseBoard.ts"
import { InvalidCaseQuery } from "./CaseQueries.ts"
import { type IssueCitation, NuisanceCaseId, type PriorViolation } from "./NuisanceCaseCommands.ts"
import { CaseNotFound } from "./NuisanceCaseRefusals.ts"

/**
 * One citation of a person for a code section at a property, on any case:
 * when it was issued and whether it stands (`cancelled` when a hearing
 * overturned it, and then it is no earlier violation).
 */
export const RecordedCitation = Schema.Struct({
  caseId: NuisanceCaseId,
  citationNumber: Schema.NonEmptyString,
  codeSection: Schema.NonEmptyString,
  responsiblePersonId: personal(Schema.NonEmptyString),
  issuedAt: Schema.DateTimeUtcFromString,
  status: Schema.Literals(["unpaid", "paid", "cancelled"])
})

/** One citation of a person at a property; see {@link RecordedCitation}. */
export type RecordedCitation = typeof RecordedCitation.Type

/** Whom, for what and where: the key by which repeat violations are counted. */
export interface RepeatViolationKey {
  /** The property, in any spelling: normalized like case intake ({@link caseAddressKey}). */
  readonly addressKey: string
  readonly responsiblePersonId: string
  /** The ordinance violated, as written on the citation (compared exactly). */
  readonly codeSection: string
}

const millis = DateTime.toEpochMillis

/**
 * Every citation of a person for a code section at a property, on every
 * case of the property the board holds, oldest first (ties by case and
 * citation number), cancelled ones included. Citations recorded without a
 * person are nobody's. An address that cannot be a key fails with
 * {@link InvalidCaseQuery} and reads nothing. As current as the board:
 * run `updateCaseBoard` first (as {@link issueCitationCommand} does).
 */
export const citationsAtProperty = Effect.fnUntraced(function*(
  tenantId: string,
  key: RepeatViolationKey
): Effect.fn.Return<ReadonlyArray<RecordedCitation>, InvalidCaseQuery | InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const addressKey = yield* Result.match(Schema.decodeUnknownResult(AddressKey)(caseAddressKey(key.addressKey)), {
    onSuccess: (checked) => Effect.succeed(checked),
    onFailure: (error) =>
      Effect.fail(new InvalidCaseQuery({ rule: "address-key-format", field: "addressKey", value: key.addressKey, problem: error.message }))
  })
  const summaries = yield* caseSummaries(tenantId, { where: [{ field: "addressKey", equals: addressKey }] })
  return summaries
    .flatMap((summary) =>
      summary.citations.flatMap((citation): ReadonlyArray<RecordedCitation> =>
        citation.codeSection === key.codeSection && citation.responsiblePersonId === key.responsiblePersonId
          ? [{
            caseId: summary.caseId,
            citationNumber: citation.citationNumber,
            codeSection: citation.codeSection,
            responsiblePersonId: citation.responsiblePersonId,
            issuedAt: citation.issuedAt,
            status: citation.status
          }]
          : []
      )
    )
    .sort((a, b) =>
      millis(a.issuedAt) - millis(b.issuedAt) ||
      (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0) ||
      (a.citationNumber < b.citationNumber ? -1 : a.citationNumber > b.citationNumber ? 1 : 0)
    )
})

/**
 * The earlier violations to put in an `IssueCitation` for case `caseId`:
 * the person's citations for the code section at the property on OTHER
 * cases that stand (a citation cancelled by an overturned hearing is no
 * violation). The case's own citations are not listed: the decider reads
 * them from the case's events.
 */
export const priorViolationsFor = Effect.fnUntraced(function*(
  tenantId: string,
  caseId: string,
  key: RepeatViolationKey
): Effect.fn.Return<ReadonlyArray<PriorViolation>, InvalidCaseQuery | InvalidStoreRequest | StorageFailure, ReadModelStore> {
  const citations = yield* citationsAtProperty(tenantId, key)
  return citations
    .filter((citation) => citation.caseId !== caseId && citation.status !== "cancelled")
    .map(({ caseId, citationNumber, issuedAt }) => ({ caseId, citationNumber, issuedAt }))
})

/**
 * Builds an `IssueCitation` with its prior violations, so that an
 * application never assembles them by hand: catches the case board up,
 * finds the case's address on it and reads the person's other citations for
 * the code section there ({@link priorViolationsFor}). Fails with
 * `CaseNotFound` when the board has no such case. Send the command right
 * away: a citation issued on another case in between is not counted.
 *
 * @example
 * ```ts
 * const command = yield* issueCitationCommand("sacramento", {
 *   caseId: "2026-000123", citationNumber: "AC-1002", codeSection: "SCC 8.04.100",
 *   schedule: "general", amountInDollars: 200, responsiblePersonId: "owner-114",
 *   service, comment: "second citation"
 * })
 * yield* handleCommand(nuisanceCase(sacramento), { tenantId: "sacramento", commandId, actor, command })
 * ```
 */
export const issueCitationCommand = Effect.fnUntraced(function*(
  tenantId: string,
  fields: Omit<IssueCitation, "_tag" | "priorViolations">
): Effect.fn.Return<
  IssueCitation,
  CaseNotFound | InvalidCaseQuery | CatchUpError,
  EventStore | ReadModelStore
> {
  yield* updateCaseBoard(tenantId)
  const summary = yield* caseSummary(tenantId, fields.caseId)
  if (Option.isNone(summary)) {
    return yield* Effect.fail(new CaseNotFound({ rule: "case-must-exist", caseId: fields.caseId, command: "IssueCitation" }))
  }
  const priorViolations = yield* priorViolationsFor(tenantId, fields.caseId, {
    addressKey: summary.value.addressKey,
    responsiblePersonId: fields.responsiblePersonId,
    codeSection: fields.codeSection
  })
  return { _tag: "IssueCitation", ...fields, priorViolations }
})
