/**
 * A progress bar for the demo's long steps. On a terminal it redraws one
 * line; anywhere else (CI logs, a pipe) it prints a line at each tenth, so
 * logs stay short and still show that work goes on.
 *
 * @module
 */

/** Where a progress bar writes, and whether that is a terminal. */
export interface ProgressOutput {
  readonly write: (text: string) => void
  readonly isTerminal: boolean
}

/** A progress bar for one step. */
export interface ProgressBar {
  /** Reports `done` of `total` units, with an optional note such as a rate. */
  readonly update: (done: number, total: number, note?: string) => void
  /** Ends the step with a final line. */
  readonly finish: (summary: string) => void
}

const width = 30

/** Draws `done / total` as a bar of {@link width} cells, e.g. `[#########.....]  60%`. */
export const drawBar = (done: number, total: number): string => {
  const fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total))
  const filled = Math.round(fraction * width)
  const percent = String(Math.floor(fraction * 100)).padStart(3, " ")
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${percent}%`
}

/** Starts a progress bar for the step called `label`. */
export const progressBar = (label: string, output: ProgressOutput): ProgressBar => {
  let lastTenth = -1
  return {
    update: (done, total, note) => {
      const line = `${label} ${drawBar(done, total)}${note === undefined ? "" : ` ${note}`}`
      if (output.isTerminal) {
        output.write(`\r${line}\u001b[K`)
        return
      }
      const tenth = total <= 0 ? 10 : Math.floor((Math.min(done, total) / total) * 10)
      if (tenth > lastTenth) {
        lastTenth = tenth
        output.write(`${line}\n`)
      }
    },
    finish: (summary) => {
      output.write(output.isTerminal ? `\r${label} ${summary}\u001b[K\n` : `${label} ${summary}\n`)
    }
  }
}
