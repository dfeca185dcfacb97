import { assert, describe, it } from "@effect/vitest"
import { drawBar, progressBar } from "../src/demo/ProgressBar.ts"
import { type Report, reportHtml, reportText } from "../src/demo/Report.ts"

const report: Report = {
  title: "Justice for Neighbors <demo>",
  subtitle: "Sacramento & friends",
  chart: { title: "Cases per district", bars: [{ label: "District 1", value: 4 }, { label: "District <2>", value: 2 }] },
  sections: [
    { heading: "Stages", table: { columns: ["stage", "cases"], rows: [["closed", 3], ["notice-of-violation", 12]] } },
    { heading: "Public status", lines: ["<script>alert(1)</script>"] }
  ]
}

describe("demo report", () => {
  it("prints the chart with bars proportional to the values and right-aligned numbers", () => {
    const lines = reportText(report)
    const first = lines.find((line) => line.includes("District 1"))!
    const second = lines.find((line) => line.includes("District <2>"))!
    assert.strictEqual((first.match(/#/g) ?? []).length, 40)
    assert.strictEqual((second.match(/#/g) ?? []).length, 20)
    assert.include(lines, `  ${"closed".padEnd(19)}  ${"3".padStart(5)}`)
    assert.include(lines, `  notice-of-violation  ${"12".padStart(5)}`)
  })

  it("renders an HTML page with every value escaped and one bar per district", () => {
    const html = reportHtml(report)
    assert.notInclude(html, "<script>")
    assert.include(html, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert.include(html, "Justice for Neighbors &lt;demo&gt;")
    assert.include(html, "Sacramento &amp; friends")
    assert.strictEqual((html.match(/<rect /g) ?? []).length, 2)
    assert.include(html, '<td class="n">12</td>')
  })

  it("writes the chart's coordinates as whole numbers, never a float artifact like 24.799999999999997", () => {
    const bars = Array.from({ length: 8 }, (_, index) => ({ label: `Council District ${index + 1}`, value: index * 3 + 1 }))
    const svg = reportHtml({ ...report, chart: { title: "Cases", bars } }).match(/<svg[^]*<\/svg>/)?.[0] ?? ""
    const coordinates = [...svg.matchAll(/ (x|y|width|height)="([^"]*)"/g)].map((match) => match[2])
    assert.isAbove(coordinates.length, 8 * 6)
    for (const value of coordinates) assert.match(value!, /^\d+$/)
  })
})

describe("an internal section", () => {
  const withInternal: Report = {
    ...report,
    sections: [
      ...report.sections,
      {
        heading: "Chronic callers",
        internal: "addresses & call counts for the district teams",
        table: { columns: ["property", "counted calls"], rows: [["1200 J ST", 9]] }
      }
    ]
  }

  it("is labelled internal, not for public release, right under its heading in the terminal", () => {
    const lines = reportText(withInternal)
    const heading = lines.indexOf("Chronic callers")
    assert.strictEqual(lines[heading + 1], "  INTERNAL, NOT FOR PUBLIC RELEASE: addresses & call counts for the district teams")
    assert.notInclude(reportText(report).join("\n"), "INTERNAL")
  })

  it("is labelled internal, not for public release, in its own section of the HTML page", () => {
    const html = reportHtml(withInternal)
    const section = html.split("<section>").find((part) => part.includes("Chronic callers"))
    assert.include(
      section,
      '<p class="internal"><strong>Internal, not for public release:</strong> addresses &amp; call counts for the district teams</p>'
    )
    assert.strictEqual((html.match(/class="internal"/g) ?? []).length, 1)
  })
})

describe("progress bar", () => {
  it("draws the done share and clamps what is out of range", () => {
    assert.strictEqual(drawBar(0, 10), `[${".".repeat(30)}]   0%`)
    assert.strictEqual(drawBar(5, 10), `[${"#".repeat(15)}${".".repeat(15)}]  50%`)
    assert.strictEqual(drawBar(12, 10), `[${"#".repeat(30)}] 100%`)
  })

  it("prints a line per tenth when the output is not a terminal", () => {
    const written: Array<string> = []
    const bar = progressBar("import", { write: (text) => written.push(text), isTerminal: false })
    for (let done = 0; done <= 1000; done += 1) bar.update(done, 1000)
    bar.finish("1000 rows")
    assert.strictEqual(written.length, 12)
    assert.strictEqual(written.at(-1), "import 1000 rows\n")
  })
})
