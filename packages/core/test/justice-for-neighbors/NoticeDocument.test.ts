import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { redact, sacramento } from "@community-policing/core"
import { NoticeKind } from "@community-policing/core/justice-for-neighbors"
import { defaultNoticeTemplates, sacramentoNoticeTemplates } from "../../src/justice-for-neighbors/DefaultNoticeTemplates.ts"
import {
  IncompleteNoticeDocument,
  makeDocument,
  type NoticeData,
  NoticeDocument,
  noticeDocumentId
} from "../../src/justice-for-neighbors/NoticeDocument.ts"
import { renderNoticeHtml, renderNoticeText } from "../../src/justice-for-neighbors/NoticeRendering.ts"
import {
  type NoticeTemplate,
  parseNoticeText,
  standardNoticePlaceholders,
  noticeTemplateProblems,
  validateNoticeTemplate,
  validateNoticeTemplateSet
} from "../../src/justice-for-neighbors/NoticeTemplate.ts"
import {
  describePeriod,
  formatDollars,
  formatNoticeDate,
  formatNoticeDateTime,
  violationOrdinal
} from "../../src/justice-for-neighbors/NoticeValues.ts"

const common: NoticeData = {
  cityName: "City of Sacramento",
  issuingOffice: "Justice for Neighbors, Council District 3",
  documentDate: "March 2, 2026",
  caseNumber: "JFN-2026-0042",
  addresseeName: "Riverside Lodging LLC",
  addresseeAddress: "c/o Pat Owner\n1200 K Street, Suite 400\nSacramento, CA 95814",
  propertyAddress: "2300 Stockton Blvd",
  contactPhone: "916-555-0142"
}

/** Complete data for each kind, as the case workflow would supply it. */
const dataFor: { readonly [K in NoticeKind]: NoticeData } = {
  "owner-letter": {
    ...common,
    businessName: "Riverside Motel",
    callWindow: "the 30 days ending March 1, 2026",
    callsCounted: "4",
    thresholdDescription: "3 calls within 30 days, on separate days",
    respondBy: "March 16, 2026"
  },
  "notice-of-violation": {
    ...common,
    category: "illegal-dumping",
    violations: ["City Code 8.04.100: mattresses and furniture dumped in the rear yard", "City Code 8.04.110: refuse not in a container"],
    compliancePeriod: "14 calendar days",
    complianceDue: "March 16, 2026"
  },
  "notice-of-public-nuisance": {
    ...common,
    category: "blight",
    findings: ["Repeated dumping after the notice of violation", "Open, vacant rooms used by trespassers"],
    abateBy: "April 1, 2026",
    substandardBuilding: "no",
    drugActivity: "no"
  },
  "administrative-citation": {
    ...common,
    citationNumber: "AC-2026-0112",
    violation: "City Code 8.04.100, refuse dumped in the rear yard",
    violationDate: "March 17, 2026",
    violationOrdinal: "second",
    fineSchedule: "general",
    fineAmount: "$200.00",
    fineCap: "$200.00",
    payBy: "April 16, 2026",
    hearingRequestBy: "April 6, 2026",
    courtAppealPeriod: "20 calendar days"
  },
  "hearing-notice": {
    ...common,
    hearingSubject: "the appeal of citation AC-2026-0112",
    hearingDateTime: "Tuesday, April 14, 2026 at 9:30 AM",
    hearingPlace: "City Hall, 915 I Street, Hearing Room 2",
    courtAppealPeriod: "20 calendar days"
  },
  "hearing-decision": {
    ...common,
    hearingSubject: "the notice of public nuisance of March 23, 2026",
    hearingDate: "April 8, 2026",
    hearingOfficerName: "A. Hearing Officer",
    outcome: "upheld",
    findings: ["Refuse remains in the rear yard", "The owner did not correct it after notice"],
    courtAppealPeriod: "20 calendar days"
  },
  "post-abatement-notice": {
    ...common,
    abatedOn: "March 4, 2026",
    hazardReason: "a collapsing porch over the public sidewalk",
    workDone: ["Porch shored", "Sidewalk closed for two days"],
    abatementCost: "$1,200.00",
    hearingRequestBy: "March 20, 2026"
  },
  "abatement-order": {
    ...common,
    workRequired: ["Remove all refuse from the rear yard", "Secure the vacant rooms against entry"],
    abateBy: "May 1, 2026",
    afterHearing: "no",
    substandardBuilding: "yes",
    drugActivity: "no",
    courtAppealPeriod: "20 calendar days"
  },
  "cost-invoice": {
    ...common,
    invoiceNumber: "INV-2026-0007",
    costItems: ["Refuse removal by contractor: $1,850.00", "Staff time, 6 hours: $540.00"],
    totalCost: "$2,390.00",
    payBy: "June 1, 2026"
  },
  "lien-notice": {
    ...common,
    lienAmount: "$2,390.00",
    abatementOrderDate: "April 2, 2026",
    parcelNumber: "014-0123-004-0000",
    legalDescription: "Lot 4, Block 12, Oak Park Subdivision",
    recordingOn: "July 15, 2026"
  },
  "special-assessment-notice": {
    ...common,
    assessmentAmount: "$2,390.00",
    abatementOrderDate: "April 2, 2026",
    parcelNumber: "014-0123-004-0000",
    hearingDateTime: "Tuesday, June 30, 2026 at 6:00 PM",
    hearingPlace: "City Council Chamber, 915 I Street"
  }
}

const made = (template: NoticeTemplate, data: NoticeData): NoticeDocument => {
  const result = makeDocument(template, data)
  if (Result.isFailure(result)) assert.fail(result.failure.message)
  return result.success
}

const failed = (template: NoticeTemplate, data: NoticeData): IncompleteNoticeDocument => {
  const result = makeDocument(template, data)
  if (Result.isSuccess(result)) assert.fail("expected the document to be refused")
  return result.failure
}

const problemList = (error: IncompleteNoticeDocument) => error.problems.map((p) => `${p.problem}:${p.placeholder}`)
const sources = (document: NoticeDocument) => document.citations.map((c) => c.source)
const bodyText = (document: NoticeDocument) => renderNoticeText(document)

describe("default templates", () => {
  for (const set of [defaultNoticeTemplates, sacramentoNoticeTemplates]) {
    for (const kind of NoticeKind.literals) {
      it(`${set[kind].id}: a faultless template that makes a whole document from the case's data`, () => {
        const template = set[kind]
        assert.strictEqual(template.kind, kind)
        assert.deepStrictEqual(noticeTemplateProblems(template), [])
        const document = made(template, dataFor[kind])
        assert.strictEqual(document.kind, kind)
        assert.deepStrictEqual(document.addressee, {
          name: "Riverside Lodging LLC",
          addressLines: ["c/o Pat Owner", "1200 K Street, Suite 400", "Sacramento, CA 95814"]
        })
        assert.include(document.fields.map((f) => `${f.label}: ${f.value}`), "Case number: JFN-2026-0042")
        const text = renderNoticeText(document)
        assert.notInclude(text, "{{")
        assert.notInclude(text, "}}")
        assert.include(text, "916-555-0142")
        assert.isAbove(document.citations.length, 0)
      })
    }
  }

  it("owner letter: invites a meeting and says protected calls never count (Gov. Code 53165; 34 U.S.C. 12495)", () => {
    const document = made(defaultNoticeTemplates["owner-letter"], dataFor["owner-letter"])
    assert.strictEqual(document.title, "Request to meet about calls for service at Riverside Motel")
    assert.include(bodyText(document), "In the 30 days ending March 1, 2026, police were called to Riverside Motel at 2300 Stockton Blvd 4 times.")
    assert.include(bodyText(document), "3 calls within 30 days, on separate days")
    assert.deepStrictEqual(sources(document), ["Gov. Code 53165", "34 U.S.C. 12495"])
  })

  it("notice of violation: lists the violations and the time to comply; the reasonable-time rule for non-dangerous categories (Gov. Code 53069.4(a)(2))", () => {
    const document = made(defaultNoticeTemplates["notice-of-violation"], dataFor["notice-of-violation"])
    assert.deepStrictEqual(document.paragraphs[2], { _tag: "List", items: dataFor["notice-of-violation"].violations as Array<string> })
    assert.include(bodyText(document), "You have 14 calendar days to correct them: by March 16, 2026.")
    assert.notInclude(bodyText(document), "Because the building is dangerous")
    assert.deepStrictEqual(sources(document), ["Gov. Code 53069.4(a)(2)", "Gov. Code 36900(b), (c)"])
  })

  it("notice of violation for a dangerous building: an order whose date starts the time to obtain permits and begin work, with a completion date; Sacramento's set cites City Code 8.96.130(B)(3), the default none", () => {
    const data = {
      ...dataFor["notice-of-violation"],
      category: "dangerous-building",
      orderDate: "March 2, 2026",
      startPeriod: "30 calendar days",
      startDue: "April 1, 2026",
      complianceDue: "June 30, 2026"
    }
    const general = made(defaultNoticeTemplates["notice-of-violation"], data)
    assert.include(
      bodyText(general),
      "Within 30 calendar days of the date of this order, by April 1, 2026, you must obtain the permits needed to repair or demolish the building and begin the work. The work must be completed by June 30, 2026."
    )
    assert.notInclude(bodyText(general), "You have")
    assert.deepStrictEqual(sources(general), ["Gov. Code 36900(b), (c)"])
    const local = made(sacramentoNoticeTemplates["notice-of-violation"], data)
    assert.deepStrictEqual(sources(local), ["Sacramento City Code 8.96.130(B)(3)", "Gov. Code 36900(b), (c)"])
    assert.include(local.citations[0]!.text, "begin the work within 30 calendar days of the date of the order")
  })

  it("notice of public nuisance: receivership and the Drug Abatement Act appear only where they apply (H&S 17980.6/.7, 11570)", () => {
    const template = defaultNoticeTemplates["notice-of-public-nuisance"]
    assert.deepStrictEqual(sources(made(template, dataFor["notice-of-public-nuisance"])), ["Gov. Code 38773"])
    const both = made(template, { ...dataFor["notice-of-public-nuisance"], substandardBuilding: "yes", drugActivity: "yes" })
    assert.deepStrictEqual(sources(both), [
      "Gov. Code 38773",
      "Health and Safety Code 17980.6",
      "Health and Safety Code 17980.7",
      "Health and Safety Code 11570 (Drug Abatement Act)"
    ])
    assert.include(bodyText(both), "appoint a receiver")
    assert.include(bodyText(both), "Drug Abatement Act")
  })

  it("administrative citation: the fine, its cap under the schedule that applies (Gov. Code 36900(b) or (c)) and the court appeal (53069.4(b)(1))", () => {
    const general = made(defaultNoticeTemplates["administrative-citation"], dataFor["administrative-citation"])
    assert.strictEqual(general.title, "Administrative citation AC-2026-0112")
    assert.deepStrictEqual(sources(general), ["Gov. Code 36900(b)", "Gov. Code 53069.4(b)(1)"])
    assert.include(general.citations[0]!.text, "for the second violation within one year, to $200.00")
    assert.include(general.citations[1]!.text, "within 20 calendar days after it is served on you")
    const building = made(defaultNoticeTemplates["administrative-citation"], {
      ...dataFor["administrative-citation"],
      fineSchedule: "building-and-safety",
      fineAmount: "$700.00",
      fineCap: "$700.00"
    })
    assert.deepStrictEqual(sources(building), ["Gov. Code 36900(c)", "Gov. Code 53069.4(b)(1)"])
  })

  it("hearing decision: who decided, the findings, and the appeal to the superior court from its service", () => {
    const document = made(defaultNoticeTemplates["hearing-decision"], dataFor["hearing-decision"])
    const text = bodyText(document)
    assert.include(text, "hearing officer A. Hearing Officer heard the notice of public nuisance of March 23, 2026")
    assert.include(text, "Refuse remains in the rear yard")
    assert.include(text, "The hearing officer upheld the city's action.")
    assert.notInclude(text, "overturned")
    assert.include(text, "within 20 calendar days after it is served on you")
    assert.include(sources(document), "Gov. Code 53069.4(b)(1)")
  })

  it("notice after a summary abatement: when, why, what it cost", () => {
    const document = made(defaultNoticeTemplates["post-abatement-notice"], dataFor["post-abatement-notice"])
    const text = bodyText(document)
    assert.include(text, "On March 4, 2026, the City of Sacramento abated an imminent hazard at 2300 Stockton Blvd without notice beforehand")
    assert.include(text, "a collapsing porch over the public sidewalk")
    assert.include(text, "$1,200.00")
    assert.include(sources(document), "Gov. Code 38773")
  })

  it("hearing notice: when and where, and the appeal to the superior court", () => {
    const document = made(defaultNoticeTemplates["hearing-notice"], dataFor["hearing-notice"])
    assert.include(bodyText(document), "will be held on Tuesday, April 14, 2026 at 9:30 AM at City Hall, 915 I Street, Hearing Room 2.")
    assert.deepStrictEqual(sources(document), ["Gov. Code 53069.4(b)(1)"])
  })

  it("abatement order after a hearing: the appeal ran from the served decision, not from the order", () => {
    const document = made(defaultNoticeTemplates["abatement-order"], { ...dataFor["abatement-order"], afterHearing: "yes" })
    const text = bodyText(document)
    assert.include(text, "carries out the hearing officer's decision")
    assert.include(text, "within 20 calendar days after that decision was served on you, not after this order")
    assert.notInclude(text, "This is a final administrative order.")
  })

  it("abatement order: the work, the deadline, the final order's appeal, and receivership for a substandard building", () => {
    const document = made(defaultNoticeTemplates["abatement-order"], dataFor["abatement-order"])
    assert.deepStrictEqual(document.paragraphs[2], { _tag: "List", items: ["Remove all refuse from the rear yard", "Secure the vacant rooms against entry"] })
    assert.deepStrictEqual(sources(document), [
      "Gov. Code 53069.4(b)(1)",
      "Gov. Code 38773",
      "Health and Safety Code 17980.6",
      "Health and Safety Code 17980.7"
    ])
  })

  it("cost invoice: the items, the total and the lien or special assessment that may follow (Gov. Code 38773.1, 38773.5)", () => {
    const document = made(defaultNoticeTemplates["cost-invoice"], dataFor["cost-invoice"])
    assert.include(bodyText(document), "- Refuse removal by contractor: $1,850.00\n- Staff time, 6 hours: $540.00")
    assert.include(bodyText(document), "Total due: $2,390.00")
    assert.deepStrictEqual(sources(document), ["Gov. Code 38773.1", "Gov. Code 38773.5"])
  })

  it("lien notice: states what Gov. Code 38773.1(c)(1) requires of a lien (amount, agency, order date, parcel, owner)", () => {
    const document = made(defaultNoticeTemplates["lien-notice"], dataFor["lien-notice"])
    const fields = Object.fromEntries(document.fields.map((f) => [f.label, f.value]))
    assert.deepInclude(fields, {
      "Amount of the lien": "$2,390.00",
      "Lien on behalf of": "City of Sacramento",
      "Date of the abatement order": "April 2, 2026",
      "Property": "2300 Stockton Blvd",
      "Legal description": "Lot 4, Block 12, Oak Park Subdivision",
      "Assessor's parcel number": "014-0123-004-0000",
      "Owner of record": "Riverside Lodging LLC"
    })
    assert.deepStrictEqual(sources(document), ["Gov. Code 38773.1(a), (b)", "Gov. Code 38773.1(c)"])
  })
})

describe("makeDocument refuses rather than leave a hole", () => {
  const template = defaultNoticeTemplates["notice-of-violation"]

  it("lists every missing placeholder once, where the template first needs it", () => {
    const { caseNumber: _c, complianceDue: _d, violations: _v, ...partial } = dataFor["notice-of-violation"]
    const error = failed(template, partial)
    assert.strictEqual(error._tag, "IncompleteNoticeDocument")
    assert.strictEqual(error.kind, "notice-of-violation")
    assert.sameMembers(problemList(error), ["missing:caseNumber", "missing:complianceDue", "missing:violations"])
    assert.strictEqual(error.problems.find((p) => p.placeholder === "violations")?.where, "paragraphs[2].items")
    assert.match(error.message, /missing \{\{caseNumber\}\}/)
  })

  it("refuses blank values, an empty list or a blank item, a list for a text and a text for a list", () => {
    const error = failed(template, {
      ...dataFor["notice-of-violation"],
      caseNumber: "   ",
      violations: ["ok", " "],
      complianceDue: ["March 16"],
      compliancePeriod: ""
    })
    assert.sameMembers(problemList(error), ["blank:caseNumber", "blank:violations", "wrong-type:complianceDue", "blank:compliancePeriod"])
    assert.sameMembers(problemList(failed(template, { ...dataFor["notice-of-violation"], violations: [] })), ["blank:violations"])
    assert.sameMembers(problemList(failed(template, { ...dataFor["notice-of-violation"], violations: "one" })), ["wrong-type:violations"])
  })

  it("refuses a value outside the placeholder's allowed values", () => {
    const error = failed(template, { ...dataFor["notice-of-violation"], category: "noise" })
    assert.deepStrictEqual(problemList(error), ["not-allowed:category"])
  })

  it("asks only for the condition's value when it is missing, not for what the condition guards", () => {
    const { category: _, ...withoutCategory } = dataFor["notice-of-violation"]
    assert.deepStrictEqual(problemList(failed(template, withoutCategory)), ["missing:category"])
    const { substandardBuilding: _s, ...noFlag } = dataFor["abatement-order"]
    assert.deepStrictEqual(problemList(failed(defaultNoticeTemplates["abatement-order"], noFlag)), ["missing:substandardBuilding"])
  })

  it("reports unknown and malformed placeholders in the template, even in a part its condition hides", () => {
    const broken: NoticeTemplate = {
      ...template,
      title: "Notice {{ caseNumbr }} {{bad name}} {{unclosed",
      citations: [{ source: "X", text: "{{inspector}} }}", when: { placeholder: "category", oneOf: ["dangerous-building"] } }]
    }
    const error = failed(broken, dataFor["notice-of-violation"])
    assert.sameMembers(problemList(error), [
      "unknown:caseNumbr",
      "malformed:{{bad name}}",
      "malformed:{{unclosed",
      "unknown:inspector",
      "malformed:}}"
    ])
  })

  it("reports a list placed in a text, a text used as a list, a condition on a value its placeholder never takes", () => {
    const broken: NoticeTemplate = {
      ...template,
      paragraphs: [
        { _tag: "Text", text: "{{violations}}" },
        { _tag: "List", items: "caseNumber" },
        { _tag: "Text", text: "x", when: { placeholder: "category", oneOf: ["noise"] } }
      ]
    }
    assert.sameMembers(problemList(failed(broken, dataFor["notice-of-violation"])), [
      "wrong-type:violations",
      "wrong-type:caseNumber",
      "not-allowed:category"
    ])
  })

  it("fills a placeholder the template declares, and refuses one that redeclares a standard placeholder", () => {
    const extended: NoticeTemplate = {
      ...template,
      id: "springfield-notice-of-violation",
      paragraphs: [...template.paragraphs, { _tag: "Text", text: "Inspected by {{inspectorName}}." }],
      placeholders: [{ name: "inspectorName", type: "text", description: "Who inspected." }]
    }
    assert.deepStrictEqual(problemList(failed(extended, dataFor["notice-of-violation"])), ["missing:inspectorName"])
    assert.include(bodyText(made(extended, { ...dataFor["notice-of-violation"], inspectorName: "R. Diaz" })), "Inspected by R. Diaz.")
    const redeclared: NoticeTemplate = { ...template, placeholders: [{ name: "caseNumber", type: "text", description: "again" }] }
    assert.deepStrictEqual(problemList(failed(redeclared, dataFor["notice-of-violation"])), ["redeclared:caseNumber"])
  })

  it("places values as written: a value that looks like a placeholder is not filled again, extra data is ignored", () => {
    const document = made(template, { ...dataFor["notice-of-violation"], addresseeName: "{{caseNumber}} Holdings", unused: "x" })
    assert.strictEqual(document.addressee.name, "{{caseNumber}} Holdings")
    assert.include(document.paragraphs.map((p) => (p._tag === "Text" ? p.text : "")), "Dear {{caseNumber}} Holdings,")
  })
})

describe("document id and sensitivity", () => {
  it("derives the id from the content: same content, same id; another word, another id", () => {
    const first = made(defaultNoticeTemplates["cost-invoice"], dataFor["cost-invoice"])
    const again = made(defaultNoticeTemplates["cost-invoice"], dataFor["cost-invoice"])
    const other = made(defaultNoticeTemplates["cost-invoice"], { ...dataFor["cost-invoice"], totalCost: "$2,391.00" })
    assert.match(first.id, /^sha256:[0-9a-f]{64}$/)
    assert.strictEqual(first.id, again.id)
    assert.notStrictEqual(first.id, other.id)
    assert.strictEqual(noticeDocumentId(first), first.id)
  })

  it("marks the addressee personal: a public view of a document has no addressee", () => {
    const document = made(defaultNoticeTemplates["lien-notice"], dataFor["lien-notice"])
    const view = redact(NoticeDocument, document, "public") as Record<string, unknown>
    assert.notProperty(view, "addressee")
    assert.property(redact(NoticeDocument, document, "staff") as Record<string, unknown>, "addressee")
  })
})

describe("rendering", () => {
  it("renders plain text: title underlined, addressee, paragraphs, list items, fields, citations", () => {
    const document = made(defaultNoticeTemplates["hearing-notice"], dataFor["hearing-notice"])
    assert.strictEqual(
      renderNoticeText(document),
      [
        "Notice of administrative hearing",
        "================================",
        "",
        "Riverside Lodging LLC",
        "c/o Pat Owner",
        "1200 K Street, Suite 400",
        "Sacramento, CA 95814",
        "",
        "Dear Riverside Lodging LLC,",
        "",
        "An administrative hearing on the appeal of citation AC-2026-0112 will be held on Tuesday, April 14, 2026 at 9:30 AM at City Hall, 915 I Street, Hearing Room 2.",
        "",
        "You may attend, bring witnesses and documents, and be represented. If you do not attend, the hearing officer may decide without you.",
        "",
        "If you have questions, call Justice for Neighbors, Council District 3 at 916-555-0142 and give your case number, JFN-2026-0042.",
        "",
        "Justice for Neighbors, Council District 3, City of Sacramento",
        "",
        "Case number: JFN-2026-0042",
        "Date: March 2, 2026",
        "Property: 2300 Stockton Blvd",
        "Hearing: Tuesday, April 14, 2026 at 9:30 AM",
        "Place: City Hall, 915 I Street, Hearing Room 2",
        "",
        "Legal basis",
        "- Gov. Code 53069.4(b)(1): You may appeal a final administrative order or decision to the superior court within 20 calendar days after it is served on you.",
        ""
      ].join("\n")
    )
  })

  it("renders HTML with every value escaped: a <script> in the data stays text", () => {
    const hostile = '<script>alert("x")</script> & Sons \'Ltd\''
    const document = made(defaultNoticeTemplates["notice-of-violation"], {
      ...dataFor["notice-of-violation"],
      addresseeName: hostile,
      violations: ["<img src=x onerror=alert(1)>"]
    })
    const html = renderNoticeHtml(document)
    assert.notInclude(html, "<script")
    assert.notInclude(html, "<img")
    assert.include(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons &#39;Ltd&#39;")
    assert.include(html, "<li>&lt;img src=x onerror=alert(1)&gt;</li>")
    assert.include(html, '<article class="notice" data-kind="notice-of-violation" lang="en">')
    assert.include(html, "<address>&lt;script&gt;")
    assert.include(html, "c/o Pat Owner<br>1200 K Street, Suite 400<br>Sacramento, CA 95814</address>")
    assert.include(html, '<section class="legal-basis"><h2>Legal basis</h2><ul><li><cite>Gov. Code 53069.4(a)(2)</cite>: ')
  })

  it("never lets data add markup, whatever the text (property)", () => {
    const allowedTags = /<\/?(article|h1|h2|address|p|ul|li|dl|dt|dd|section|cite)( [^<>]*)?>|<br>/g
    const template = defaultNoticeTemplates["cost-invoice"]
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: fc.constantFrom("<", ">", "&", "\"", "'", "a", " ", "{", "}", "/", "=", "\n") }).filter((s) => s.trim() !== ""),
        fc.array(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ""), { minLength: 1, maxLength: 4 }),
        (name, items) => {
          const result = makeDocument(template, { ...dataFor["cost-invoice"], addresseeName: name, costItems: items })
          if (Result.isFailure(result)) return false
          const stripped = renderNoticeHtml(result.success).replace(allowedTags, "")
          return !stripped.includes("<") && !stripped.includes(">")
        }
      ),
      { numRuns: 300 }
    )
  })

  it("escapes the five HTML-special characters, in the title and fields too", () => {
    const document = made(defaultNoticeTemplates["administrative-citation"], {
      ...dataFor["administrative-citation"],
      citationNumber: `<a href="x">'&'</a>`
    })
    const html = renderNoticeHtml(document)
    assert.include(html, "<h1>Administrative citation &lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</h1>")
    assert.include(html, "<dt>Citation number</dt><dd>&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</dd>")
  })
})

describe("templates as data", () => {
  it("the default and Sacramento sets survive JSON and validate as sets", () => {
    for (const set of [defaultNoticeTemplates, sacramentoNoticeTemplates]) {
      const result = validateNoticeTemplateSet(JSON.parse(JSON.stringify(set)))
      assert.deepStrictEqual(result, Result.succeed(set))
    }
  })

  it("rejects a template file with every problem at its path: unknown keys, bad shapes, bad placeholders", () => {
    const input = {
      ...JSON.parse(JSON.stringify(defaultNoticeTemplates["hearing-notice"])),
      titel: "typo",
      id: "Not A Slug"
    }
    const shape = validateNoticeTemplate(input)
    assert.isTrue(Result.isFailure(shape))
    if (Result.isFailure(shape)) {
      const paths = shape.failure.problems.map((p) => p.path.join("."))
      assert.includeMembers(paths, ["titel", "id"])
    }
    const placeholders = validateNoticeTemplate({ ...defaultNoticeTemplates["hearing-notice"], title: "Hearing {{hearingDate}}" })
    assert.isTrue(Result.isFailure(placeholders))
    if (Result.isFailure(placeholders)) {
      assert.deepStrictEqual(placeholders.failure.problems, [{
        path: ["title"],
        message: 'unknown placeholder hearingDate: hearing-notice has no placeholder "hearingDate"'
      }])
    }
  })

  it("rejects a set with a template under another kind, or a kind missing", () => {
    const swapped = { ...defaultNoticeTemplates, "lien-notice": defaultNoticeTemplates["cost-invoice"] }
    const result = validateNoticeTemplateSet(JSON.parse(JSON.stringify(swapped)))
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) assert.deepStrictEqual(result.failure.problems[0]?.path, ["lien-notice", "kind"])
    const { "owner-letter": _, ...missing } = defaultNoticeTemplates
    assert.isTrue(Result.isFailure(validateNoticeTemplateSet(JSON.parse(JSON.stringify(missing)))))
  })

  it("every kind's standard vocabulary starts with the common placeholders and names each placeholder once", () => {
    for (const kind of NoticeKind.literals) {
      const names = standardNoticePlaceholders(kind).map((p) => p.name)
      assert.strictEqual(names[0], "cityName")
      assert.strictEqual(new Set(names).size, names.length)
    }
  })

  it("parses placeholders with spaces inside the braces and keeps the literal text", () => {
    assert.deepStrictEqual(parseNoticeText("Due {{ complianceDue }}."), {
      pieces: [{ literal: "Due " }, { placeholder: "complianceDue" }, { literal: "." }],
      malformed: []
    })
  })
})

describe("notice values", () => {
  it("writes dates in the jurisdiction's zone: 06:59 UTC on March 21 is still March 20 in Sacramento", () => {
    const instant = DateTime.makeUnsafe("2026-03-21T06:59:00Z")
    assert.deepStrictEqual(formatNoticeDate(instant, sacramento.timeZone), Result.succeed("March 20, 2026"))
    assert.deepStrictEqual(formatNoticeDate(instant, "UTC"), Result.succeed("March 21, 2026"))
    assert.deepStrictEqual(
      formatNoticeDateTime(DateTime.makeUnsafe("2026-04-14T16:30:00Z"), sacramento.timeZone),
      Result.succeed("Tuesday, April 14, 2026 at 9:30 AM")
    )
  })

  it("refuses an unknown time zone with a typed error instead of throwing", () => {
    const result = formatNoticeDate(DateTime.makeUnsafe(0), "Mars/Olympus_Mons")
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) assert.strictEqual(result.failure._tag, "UnknownTimeZone")
  })

  it("writes periods, dollars and ordinals", () => {
    assert.strictEqual(describePeriod({ amount: 14, unit: "calendar-days" }), "14 calendar days")
    assert.strictEqual(describePeriod({ amount: 1, unit: "business-days" }), "1 business day")
    assert.strictEqual(describePeriod({ amount: 48, unit: "hours" }), "48 hours")
    assert.strictEqual(describePeriod(sacramento.programs.justiceForNeighbors.periods.courtAppeal), "20 calendar days")
    assert.strictEqual(formatDollars(1300), "$1,300.00")
    assert.strictEqual(formatDollars(99.5), "$99.50")
    assert.deepStrictEqual([1, 2, 3, 10, 11, 12, 13, 21, 22, 23, 101, 111].map(violationOrdinal), [
      "first", "second", "third", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"
    ])
  })
})
