/**
 * Summarizes a V8 CPU profile (from `BENCH_CPU_PROF=folder npm run bench`):
 * the functions with the most self time, and the most inclusive time (self
 * plus everything they called), as shares of the sampled time.
 *
 * Usage: node --import tsx src/profileSummary.ts <file.cpuprofile> [rows, default 25] [function]
 *
 * With a function name (e.g. `append` or `pages`, the contender's timed
 * calls), only the samples whose stack passes through it are counted.
 *
 * @module
 */
import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: ReadonlyArray<number>
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const [file, rowsText = "25", under] = process.argv.slice(2)
if (file === undefined) {
  process.stderr.write("usage: profileSummary.ts <file.cpuprofile> [rows] [function]\n")
  process.exit(2)
}
const rows = Number(rowsText)
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile

const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame
  const where = url === "" ? "" : ` ${url.replace(/^.*\/node_modules\//, "~/").replace(/^file:\/\/.*\/packages\//, "packages/")}:${lineNumber + 1}`
  return `${functionName === "" ? "(anonymous)" : functionName}${where}`
}

const self = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
const passesThrough = (node: ProfileNode, name: string) => {
  for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
    if (byId.get(id)?.callFrame.functionName === name) return true
  }
  return false
}

profile.samples.forEach((sample, index) => {
  const micros = profile.timeDeltas[index] ?? 0
  const node = byId.get(sample)
  if (node === undefined || (under !== undefined && !passesThrough(node, under))) return
  total += micros
  self.set(label(node), (self.get(label(node)) ?? 0) + micros)
  // Each function counts once per sample, however deep its recursion.
  const seen = new Set<string>()
  for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
    const name = label(byId.get(id)!)
    if (seen.has(name)) continue
    seen.add(name)
    inclusive.set(name, (inclusive.get(name) ?? 0) + micros)
  }
})

const print = (title: string, table: Map<string, number>) => {
  process.stdout.write(`${title}\n`)
  const sorted = [...table.entries()].sort((a, b) => b[1] - a[1]).slice(0, rows)
  for (const [name, micros] of sorted) {
    process.stdout.write(`${(micros / total * 100).toFixed(1).padStart(6)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`)
  }
}

process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled${under === undefined ? "" : ` under ${under}`}\n`)
print("Self time:", self)
print("Inclusive time:", inclusive)
