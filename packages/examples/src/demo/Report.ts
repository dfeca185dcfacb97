/**
 * The demo's closing report, as data: a chart and a few tables. The same
 * report prints to the terminal and renders as a self-contained HTML page
 * (inline SVG chart, no scripts, no external files), so what the page shows
 * is exactly what the terminal showed.
 *
 * @module
 */

/** One bar of a bar chart. */
export interface Bar {
  readonly label: string
  readonly value: number
}

/** A table: column headings and rows of cells. */
export interface Table {
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
}

/**
 * One section of the report: a heading with a table, or with lines of text.
 * `internal` marks a section that is not for public release, saying why
 * (chronic-caller findings: addresses and call counts); both renderings
 * label it right under the heading.
 */
export type Section =
  & ({ readonly heading: string; readonly table: Table } | { readonly heading: string; readonly lines: ReadonlyArray<string> })
  & { readonly internal?: string }

/** The whole report. */
export interface Report {
  readonly title: string
  readonly subtitle: string
  readonly chart: { readonly title: string; readonly bars: ReadonlyArray<Bar> }
  readonly sections: ReadonlyArray<Section>
}

const padCells = (table: Table): ReadonlyArray<string> => {
  const cells = [table.columns, ...table.rows].map((row) => row.map(String))
  const widths = table.columns.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)))
  return cells.map((row) =>
    row.map((cell, column) => typeof table.rows[0]?.[column] === "number" ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd()
  )
}

/** The report as lines of plain text for a terminal. */
export const reportText = (report: Report): ReadonlyArray<string> => {
  const lines: Array<string> = [report.title, report.subtitle, "", report.chart.title]
  const most = Math.max(1, ...report.chart.bars.map((bar) => bar.value))
  const labelWidth = Math.max(0, ...report.chart.bars.map((bar) => bar.label.length))
  for (const bar of report.chart.bars) {
    lines.push(`  ${bar.label.padEnd(labelWidth)} ${"#".repeat(Math.round((bar.value / most) * 40))} ${bar.value}`)
  }
  for (const section of report.sections) {
    lines.push("", section.heading)
    if (section.internal !== undefined) lines.push(`  INTERNAL, NOT FOR PUBLIC RELEASE: ${section.internal}`)
    const body = "table" in section ? padCells(section.table) : section.lines
    for (const line of body) lines.push(`  ${line}`)
  }
  return lines
}

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")

const chartSvg = (bars: ReadonlyArray<Bar>): string => {
  const barHeight = 24
  const gap = 8
  const labelWidth = 160
  const plotWidth = 480
  // Labels sit on a baseline 70% down the bar. Every coordinate is a whole
  // pixel: 24 * 0.7 in floating point would be written 16.799999999999997.
  const baseline = Math.round(barHeight * 0.7)
  const most = Math.max(1, ...bars.map((bar) => bar.value))
  const height = bars.length * (barHeight + gap) + gap
  const rows = bars.map((bar, index) => {
    const y = gap + index * (barHeight + gap)
    const length = Math.round((bar.value / most) * plotWidth)
    return [
      `<text x="${labelWidth - 8}" y="${y + baseline}" text-anchor="end">${escapeHtml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" fill="#2a6f97"><title>${escapeHtml(`${bar.label}: ${bar.value}`)}</title></rect>`,
      `<text x="${labelWidth + length + 6}" y="${y + baseline}">${bar.value}</text>`
    ].join("")
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + plotWidth + 60}" height="${height}" font-family="sans-serif" font-size="13">${rows.join("")}</svg>`
}

const tableHtml = (table: Table): string => {
  const head = table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("")
  const body = table.rows.map((row) =>
    `<tr>${row.map((cell) => `<td${typeof cell === "number" ? ' class="n"' : ""}>${escapeHtml(String(cell))}</td>`).join("")}</tr>`
  ).join("\n")
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** The report as a self-contained HTML page. */
export const reportHtml = (report: Report): string => {
  const sections = report.sections.map((section) =>
    `<section><h2>${escapeHtml(section.heading)}</h2>${
      section.internal === undefined
        ? ""
        : `<p class="internal"><strong>Internal, not for public release:</strong> ${escapeHtml(section.internal)}</p>`
    }${
      "table" in section ? tableHtml(section.table) : `<ul>${section.lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`
    }</section>`
  ).join("\n")
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>
body { font-family: sans-serif; margin: 2rem; max-width: 60rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.6rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
p.internal { border-left: 4px solid #b00020; padding: 0.25rem 0.6rem; background: #fdecea; }
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p>${escapeHtml(report.subtitle)}</p>
<section><h2>${escapeHtml(report.chart.title)}</h2>${chartSvg(report.chart.bars)}</section>
${sections}
</body>
</html>
`
}
