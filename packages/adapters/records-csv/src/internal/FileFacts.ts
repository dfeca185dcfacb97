/**
 * What an import needs to know about its file before reading it: its size
 * (for progress) and its sha256 (for the import id).
 *
 * @internal
 */
import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import type { Readable } from "node:stream"
import { Effect } from "effect"
import { CsvSourceError } from "../CsvReader.ts"

/** A file's size and content hash; both unknown for a stream, which cannot be read twice. */
export interface FileFacts {
  readonly size: number | undefined
  readonly sha256: string | undefined
}

const hashFile = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash("sha256")
    // Large reads: hashing a file of millions of rows is a pass over it before the import's own.
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")))
  })

/** Reads a file's size and, when asked, its sha256 (one pass over the file, before the import's pass). */
export const fileFacts = (file: string | Readable, withHash: boolean): Effect.Effect<FileFacts, CsvSourceError> =>
  typeof file !== "string"
    ? Effect.succeed({ size: undefined, sha256: undefined })
    : Effect.tryPromise({
      try: async () => ({ size: (await stat(file)).size, sha256: withHash ? await hashFile(file) : undefined }),
      catch: (error) => new CsvSourceError({ source: file, message: error instanceof Error ? error.message : String(error) })
    })
