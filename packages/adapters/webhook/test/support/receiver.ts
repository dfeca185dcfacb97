/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) that records every
 * request it gets, body bytes and headers as received, and answers as the
 * test tells it.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, type Scope } from "effect"

/** One request as the receiver got it. */
export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** How the receiver answers one request; it may also never answer. */
export type Answer = (request: ReceivedRequest, response: ServerResponse) => void

export interface Receiver {
  readonly url: string
  readonly received: ReadonlyArray<ReceivedRequest>
  /** Replaces how later requests are answered. */
  readonly answerWith: (answer: Answer) => void
}

interface Running extends Receiver {
  readonly close: () => Promise<void>
}

/** Answers every request with `status`, these headers and this body. */
export const reply = (status: number, headers: Record<string, string> = {}, body = ""): Answer => (_request, response) => {
  response.writeHead(status, headers).end(body)
}

/** Starts a receiver for the scope; it is closed (with any open connections) when the scope ends. */
export const receiver = (initial: Answer = reply(204)): Effect.Effect<Receiver, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<Running>((resume) => {
      const received: Array<ReceivedRequest> = []
      let answer = initial
      const server = createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const entry = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") }
          received.push(entry)
          answer(entry, response)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          url: `http://127.0.0.1:${port}/hooks/pop`,
          received,
          answerWith: (next) => {
            answer = next
          },
          close: () => new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
        }))
      })
    }),
    (running) => Effect.promise(running.close)
  )
