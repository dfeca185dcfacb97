import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import {
  type DocumentData,
  type DocumentKind,
  type DocumentRegistry,
  type DocumentTemplate,
  defaultNoticeTemplates,
  documentTemplateProblems,
  describePeriod,
  escapeHtml,
  formatDocumentDate,
  formatDocumentDateTime,
  formatDollars,
  JUSTICE_FOR_NEIGHBORS_PROGRAM,
  languageFallbacks,
  makeDocument,
  makeDocumentRegistry,
  makeProgramDocument,
  makeRegisteredDocument,
  noticeDocumentKinds,
  noticeDocumentTemplate,
  NoticeKind,
  type ProgramDocument,
  ProgramDocument as ProgramDocumentSchema,
  redact,
  renderDocumentHtml,
  renderDocumentText,
  renderNoticeHtml,
  resolveDocumentTemplate,
  sacramento,
  valuesWrittenByProgram
} from "@community-policing/core"

// A second program, not Justice for Neighbors: a police commission posting
// the agenda of its meetings under the Brown Act.
const COMMISSION = "police-commission"

const agendaKind: DocumentKind = {
  program: COMMISSION,
  kind: "meeting-agenda",
  published: true,
  placeholders: [
    { name: "commissionName", type: "text", description: "The commission's name.", writtenBy: "program", required: true },
    { name: "meetingDateTime", type: "text", description: "When the meeting starts.", writtenBy: "program", required: true },
    { name: "meetingPlace", type: "text", description: "Where the meeting is held.", writtenBy: "caller", required: true },
    {
      name: "meetingKind",
      type: "text",
      description: "A regular or a special meeting.",
      oneOf: ["regular", "special"],
      writtenBy: "program"
    },
    {
      name: "items",
      type: "list",
      description: "Each item of business with a brief general description (Gov. Code 54954.2(a)(1)).",
      writtenBy: "program",
      required: true
    },
    { name: "chairName", type: "text", description: "Who chairs the commission.", writtenBy: "caller" },
    {
      name: "complainantName",
      type: "text",
      description: "Who filed the complaint a closed session discusses.",
      sensitivity: "confidential",
      writtenBy: "program"
    }
  ]
}

const agendaBase = {
  program: COMMISSION,
  kind: "meeting-agenda",
  fields: [
    { label: "Chair", value: "{{chairName}}" },
    { label: "Place", value: "{{meetingPlace}}" }
  ],
  placeholders: []
} as const

const agendaEnglish: DocumentTemplate = {
  ...agendaBase,
  id: "commission-agenda",
  language: "en",
  title: "{{commissionName}}: agenda of {{meetingDateTime}}",
  paragraphs: [
    { _tag: "Text", text: "The {{commissionName}} meets on {{meetingDateTime}} at {{meetingPlace}}. Items of business:" },
    { _tag: "List", items: "items" },
    { _tag: "Text", text: "Members of the public may address the commission on any item before or during its consideration." }
  ],
  legalBasisHeading: "Authority",
  citations: [
    {
      source: "Gov. Code 54954.2(a)(1)",
      text: "This agenda was posted at least 72 hours before the meeting.",
      when: { placeholder: "meetingKind", oneOf: ["regular"] }
    },
    {
      source: "Gov. Code 54956(a)",
      text: "This special meeting was called with at least 24 hours' notice.",
      when: { placeholder: "meetingKind", oneOf: ["special"] }
    }
  ]
}

const agendaSpanish: DocumentTemplate = {
  ...agendaBase,
  id: "commission-agenda-es",
  language: "es",
  title: "{{commissionName}}: orden del día del {{meetingDateTime}}",
  paragraphs: [
    { _tag: "Text", text: "La {{commissionName}} se reúne el {{meetingDateTime}} en {{meetingPlace}}. Asuntos:" },
    { _tag: "List", items: "items" }
  ],
  legalBasisHeading: "Fundamento legal",
  citations: [{ source: "Gov. Code 54954.2(a)(1)", text: "Este orden del día se publicó al menos 72 horas antes de la sesión." }]
}

const agendaData: DocumentData = {
  commissionName: "Community Police Review Commission",
  meetingDateTime: "Thursday, March 5, 2026 at 6:00 PM",
  meetingPlace: "City Hall, 915 I Street, Council Chamber",
  meetingKind: "regular",
  items: ["Call to order and roll call", "Quarterly report of the Inspector General"],
  chairName: "M. Alvarez"
}

const registryOf = (templates: ReadonlyArray<unknown>, defaultLanguage?: string): DocumentRegistry => {
  const result = makeDocumentRegistry({ kinds: [...noticeDocumentKinds, agendaKind], templates, defaultLanguage })
  if (Result.isFailure(result)) assert.fail(result.failure.message)
  return result.success
}

// The nuisance case's default notices and the commission's agendas, filed side by side.
const noticeTemplates = NoticeKind.literals.map((kind) => noticeDocumentTemplate(defaultNoticeTemplates[kind]))
const registry = registryOf(JSON.parse(JSON.stringify([...noticeTemplates, agendaEnglish, agendaSpanish])))

const made = (result: Result.Result<ProgramDocument, { readonly message: string }>): ProgramDocument => {
  if (Result.isFailure(result)) assert.fail(result.failure.message)
  return result.success
}

const rejected = (templates: ReadonlyArray<unknown>) => {
  const result = makeDocumentRegistry({ kinds: [...noticeDocumentKinds, agendaKind], templates })
  if (Result.isSuccess(result)) assert.fail("expected the templates to be rejected")
  return result.failure
}

describe("a second program's documents through the same engine", () => {
  it("files the commission's agenda beside the nuisance case's notices and makes it from data", () => {
    const agenda = made(makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "en-US", agendaData))
    assert.strictEqual(agenda.program, COMMISSION)
    assert.strictEqual(agenda.kind, "meeting-agenda")
    assert.strictEqual(agenda.templateId, "commission-agenda")
    assert.notProperty(agenda, "addressee")
    assert.match(agenda.id, /^sha256:[0-9a-f]{64}$/)
    assert.strictEqual(
      renderDocumentText(agenda),
      [
        "Community Police Review Commission: agenda of Thursday, March 5, 2026 at 6:00 PM",
        "================================================================================",
        "",
        "The Community Police Review Commission meets on Thursday, March 5, 2026 at 6:00 PM at City Hall, 915 I Street, Council Chamber. Items of business:",
        "",
        "- Call to order and roll call",
        "- Quarterly report of the Inspector General",
        "",
        "Members of the public may address the commission on any item before or during its consideration.",
        "",
        "Chair: M. Alvarez",
        "Place: City Hall, 915 I Street, Council Chamber",
        "",
        "Authority",
        "- Gov. Code 54954.2(a)(1): This agenda was posted at least 72 hours before the meeting.",
        ""
      ].join("\n")
    )
    const special = made(makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "en", { ...agendaData, meetingKind: "special" }))
    assert.deepStrictEqual(special.citations.map((c) => c.source), ["Gov. Code 54956(a)"])
  })

  it("renders the agenda as HTML naming its program, with no addressee", () => {
    const agenda = made(makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "en", agendaData))
    const html = renderDocumentHtml(agenda)
    assert.isTrue(html.startsWith('<article class="document" data-program="police-commission" data-kind="meeting-agenda" lang="en">\n'))
    assert.notInclude(html, "<address>")
    assert.include(html, "<ul><li>Call to order and roll call</li><li>Quarterly report of the Inspector General</li></ul>")
    assert.include(html, "<dt>Chair</dt><dd>M. Alvarez</dd>")
  })

  it("makes a notice through the registry exactly as the nuisance case makes it", () => {
    const data: DocumentData = {
      cityName: "City of Sacramento",
      issuingOffice: "Justice for Neighbors, Council District 3",
      documentDate: "March 2, 2026",
      caseNumber: "JFN-2026-0042",
      addresseeName: "Riverside Lodging LLC",
      addresseeAddress: "1200 K Street\nSacramento, CA 95814",
      propertyAddress: "2300 Stockton Blvd",
      contactPhone: "916-555-0142",
      hearingSubject: "the appeal of citation AC-2026-0112",
      hearingDateTime: "Tuesday, April 14, 2026 at 9:30 AM",
      hearingPlace: "City Hall, 915 I Street, Hearing Room 2",
      courtAppealPeriod: "20 calendar days"
    }
    const viaRegistry = made(makeRegisteredDocument(registry, JUSTICE_FOR_NEIGHBORS_PROGRAM, "hearing-notice", "en", data))
    const notice = makeDocument(defaultNoticeTemplates["hearing-notice"], data)
    if (Result.isFailure(notice)) assert.fail(notice.failure.message)
    const { id: _registryId, program, ...content } = viaRegistry
    const { id: _noticeId, ...noticeContent } = notice.success
    assert.strictEqual(program, JUSTICE_FOR_NEIGHBORS_PROGRAM)
    assert.deepStrictEqual(content, noticeContent)
    assert.strictEqual(renderDocumentHtml(viaRegistry, { articleClass: "notice" }).replace(' data-program="justice-for-neighbors"', ""), renderNoticeHtml(notice.success))
  })

  it("marks the addressee personal: a public view of a letter has none", () => {
    const letter = made(makeRegisteredDocument(registry, JUSTICE_FOR_NEIGHBORS_PROGRAM, "cost-invoice", "en", {
      cityName: "City of Sacramento",
      issuingOffice: "Justice for Neighbors",
      documentDate: "March 2, 2026",
      caseNumber: "JFN-2026-0042",
      addresseeName: "Riverside Lodging LLC",
      addresseeAddress: "1200 K Street",
      propertyAddress: "2300 Stockton Blvd",
      contactPhone: "916-555-0142",
      invoiceNumber: "INV-1",
      costItems: ["Refuse removal: $1,850.00"],
      totalCost: "$1,850.00",
      payBy: "June 1, 2026"
    }))
    assert.notProperty(redact(ProgramDocumentSchema, letter, "public") as Record<string, unknown>, "addressee")
    assert.property(redact(ProgramDocumentSchema, letter, "staff") as Record<string, unknown>, "addressee")
  })

  it("names the values a caller may not give: those the program writes", () => {
    assert.deepStrictEqual(
      valuesWrittenByProgram(agendaKind, agendaEnglish, { meetingPlace: "Room 2", meetingDateTime: "tomorrow", items: ["x"], other: "y" }),
      ["meetingDateTime", "items"]
    )
  })
})

describe("HTML escapes every value", () => {
  const allowedTag = new RegExp(
    "^(?:<article class=\"document\" data-program=\"police-commission\" data-kind=\"meeting-agenda\" lang=\"en\">" +
      "|</article>|<br>|</?(?:h1|h2|p|ul|li|dl|dt|dd|cite)>|<section class=\"legal-basis\">|</section>)$"
  )
  const hostile = fc.string({
    minLength: 1,
    maxLength: 40,
    unit: fc.constantFrom("<", ">", "&", "\"", "'", "=", "/", " ", "\n", "a", "script", "onerror", "{{", "}}", "items", "chairName", "meetingPlace")
  }).filter((value) => value.trim() !== "")
  const unescape = (html: string) =>
    html.replace(/<br>/g, "\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&")

  it("no value ever produces a tag or an attribute, and no placeholder in a value is filled (property)", () => {
    fc.assert(
      fc.property(
        fc.record({ commissionName: hostile, meetingDateTime: hostile, meetingPlace: hostile, chairName: hostile }),
        fc.array(hostile, { minLength: 1, maxLength: 3 }),
        (values, items) => {
          const document = made(makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "en", { ...agendaData, ...values, items }))
          // Values are placed as written: `{{meetingPlace}}` inside a value stays as is.
          assert.strictEqual(document.title, `${values.commissionName}: agenda of ${values.meetingDateTime}`)
          assert.deepStrictEqual(document.fields, [
            { label: "Chair", value: values.chairName },
            { label: "Place", value: values.meetingPlace }
          ])
          const html = renderDocumentHtml(document)
          for (const tag of html.match(/<[^>]*>/g) ?? []) assert.match(tag, allowedTag)
          const text = html.replace(/<[^>]*>/g, "")
          assert.notInclude(text, "<")
          assert.notInclude(text, ">")
          assert.notInclude(text, "\"")
          for (const value of [...Object.values(values), ...items]) {
            assert.include(unescape(html), value.replace(/\r?\n/g, "\n"))
          }
        }
      ),
      { numRuns: 300 }
    )
  })

  it("escapes the five HTML-special characters, in attributes too", () => {
    assert.strictEqual(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    const agenda = made(makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "en", agendaData))
    assert.include(renderDocumentHtml(agenda, { articleClass: `x" onload="alert(1)` }), `class="x&quot; onload=&quot;alert(1)"`)
  })
})

describe("locales", () => {
  it("falls back from a region to its language, then to the default language", () => {
    assert.deepStrictEqual(languageFallbacks("es-MX", "en"), ["es-MX", "es", "en"])
    assert.deepStrictEqual(languageFallbacks("zh-Hant-TW", "en-US"), ["zh-Hant-TW", "zh-Hant", "zh", "en-US", "en"])
    assert.deepStrictEqual(languageFallbacks("en-GB-x-legal", "en"), ["en-GB-x-legal", "en-GB", "en"])
    assert.deepStrictEqual(languageFallbacks("EN", "en"), ["EN"])
  })

  it("finds the Spanish agenda for es-MX and es, the English one for fr, whatever the case of the tag", () => {
    const id = (locale: string) => Result.map(resolveDocumentTemplate(registry, COMMISSION, "meeting-agenda", locale), (t) => t.id)
    assert.deepStrictEqual(id("es-MX"), Result.succeed("commission-agenda-es"))
    assert.deepStrictEqual(id("ES-mx"), Result.succeed("commission-agenda-es"))
    assert.deepStrictEqual(id("es"), Result.succeed("commission-agenda-es"))
    assert.deepStrictEqual(id("fr-CA"), Result.succeed("commission-agenda"))
    const spanish = made(makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "es-MX", agendaData))
    assert.strictEqual(spanish.language, "es")
    assert.strictEqual(spanish.legalBasisHeading, "Fundamento legal")
    assert.include(renderDocumentHtml(spanish), 'lang="es"')
  })

  it("uses the registry's default language last", () => {
    const spanishFirst = registryOf([agendaSpanish], "es")
    assert.deepStrictEqual(
      Result.map(resolveDocumentTemplate(spanishFirst, COMMISSION, "meeting-agenda", "de"), (t) => t.id),
      Result.succeed("commission-agenda-es")
    )
  })
})

describe("typed errors", () => {
  it("DocumentTemplateNotFound: no template in the locale nor any fallback, or no such kind", () => {
    const spanishOnly = registryOf([agendaSpanish])
    const missing = resolveDocumentTemplate(spanishOnly, COMMISSION, "meeting-agenda", "fr-CA")
    assert.isTrue(Result.isFailure(missing))
    if (Result.isFailure(missing)) {
      assert.strictEqual(missing.failure._tag, "DocumentTemplateNotFound")
      assert.deepStrictEqual(missing.failure.tried, ["fr-CA", "fr", "en"])
      assert.isTrue(missing.failure.kindKnown)
    }
    const unknown = makeRegisteredDocument(registry, COMMISSION, "minutes", "en", agendaData)
    assert.isTrue(Result.isFailure(unknown))
    if (Result.isFailure(unknown)) {
      assert.strictEqual(unknown.failure._tag, "DocumentTemplateNotFound")
      assert.match(unknown.failure.message, /no document kind minutes of program police-commission/)
    }
  })

  it("IncompleteDocument: a missing, blank or disallowed value, never a hole in the document", () => {
    const { meetingPlace: _, ...withoutPlace } = agendaData
    const result = makeRegisteredDocument(registry, COMMISSION, "meeting-agenda", "en", { ...withoutPlace, chairName: " ", meetingKind: "secret" })
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result) && result.failure._tag === "IncompleteDocument") {
      assert.strictEqual(result.failure.program, COMMISSION)
      assert.sameMembers(result.failure.problems.map((p) => `${p.problem}:${p.placeholder}`), [
        "missing:meetingPlace",
        "blank:chairName",
        "not-allowed:meetingKind"
      ])
      assert.match(result.failure.message, /paragraphs\[0\]\.text: missing \{\{meetingPlace\}\}/)
    } else {
      assert.fail("expected IncompleteDocument")
    }
  })

  it("InvalidDocumentTemplate: an unknown placeholder, a required one left out, at their paths", () => {
    const error = rejected([{
      ...agendaEnglish,
      title: "Agenda of {{meetingDate}}",
      paragraphs: [{ _tag: "Text", text: "At {{meetingPlace}}." }, { _tag: "List", items: "items" }]
    }])
    assert.strictEqual(error._tag, "InvalidDocumentTemplate")
    assert.deepStrictEqual(error.problems, [
      { path: [0, "title"], message: 'unknown placeholder meetingDate: meeting-agenda has no placeholder "meetingDate"' },
      {
        path: [0],
        message: 'unused placeholder commissionName: every meeting-agenda shows "commissionName": The commission\'s name.'
      },
      {
        path: [0],
        message: 'unused placeholder meetingDateTime: every meeting-agenda shows "meetingDateTime": When the meeting starts.'
      }
    ])
    assert.match(error.message, /^Invalid document template:\n\[0\]\.title: unknown placeholder meetingDate/)
  })

  it("InvalidDocumentTemplate: a personal or confidential placeholder in a published kind, even in a condition", () => {
    const error = rejected([{
      ...agendaEnglish,
      fields: [...agendaEnglish.fields, { label: "Complainant", value: "{{complainantName}}" }]
    }])
    assert.deepStrictEqual(error.problems.map((p) => p.path), [[0, "fields", 2, "value"]])
    assert.match(error.problems[0]!.message, /too-sensitive placeholder complainantName: "complainantName" is confidential/)
    assert.deepStrictEqual(
      documentTemplateProblems(agendaKind, {
        ...agendaEnglish,
        citations: [{ source: "X", text: "y", when: { placeholder: "complainantName", oneOf: ["Pat"] } }]
      }).map((p) => `${p.problem}:${p.where}`),
      ["too-sensitive:citations[0].when"]
    )
  })

  it("InvalidDocumentTemplate: a template of a kind no program states, two in one language, a bad shape", () => {
    const error = rejected([
      { ...agendaEnglish, kind: "minutes" },
      agendaEnglish,
      { ...agendaEnglish, id: "another-agenda", language: "EN" }
    ])
    assert.deepStrictEqual(error.problems.map((p) => p.path), [[0, "kind"], [2, "language"]])
    assert.match(error.problems[1]!.message, /another police-commission meeting-agenda template is in EN \(commission-agenda\)/)
    const shape = rejected([{ ...agendaEnglish, language: "English (US)", titel: "typo" }])
    assert.sameDeepMembers(shape.problems.map((p) => p.path), [[0, "language"], [0, "titel"]])
  })

  it("InvalidDocumentTemplate: a kind stated twice; a registry put together by hand without the kind finds no document", () => {
    const twice = makeDocumentRegistry({ kinds: [agendaKind, agendaKind], templates: [] })
    assert.isTrue(Result.isFailure(twice))
    if (Result.isFailure(twice)) assert.deepStrictEqual(twice.failure.problems, [{ path: ["kinds"], message: "police-commission states meeting-agenda twice" }])
    const byHand: DocumentRegistry = { defaultLanguage: "en", kinds: [], templates: [agendaEnglish] }
    const result = makeRegisteredDocument(byHand, COMMISSION, "meeting-agenda", "en", agendaData)
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result) && result.failure._tag === "DocumentTemplateNotFound") assert.isFalse(result.failure.kindKnown)
    else assert.fail("expected DocumentTemplateNotFound")
  })

  it("the program's text rules refuse words in a template and in values alike", () => {
    const pressing = "Evict any tenant who calls the police."
    const error = rejected([{
      ...noticeDocumentTemplate(defaultNoticeTemplates["hearing-notice"]),
      paragraphs: [{ _tag: "Text", text: pressing }]
    }])
    assert.deepStrictEqual(error.problems.map((p) => p.path), [[0, "paragraphs", 0, "text"]])
    assert.match(error.problems[0]!.message, /^presses eviction: /)
    const noticeKind = noticeDocumentKinds.find((kind) => kind.kind === "hearing-notice")!
    const result = makeProgramDocument(noticeKind, defaultNoticeTemplates["hearing-notice"], {
      hearingPlace: pressing
    })
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) assert.include(result.failure.problems.map((p) => p.problem), "presses-eviction")
  })
})

describe("document values", () => {
  it("writes a meeting's date and time in the jurisdiction's zone, and names the use when the zone is unknown", () => {
    const meeting = DateTime.makeUnsafe("2026-03-06T02:00:00Z")
    assert.deepStrictEqual(formatDocumentDateTime(meeting, sacramento.timeZone), Result.succeed("Thursday, March 5, 2026 at 6:00 PM"))
    assert.deepStrictEqual(formatDocumentDate(meeting, sacramento.timeZone), Result.succeed("March 5, 2026"))
    const unknown = formatDocumentDate(meeting, "Mars/Olympus_Mons", "en-US", "the date of an agenda")
    assert.isTrue(Result.isFailure(unknown))
    if (Result.isFailure(unknown)) assert.strictEqual(unknown.failure.rule, "the date of an agenda")
    assert.strictEqual(describePeriod({ amount: 72, unit: "hours" }), "72 hours")
    assert.strictEqual(formatDollars(1850), "$1,850.00")
  })
})
