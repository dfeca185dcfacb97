/**
 * The webhook receiver of the notifications bench, run as its own process
 * so that it does not share the sender's event loop: a plain HTTP server on
 * 127.0.0.1 that reads each request and answers 200 with a receipt id, or
 * 503 to the first attempt of every `refuseEvery`-th message (by its
 * `Idempotency-Key`), so that both contenders retry the same messages.
 * Prints its URL, then serves until killed; on "count" from stdin it prints
 * how many requests it has had.
 *
 * @module
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

const refuseEvery = Number(process.argv[2] ?? "20")
const seen = new Set<string>()
let requests = 0

const server = createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    requests++
    const key = String(request.headers["idempotency-key"] ?? "")
    const index = Number(key.slice(key.lastIndexOf(":") + 1))
    if (index % refuseEvery === 0 && !seen.has(key)) {
      seen.add(key)
      response.writeHead(503).end()
      return
    }
    response.writeHead(200, { "Webhook-Receipt-Id": `r-${requests}` }).end()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks\n`)
})
process.stdin.setEncoding("utf8").on("data", (chunk: string) => {
  if (chunk.includes("reset")) {
    seen.clear()
    requests = 0
  }
  if (chunk.includes("count")) process.stdout.write(`${requests}\n`)
})
