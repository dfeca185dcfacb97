/**
 * What the checks of the store limits (core's `StoreLimits`) are written
 * with: tenant ids and keys every adapter must refuse, the longest ones it
 * must take, and the expectation that a refusal is exactly the one every
 * other adapter gives.
 *
 * @module
 */
import { MAX_KEY_BYTES, MAX_TENANT_ID_BYTES, tenantIdRefusal } from "@community-policing/core"
import { Effect } from "effect"
import { ConformanceFailure, expectEqual, expectFailure } from "./ConformanceFailure.ts"
import { freshTenant } from "./Fixtures.ts"

/**
 * Text of exactly `bytes` UTF-8 bytes (ASCII) that does not compress:
 * random hex, so PostgreSQL cannot squeeze an over-long key under its index
 * limit, which is what makes a 3 KB key fail there and not elsewhere.
 */
export const incompressibleText = (bytes: number, prefix = ""): string => {
  let text = prefix
  while (text.length < bytes) text += globalThis.crypto.randomUUID().replaceAll("-", "")
  return text.slice(0, bytes)
}

/** A fresh tenant id of exactly `MAX_TENANT_ID_BYTES` (core) bytes: the longest every adapter must take. */
export const longestTenant: Effect.Effect<string> = Effect.map(freshTenant, (tenant) => incompressibleText(MAX_TENANT_ID_BYTES, tenant))

/** A fresh key of exactly `MAX_KEY_BYTES` (core) bytes made of 4-byte characters (U+1D573 and the like). */
export const longestWideKey = (): string => {
  const letters = Array.from("𝕬𝕭𝕮𝕯𝕰𝕱𝕲𝕳𝕴𝕵𝕶𝕷𝕸𝕹𝕺𝕻")
  const hex = globalThis.crypto.randomUUID().replaceAll("-", "")
  return Array.from({ length: MAX_KEY_BYTES / 4 }, (_, index) => letters[parseInt(hex[index % hex.length]!, 16)]!).join("")
}

/**
 * Keys no adapter may store, with what they are: empty, 3 KB of text that
 * does not compress, one byte over the limit in 4-byte characters, a NUL,
 * and lone surrogates of both halves. Each is refused with the reason core's
 * `keyProblem` gives.
 */
export const invalidKeys = (): ReadonlyArray<{ readonly what: string; readonly key: string }> => [
  { what: "an empty key", key: "" },
  { what: "a 3 KB key that does not compress", key: incompressibleText(3_072) },
  { what: "a key one character past 1,024 bytes", key: `${longestWideKey()}x` },
  { what: "a key holding a NUL", key: "23XX 10TH\u0000AVE" },
  { what: "a key holding a lone high surrogate", key: "23XX 10TH \ud83d AVE" },
  { what: "a key holding a lone low surrogate", key: "\udc69 23XX 10TH AVE" }
]

/** Tenant ids no adapter may take: those of {@link invalidKeys}, with 3 KB and one byte past 256 bytes for the length. */
export const invalidTenantIds = (): ReadonlyArray<{ readonly what: string; readonly tenantId: string }> => [
  { what: "an empty tenant id", tenantId: "" },
  { what: "a 3 KB tenant id", tenantId: incompressibleText(3_072) },
  { what: "a tenant id of 257 bytes", tenantId: incompressibleText(MAX_TENANT_ID_BYTES + 1) },
  { what: "a tenant id holding a NUL", tenantId: "springfield\u0000" },
  { what: "a tenant id holding a lone surrogate", tenantId: "springfield-\ud800" }
]

/**
 * Runs `effect`, which must fail with `InvalidStoreRequest` for `operation`
 * with exactly the reason `expectedReason`: the same words from every adapter.
 */
export const expectRefusal = Effect.fnUntraced(function*<A, E, R>(
  effect: Effect.Effect<A, E, R>,
  operation: string,
  expectedReason: string,
  what: string
) {
  const refusal = yield* expectFailure(effect, "InvalidStoreRequest", what)
  const found = refusal as unknown as { readonly operation?: unknown; readonly reason?: unknown }
  yield* expectEqual(
    { operation: found.operation, reason: found.reason },
    { operation, reason: expectedReason },
    `${what}: the refusal must name the operation and give the reason every adapter gives`
  )
})

/** Runs `effect`, which must be refused for `tenantId` as `tenantIdRefusal(operation, tenantId)` is. */
export const expectTenantRefused = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  operation: string,
  tenantId: string,
  what: string
): Effect.Effect<void, ConformanceFailure, R> => {
  const expected = tenantIdRefusal(operation, tenantId)
  if (expected === undefined) {
    return Effect.fail(new ConformanceFailure({ message: `the check's tenant id for ${what} is valid; it must not be` }))
  }
  return expectRefusal(effect, operation, expected.reason, `${operation} with ${what}`)
}
