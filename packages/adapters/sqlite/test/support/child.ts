/**
 * Child processes for the tests that need real parallelism or a real crash:
 * a fixture script under `test/fixtures`, run with `node --import tsx`, which
 * reports progress one line at a time on stdout.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * The repository root. Children run there so that tsx resolves the
 * workspace packages through the root tsconfig's paths (their sources), as
 * vitest's aliases do for the tests themselves.
 */
const repositoryRoot = path.resolve(here, "../../../../..")

/** How a child ended and what it printed. */
export interface ChildExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly lines: ReadonlyArray<string>
  readonly stderr: string
}

/** A running fixture. */
export interface Child {
  readonly process: ChildProcess
  /** Resolves when the child has printed `count` lines (or ended first). */
  readonly linesSeen: (count: number) => Promise<void>
  readonly exit: Promise<ChildExit>
}

/** Starts `test/fixtures/<script>` with `args` as its one JSON argument. */
export const startFixture = (script: string, args: unknown): Child => {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "../fixtures", script), JSON.stringify(args)], {
    cwd: repositoryRoot,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const waiters: Array<{ readonly count: number; readonly resolve: () => void }> = []
  let pending = ""
  let stderr = ""
  let ended = false
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (ended || lines.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk
    const complete = pending.split("\n")
    pending = complete.pop() ?? ""
    lines.push(...complete)
    wake()
  })
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk
  })
  const exit = new Promise<ChildExit>((resolve) => {
    child.on("close", (code, signal) => {
      ended = true
      if (pending.length > 0) lines.push(pending)
      wake()
      resolve({ code, signal, lines, stderr })
    })
  })
  return {
    process: child,
    linesSeen: (count) =>
      new Promise((resolve) => {
        waiters.push({ count, resolve })
        wake()
      }),
    exit
  }
}

/** Runs a fixture to its end. */
export const runFixture = (script: string, args: unknown): Promise<ChildExit> => startFixture(script, args).exit
