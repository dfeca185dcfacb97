/**
 * Starting one measuring child process (the compiled measure.ts) and
 * waiting for its one reply, with a time limit; shared by the storage rows
 * (issue 3) and the calls-import rows (issue 4).
 *
 * @module
 */
import { fork } from "node:child_process"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { ChildBuild } from "./ChildBuild.ts"
import type { MeasureReply } from "./measure.ts"

/** The bench package's folder: children run there. */
export const benchFolder = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** `BENCH_CPU_PROF`: a folder where every child writes a V8 CPU profile, if set. */
export const cpuProfileFolder = process.env["BENCH_CPU_PROF"]

/**
 * Runs the child process with these arguments and returns its one reply; a
 * child still running after `timeoutMillis` is killed and the promise rejects.
 */
export const runChild = (
  children: ChildBuild,
  args: ReadonlyArray<string>,
  profileName: string,
  timeoutMillis: number
): Promise<MeasureReply> =>
  new Promise((resolvePromise, reject) => {
    const execArgv: Array<string> = []
    if (cpuProfileFolder !== undefined) {
      execArgv.push("--cpu-prof", `--cpu-prof-dir=${resolve(cpuProfileFolder)}`, `--cpu-prof-name=${profileName}-${Date.now()}.cpuprofile`)
    }
    const child = fork(children.measure, args, {
      cwd: benchFolder,
      execArgv,
      env: { ...process.env, BENCH_EMMETT_SQLITE_MODULE: children.emmettSqliteModule },
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let reply: MeasureReply | undefined
    const timer = setTimeout(() => {
      reject(new Error(`${profileName} took longer than ${Math.round(timeoutMillis / 1000)} s; stopped`))
      if (child.pid !== undefined) child.kill("SIGKILL")
    }, timeoutMillis)
    child.on("message", (message) => {
      reply = message as MeasureReply
    })
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("exit", (code) => {
      clearTimeout(timer)
      if (reply === undefined) reject(new Error(`the ${profileName} process exited with code ${code} without a result`))
      else if (reply.ok) resolvePromise(reply)
      else reject(new Error(reply.error))
    })
  })
