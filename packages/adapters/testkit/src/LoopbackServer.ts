/**
 * What the kit's HTTP receivers share: a real HTTP server on 127.0.0.1 for
 * a scope, handed each request with its body read, and running an Effect
 * check as a vitest test body.
 *
 * @internal
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Cause, Effect, Exit, type Scope } from "effect"

/** How a receiver reads the idempotency key of a request. */
export type IdempotencyKeyReader = (request: {
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: string
}) => string | undefined

/** The `Idempotency-Key` header, the default {@link IdempotencyKeyReader}. */
export const idempotencyKeyHeader: IdempotencyKeyReader = (request) => {
  const value = request.headers["idempotency-key"]
  return typeof value === "string" ? value : undefined
}

/**
 * Starts an HTTP server on 127.0.0.1 (an ephemeral port) for the scope and
 * returns its URL (at `path`); each request is handed to `handle` once its
 * body has been read. Closing the scope drops every open connection.
 */
export const loopbackServer = (
  path: string,
  handle: (request: { readonly headers: IncomingHttpHeaders; readonly body: string; readonly destroy: () => void }, response: ServerResponse) => void
): Effect.Effect<string, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.callback<{ readonly url: string; readonly close: () => Promise<void> }>((resume) => {
        const server = createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          request.on("end", () =>
            handle({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), destroy: () => request.socket.destroy() }, response))
        })
        server.listen(0, "127.0.0.1", () => {
          const { port } = server.address() as AddressInfo
          resume(Effect.succeed({
            url: `http://127.0.0.1:${port}${path}`,
            close: () => new Promise<void>((done) => {
              server.closeAllConnections()
              server.close(() => done())
            })
          }))
        })
      }),
      (server) => Effect.promise(server.close)
    ),
    (server) => server.url
  )

/** Runs an Effect as a vitest test body: a failure is thrown as the error it carries. */
export const runAsTest = async <E>(effect: Effect.Effect<void, E>, signal: AbortSignal): Promise<void> => {
  const exit = await Effect.runPromiseExit(effect, { signal })
  if (Exit.isSuccess(exit)) return
  const error = Cause.squash(exit.cause)
  throw error instanceof Error ? error : new Error(Cause.pretty(exit.cause))
}
