/**
 * Runs a crash-test script in a child process (`node --import tsx`) and, on
 * request, kills it with SIGKILL once its output shows it is mid-run.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const repositoryRoot = fileURLToPath(new URL("../../../../../", import.meta.url))

/** How a child run ended, with its output lines. */
export interface ChildRun {
  readonly lines: ReadonlyArray<string>
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

/**
 * Runs `test/crash/<script>` with `args`. When `killWhen` first holds for the
 * lines printed so far, the child is killed with SIGKILL after a random
 * delay of up to `jitterMillis`, so the kill lands at varying points of the
 * next operation.
 */
export const runChild = (
  script: string,
  args: ReadonlyArray<string>,
  options: { readonly killWhen?: (lines: ReadonlyArray<string>) => boolean; readonly jitterMillis?: number } = {}
): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL(`../crash/${script}`, import.meta.url)), ...args],
      {
        // From the repository root, tsx reads its tsconfig paths, so workspace
        // packages resolve to their sources as they do under vitest.
        cwd: repositoryRoot,
        env: { ...process.env, TSX_TSCONFIG_PATH: `${repositoryRoot}tsconfig.json` },
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    const lines: Array<string> = []
    let pending = ""
    let stderr = ""
    let killing = false
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      pending += chunk
      const complete = pending.split("\n")
      pending = complete.pop() ?? ""
      lines.push(...complete)
      if (!killing && options.killWhen?.(lines) === true) {
        killing = true
        setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * (options.jitterMillis ?? 0)))
      }
    })
    child.stderr.setEncoding("utf8")
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (code, signal) => resolve({ lines, code, signal, stderr }))
  })
