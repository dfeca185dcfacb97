import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { AddressKey, type InvalidAddressReason, type NormalizedAddress, normalizeAddress } from "../../src/kernel/index.ts"

const crimeReports = fileURLToPath(new URL("../../../../data/sacramento-crime-2006-01.csv", import.meta.url))

const ok = (raw: string): NormalizedAddress => {
  const result = normalizeAddress(raw)
  if (Result.isFailure(result)) return assert.fail(`"${raw}" was rejected: ${result.failure.reason}`)
  return result.success
}

const reason = (raw: string): InvalidAddressReason => {
  const result = normalizeAddress(raw)
  if (Result.isSuccess(result)) return assert.fail(`"${raw}" was accepted as ${result.success.key}`)
  assert.strictEqual(result.failure._tag, "InvalidAddress")
  return result.failure.reason
}

describe("normalizeAddress", () => {
  it("upper-cases, collapses spaces, drops punctuation and abbreviates the suffix", () => {
    assert.deepStrictEqual(ok("  3555 Auburn   Boulevard. "), { key: "3555 AUBURN BLVD", kind: "address" })
    assert.deepStrictEqual(ok("670 BOWLES ST."), { key: "670 BOWLES ST", kind: "address" })
    assert.strictEqual(ok("4981 PRISCILLA LANE").key, "4981 PRISCILLA LN")
    assert.strictEqual(ok("4319 13TH AV").key, "4319 13TH AVE")
    assert.strictEqual(ok("123 O'Neil Way").key, "123 ONEIL WAY")
  })

  it("abbreviates directionals, but not a directional that is the street's name", () => {
    assert.strictEqual(ok("8446 WEST WING DR").key, "8446 W WING DR")
    assert.strictEqual(ok("100 Main Street North").key, "100 MAIN ST N")
    assert.strictEqual(ok("SOUTH AVE / MARYSVILLE BLVD").key, "MARYSVILLE BLVD / SOUTH AVE")
  })

  it("abbreviates only the suffix, not a suffix word inside the name, and keeps ordinals as written", () => {
    assert.strictEqual(ok("65TH STREET EXPRESSWAY / ELDER CREEK ROAD").key, "65TH STREET EXPY / ELDER CREEK RD")
    assert.strictEqual(ok("2250 68th Avenue").key, "2250 68TH AVE")
  })

  it("splits the unit off: the key is the building", () => {
    assert.deepStrictEqual(ok("3555 Auburn Boulevard, Apt. 12"), { key: "3555 AUBURN BLVD", kind: "address", unit: "12" })
    for (const spelling of ["3555 AUBURN BLVD #12", "3555 AUBURN BLVD # 12", "3555 AUBURN BLVD APT #12", "3555 auburn blvd unit12", "3555 AUBURN BLVD STE 12"]) {
      assert.deepStrictEqual(ok(spelling), { key: "3555 AUBURN BLVD", kind: "address", unit: "12" }, spelling)
    }
    assert.deepStrictEqual(ok("2000 MACK RD SPACE 7B"), { key: "2000 MACK RD", kind: "address", unit: "7B" })
    assert.deepStrictEqual(ok("3555 AUBURN BLVD APT"), { key: "3555 AUBURN BLVD", kind: "address" })
  })

  it("keeps a street named with a unit word, a house number's letter and a half", () => {
    assert.deepStrictEqual(ok("100 SPACE PARK DR"), { key: "100 SPACE PARK DR", kind: "address" })
    assert.strictEqual(ok("1514A MCALLISTER AVE").key, "1514A MCALLISTER AVE")
    assert.strictEqual(ok("6624 1/2 VALLEY HI DR").key, "6624 1/2 VALLEY HI DR")
  })

  it("keeps a block mask as a block", () => {
    assert.deepStrictEqual(ok("23XX 10TH AVE"), { key: "23XX 10TH AVE", kind: "block" })
    assert.deepStrictEqual(ok("23xx 10th avenue"), { key: "23XX 10TH AVE", kind: "block" })
  })

  it("gives an intersection one key whichever way and with whichever joint it is written", () => {
    const key = "NORTHGATE BLVD / W SILVER EAGLE RD"
    for (const spelling of [
      "NORTHGATE BLVD / W SILVER EAGLE RD",
      "W SILVER EAGLE RD / NORTHGATE BLVD",
      "West Silver Eagle Road & Northgate Boulevard",
      "northgate blvd and w silver eagle rd",
      "NORTHGATE BLVD/W SILVER EAGLE RD"
    ]) {
      assert.deepStrictEqual(ok(spelling), { key, kind: "intersection" }, spelling)
    }
    assert.strictEqual(ok("5TH STREET/I STREET").key, "5TH ST / I ST")
    assert.strictEqual(ok("ANDERSON RD").kind, "address")
  })

  it("rejects empty and garbage input with the reason", () => {
    assert.strictEqual(reason(""), "empty")
    assert.strictEqual(reason(" ,.; "), "empty")
    assert.strictEqual(reason("/"), "empty")
    assert.strictEqual(reason("12345"), "no-street-name")
    assert.strictEqual(reason("23XX"), "no-street-name")
    assert.strictEqual(reason("APT 4"), "no-street-name")
    assert.strictEqual(reason("123 #4"), "no-street-name")
    assert.strictEqual(reason("MAIN ST /"), "incomplete-intersection")
    assert.strictEqual(reason("& K ST"), "incomplete-intersection")
    assert.strictEqual(reason("12 / 14"), "no-street-name")
  })

  it("keeps the input out of the error's message (it is personal data)", () => {
    const result = normalizeAddress("APT 4")
    if (Result.isSuccess(result)) return assert.fail("expected a rejection")
    assert.strictEqual(result.failure.input, "APT 4")
    assert.notInclude(result.failure.message, "APT 4")
  })
})

// Generators: an address from parts, and the many ways records spell it.
const suffix = fc.constantFrom(
  ["BOULEVARD", "BLVD"], ["STREET", "ST"], ["AVENUE", "AVE"], ["ROAD", "RD"], ["DRIVE", "DR"], ["COURT", "CT"],
  ["WAY", "WAY"], ["CIRCLE", "CIR"], ["PARKWAY", "PKWY"], ["LANE", "LN"], ["PLACE", "PL"]
)
const directional = fc.constantFrom(["NORTH", "N"], ["SOUTH", "S"], ["EAST", "E"], ["WEST", "W"])
const name = fc.constantFrom("AUBURN", "ARDEN", "FREEPORT", "SUTTERVILLE", "68TH", "10TH", "SILVER EAGLE", "EL CAMINO", "K", "VALLEY HI", "LAND PARK")
const street = fc.record({ directional: fc.option(directional, { nil: undefined }), name, suffix })
type Street = typeof street extends fc.Arbitrary<infer T> ? T : never
const canonical = (s: Street): string => [s.directional?.[1], s.name, s.suffix[1]].filter((w) => w !== undefined).join(" ")

/** A spelling: full or abbreviated words, random case, spacing and stray periods. */
const spelling = fc.record({ full: fc.boolean(), caseBits: fc.nat(), space: fc.constantFrom(" ", "  ", "\t", "   "), dot: fc.boolean() })
type Spelling = typeof spelling extends fc.Arbitrary<infer T> ? T : never
const mixCase = (text: string, bits: number): string =>
  [...text].map((c, i) => ((bits >> (i % 30)) & 1) === 1 ? c.toLowerCase() : c).join("")
const spell = (s: Street, how: Spelling): string => {
  const words = [
    s.directional?.[how.full ? 0 : 1],
    s.name,
    how.full ? s.suffix[0] : `${s.suffix[1]}${how.dot ? "." : ""}`
  ].filter((w) => w !== undefined)
  return mixCase(words.join(how.space), how.caseBits)
}
const house = fc.integer({ min: 1, max: 99999 })
const unit = fc.record({
  designator: fc.constantFrom("APT", "UNIT", "STE", "#", "SPACE", "SPC", "APARTMENT", "SUITE"),
  id: fc.stringMatching(/^[1-9][0-9]{0,3}[A-Z]?$/)
})

describe("normalizeAddress (properties)", () => {
  it("is idempotent: a key normalizes to itself, with the same kind, for any input", () => {
    const anyAddress = fc.oneof(
      fc.string(),
      fc.string({ unit: "grapheme" }),
      fc.stringMatching(/^[0-9A-Za-z #&/.,'-]{0,40}$/),
      fc.tuple(house, street, spelling).map(([n, s, how]) => `${n} ${spell(s, how)}`),
      fc.tuple(street, street, spelling).map(([a, b, how]) => `${spell(a, how)} / ${spell(b, how)}`)
    )
    fc.assert(
      fc.property(anyAddress, (raw) => {
        const first = normalizeAddress(raw)
        if (Result.isFailure(first)) return
        const again = ok(first.success.key)
        assert.deepStrictEqual(again, { key: first.success.key, kind: first.success.kind })
        assert.isTrue(Schema.is(AddressKey)(first.success.key))
      }),
      { numRuns: 2000 }
    )
  })

  it("maps case, spacing, punctuation and abbreviation variants of an address to one key and unit", () => {
    fc.assert(
      fc.property(house, street, spelling, fc.option(unit, { nil: undefined }), fc.boolean(), (n, s, how, u, comma) => {
        const unitText = u === undefined ? "" : `${comma ? "," : ""} ${u.designator} ${mixCase(u.id, how.caseBits)}`
        const normalized = ok(`${how.space}${n}${how.space}${spell(s, how)}${unitText}${how.space}`)
        const expected = { key: `${n} ${canonical(s)}`, kind: "address" as const }
        assert.deepStrictEqual(normalized, u === undefined ? expected : { ...expected, unit: u.id })
      }),
      { numRuns: 1000 }
    )
  })

  it("gives an intersection the same key in either order and with any joint", () => {
    const joint = fc.constantFrom(" / ", "/", " & ", "&", " and ", " AND ")
    fc.assert(
      fc.property(street, street, spelling, spelling, joint, joint, (a, b, howA, howB, j1, j2) => {
        const one = ok(`${spell(a, howA)}${j1}${spell(b, howB)}`)
        const other = ok(`${spell(b, howB)}${j2}${spell(a, howA)}`)
        assert.deepStrictEqual(one, other)
        assert.strictEqual(one.kind, "intersection")
        assert.sameMembers(one.key.split(" / "), [canonical(a), canonical(b)])
      }),
      { numRuns: 1000 }
    )
  })

  it("keeps a block-masked address a block, with its mask", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), street, spelling, (hundreds, s, how) => {
        const mask = `${hundreds === 0 ? "" : hundreds}XX`
        const normalized = ok(`${mixCase(mask, how.caseBits)} ${spell(s, how)}`)
        assert.deepStrictEqual(normalized, { key: `${mask} ${canonical(s)}`, kind: "block" })
        assert.strictEqual(ok(normalized.key).kind, "block")
      }),
      { numRuns: 500 }
    )
  })
})

describe("normalizeAddress on the January 2006 crime reports", () => {
  // Bare CR line endings, a header row, no quoted fields.
  const [header = "", ...records] = readFileSync(crimeReports, "latin1").split("\r")
  const addressColumn = header.split(",").indexOf("address")
  const raws = records.map((record) => record.split(",")[addressColumn] ?? "")
  const normalized = raws.map(ok)
  const spellings = new Map<string, Set<string>>()
  const counts = new Map<string, number>()
  normalized.forEach(({ key }, index) => {
    counts.set(key, (counts.get(key) ?? 0) + 1)
    spellings.set(key, (spellings.get(key) ?? new Set()).add(raws[index] ?? ""))
  })

  it("normalizes every one of the 7,584 addresses, none with a unit", () => {
    assert.lengthOf(raws, 7584)
    assert.isTrue(normalized.every((address) => address.unit === undefined))
  })

  it("finds 5,249 places among the 5,492 distinct spellings: 240 corners written both ways and 3 spelling variants", () => {
    assert.strictEqual(new Set(raws).size, 5492)
    assert.strictEqual(counts.size, 5249)
    // Corners written in both orders, counted from the raw text alone.
    const corners = new Map<string, Set<string>>()
    for (const raw of new Set(raws)) {
      if (!raw.includes(" / ")) continue
      const sorted = raw.split(" / ").sort().join(" / ")
      corners.set(sorted, (corners.get(sorted) ?? new Set()).add(raw))
    }
    const bothWays = [...corners.values()].filter((written) => written.size === 2).length
    assert.strictEqual(bothWays, 240)
    // Every other merge of spellings, exactly.
    const merged = [...spellings.values()].filter((written) => written.size > 1).map((written) => [...written].sort())
    const mirrorImages = merged.filter((written) =>
      written.length === 2 && written[0]?.split(" / ").reverse().join(" / ") === written[1]
    )
    assert.strictEqual(mirrorImages.length, 239)
    assert.sameDeepMembers(merged.filter((written) => !mirrorImages.includes(written)), [
      ["5TH ST / I ST", "5TH STREET/I STREET", "I ST / 5TH ST"],
      ["1112 I ST", "1112 I STREET"],
      ["4319 13TH AV", "4319 13TH AVE"]
    ])
    assert.strictEqual(5492 - (counts.size), 240 + 3)
  })

  it("gives the five most reported addresses with their counts", () => {
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5)
    assert.deepStrictEqual(top, [
      ["3555 AUBURN BLVD", 47],
      ["1689 ARDEN WAY", 31],
      ["5770 FREEPORT BLVD", 29],
      ["2750 SUTTERVILLE RD", 26],
      ["2250 68TH AVE", 23]
    ])
  })

  it("counts 134 spellings but 155 places with 5 or more reports, once corners are merged", () => {
    const rawCounts = new Map<string, number>()
    for (const raw of raws) rawCounts.set(raw, (rawCounts.get(raw) ?? 0) + 1)
    assert.strictEqual([...rawCounts.values()].filter((n) => n >= 5).length, 134)
    assert.strictEqual([...counts.values()].filter((n) => n >= 5).length, 155)
  })
})
