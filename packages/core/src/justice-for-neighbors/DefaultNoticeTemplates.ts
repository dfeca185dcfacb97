/**
 * The default notice templates: one per kind of notice, in plain English,
 * citing the California law behind each step of the workflow. They are data
 * to review and replace, like a jurisdiction preset: a city outside
 * California, or one whose ordinance adds steps, supplies its own set
 * (`validateNoticeTemplateSet` checks it). Periods, amounts and dates are
 * never written into the texts: they come from the case's data, which the
 * case computes from the jurisdiction's configuration.
 *
 * @module
 */
import { NuisanceCategory } from "../kernel/ProgramSettings.ts"
import type { NoticeTemplateCitation, NoticeTemplateField, NoticeTemplateOf, NoticeTemplateSet } from "./NoticeTemplate.ts"

const commonFields: ReadonlyArray<NoticeTemplateField> = [
  { label: "Case number", value: "{{caseNumber}}" },
  { label: "Date", value: "{{documentDate}}" },
  { label: "Property", value: "{{propertyAddress}}" }
]

const addressee = { name: "{{addresseeName}}", address: "{{addresseeAddress}}" }

const base = {
  language: "en",
  addressee,
  legalBasisHeading: "Legal basis",
  placeholders: []
} as const

const contact = "If you have questions, call {{issuingOffice}} at {{contactPhone}} and give your case number, {{caseNumber}}."

const courtAppeal: NoticeTemplateCitation = {
  source: "Gov. Code 53069.4(b)(1)",
  text: "You may appeal a final administrative order or decision to the superior court within {{courtAppealPeriod}} after it is served on you."
}

const citySummaryAbatement: NoticeTemplateCitation = {
  source: "Gov. Code 38773",
  text: "The city may abate a nuisance at the expense of those who maintain it; the cost may become a lien on the property and a personal obligation of the owner."
}

const substandardRemedies: ReadonlyArray<NoticeTemplateCitation> = [
  {
    source: "Health and Safety Code 17980.6",
    text: "When a building's condition endangers the health and safety of its residents or the public, the owner is ordered to repair or abate it.",
    when: { placeholder: "substandardBuilding", oneOf: ["yes"] }
  },
  {
    source: "Health and Safety Code 17980.7",
    text: "If the owner does not comply within a reasonable time, the court may be asked to appoint a receiver to take charge of the building and make the repairs.",
    when: { placeholder: "substandardBuilding", oneOf: ["yes"] }
  }
]

const drugAbatement: NoticeTemplateCitation = {
  source: "Health and Safety Code 11570 (Drug Abatement Act)",
  text: "A building or place used to unlawfully sell, keep, make or give away controlled substances is a nuisance that the court may order stopped and abated.",
  when: { placeholder: "drugActivity", oneOf: ["yes"] }
}

const ownerLetter: NoticeTemplateOf<"owner-letter"> = {
  ...base,
  id: "owner-letter",
  kind: "owner-letter",
  title: "Request to meet about calls for service at {{businessName}}",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    {
      _tag: "Text",
      text: "In {{callWindow}}, police were called to {{businessName}} at {{propertyAddress}} {{callsCounted}} times. " +
        "That meets the threshold the city uses to find a chronic nuisance: {{thresholdDescription}}."
    },
    {
      _tag: "Text",
      text: "We would like to meet with you to make a plan together that reduces these calls, before any other step is taken. " +
        "Please contact us by {{respondBy}}."
    },
    {
      _tag: "Text",
      text: "Calls made by or for a victim of abuse or of a crime, and calls about a medical or other emergency, were not counted and never will be. " +
        "Please do not discourage anyone from calling for help."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [...commonFields, { label: "Respond by", value: "{{respondBy}}" }],
  citations: [
    {
      source: "Gov. Code 53165",
      text: "No penalty, including a nuisance designation, may follow from calls for police or emergency help made by or for a victim of abuse or crime, or by a person in an emergency."
    },
    {
      source: "34 U.S.C. 12495",
      text: "Residents, tenants and guests have the right to call for police or emergency help; no penalty may be imposed for doing so."
    }
  ]
}

const noticeOfViolation: NoticeTemplateOf<"notice-of-violation"> = {
  ...base,
  id: "notice-of-violation",
  kind: "notice-of-violation",
  title: "Notice of violation",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    { _tag: "Text", text: "The {{cityName}} inspected {{propertyAddress}} and found the following violations:" },
    { _tag: "List", items: "violations" },
    {
      _tag: "Text",
      text: "You have {{compliancePeriod}} to correct them: by {{complianceDue}}. We will inspect the property again after that date.",
      when: { placeholder: "category", oneOf: NuisanceCategory.literals.filter((c) => c !== "dangerous-building") as [NuisanceCategory, ...Array<NuisanceCategory>] }
    },
    {
      // Sacramento City Code 8.96.130(B)(3): the time to obtain permits and begin work runs from the date of the order.
      _tag: "Text",
      text: "Because the building is dangerous, this notice is also an order, dated {{orderDate}}. Within {{startPeriod}} of the date of this order, by {{startDue}}, you must obtain the permits needed to repair or demolish the building and begin the work. The work must be completed by {{complianceDue}}. We will inspect the property again after each of those dates.",
      when: { placeholder: "category", oneOf: ["dangerous-building"] }
    },
    {
      _tag: "Text",
      text: "If the violations are not corrected in time, the city may issue administrative citations with fines, declare the property a public nuisance, and abate it at your expense."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [...commonFields, { label: "Correct by", value: "{{complianceDue}}" }],
  citations: [
    {
      source: "Gov. Code 53069.4(a)(2)",
      text: "For a continuing violation of building, plumbing, electrical or similar structural or zoning rules that does not create an immediate danger to health or safety, you are given a reasonable time to correct it before any administrative fine.",
      when: { placeholder: "category", oneOf: NuisanceCategory.literals.filter((category) => category !== "dangerous-building") as [string, ...Array<string>] }
    },
    {
      source: "Gov. Code 36900(b), (c)",
      text: "Administrative fines are limited by state law, and the limit grows for each repeat of the same violation within one year."
    }
  ]
}

const noticeOfPublicNuisance: NoticeTemplateOf<"notice-of-public-nuisance"> = {
  ...base,
  id: "notice-of-public-nuisance",
  kind: "notice-of-public-nuisance",
  title: "Notice of public nuisance",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    { _tag: "Text", text: "The {{cityName}} has found that the property at {{propertyAddress}} is a public nuisance because:" },
    { _tag: "List", items: "findings" },
    { _tag: "Text", text: "You must abate the nuisance by {{abateBy}}." },
    {
      _tag: "Text",
      text: "If you do not, the city may abate it and charge you the cost, which may become a lien on the property, and may ask a court for further orders."
    },
    {
      _tag: "Text",
      text: "Because the building endangers the health and safety of its occupants or the public, the court may also be asked to appoint a receiver to repair it.",
      when: { placeholder: "substandardBuilding", oneOf: ["yes"] }
    },
    {
      _tag: "Text",
      text: "Because the property is used for unlawful drug activity, the city may also bring an action under the Drug Abatement Act.",
      when: { placeholder: "drugActivity", oneOf: ["yes"] }
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [...commonFields, { label: "Abate by", value: "{{abateBy}}" }],
  citations: [citySummaryAbatement, ...substandardRemedies, drugAbatement]
}

const administrativeCitation: NoticeTemplateOf<"administrative-citation"> = {
  ...base,
  id: "administrative-citation",
  kind: "administrative-citation",
  title: "Administrative citation {{citationNumber}}",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    {
      _tag: "Text",
      text: "You are cited for this violation at {{propertyAddress}}, observed on {{violationDate}}: {{violation}}."
    },
    { _tag: "Text", text: "This is the {{violationOrdinal}} violation of this rule within one year. The fine is {{fineAmount}}; pay it by {{payBy}}." },
    {
      _tag: "Text",
      text: "If you disagree with this citation, you may request an administrative hearing by {{hearingRequestBy}}. " +
        "A hearing officer will decide, and you may appeal that decision to the superior court."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [
    { label: "Citation number", value: "{{citationNumber}}" },
    ...commonFields,
    { label: "Fine", value: "{{fineAmount}}" },
    { label: "Pay by", value: "{{payBy}}" },
    { label: "Request a hearing by", value: "{{hearingRequestBy}}" }
  ],
  citations: [
    {
      source: "Gov. Code 36900(b)",
      text: "A fine for a violation of a city ordinance is limited, for the {{violationOrdinal}} violation within one year, to {{fineCap}}.",
      when: { placeholder: "fineSchedule", oneOf: ["general"] }
    },
    {
      source: "Gov. Code 36900(c)",
      text: "A fine for a violation of a building and safety code is limited, for the {{violationOrdinal}} violation within one year, to {{fineCap}}.",
      when: { placeholder: "fineSchedule", oneOf: ["building-and-safety"] }
    },
    courtAppeal
  ]
}

const hearingNotice: NoticeTemplateOf<"hearing-notice"> = {
  ...base,
  id: "hearing-notice",
  kind: "hearing-notice",
  title: "Notice of administrative hearing",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    { _tag: "Text", text: "An administrative hearing on {{hearingSubject}} will be held on {{hearingDateTime}} at {{hearingPlace}}." },
    {
      _tag: "Text",
      text: "You may attend, bring witnesses and documents, and be represented. If you do not attend, the hearing officer may decide without you."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [...commonFields, { label: "Hearing", value: "{{hearingDateTime}}" }, { label: "Place", value: "{{hearingPlace}}" }],
  citations: [courtAppeal]
}

const hearingDecision: NoticeTemplateOf<"hearing-decision"> = {
  ...base,
  id: "hearing-decision",
  kind: "hearing-decision",
  title: "Decision of the hearing officer",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    {
      _tag: "Text",
      text: "On {{hearingDate}}, hearing officer {{hearingOfficerName}} heard {{hearingSubject}} at {{propertyAddress}}. The hearing officer found:"
    },
    { _tag: "List", items: "findings" },
    {
      _tag: "Text",
      text: "The hearing officer upheld the city's action. An order to abate the nuisance follows if it has not been corrected.",
      when: { placeholder: "outcome", oneOf: ["upheld"] }
    },
    {
      _tag: "Text",
      text: "The hearing officer overturned the city's action; unpaid citations on this case are cancelled.",
      when: { placeholder: "outcome", oneOf: ["overturned"] }
    },
    {
      _tag: "Text",
      text: "This is the final administrative decision. You may appeal it to the superior court within {{courtAppealPeriod}} after it is served on you."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [...commonFields, { label: "Hearing held", value: "{{hearingDate}}" }, { label: "Hearing officer", value: "{{hearingOfficerName}}" }],
  citations: [courtAppeal]
}

const abatementOrder: NoticeTemplateOf<"abatement-order"> = {
  ...base,
  id: "abatement-order",
  kind: "abatement-order",
  title: "Order to abate a public nuisance",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    { _tag: "Text", text: "You are ordered to do the following work at {{propertyAddress}} by {{abateBy}}:" },
    { _tag: "List", items: "workRequired" },
    {
      _tag: "Text",
      text: "If the work is not done by then, the city may do it and charge you the cost, which may become a lien on the property."
    },
    {
      _tag: "Text",
      text: "This is a final administrative order. You may appeal it to the superior court within {{courtAppealPeriod}} after it is served on you.",
      when: { placeholder: "afterHearing", oneOf: ["no"] }
    },
    {
      _tag: "Text",
      text: "This order carries out the hearing officer's decision, the final administrative decision. " +
        "An appeal to the superior court is due within {{courtAppealPeriod}} after that decision was served on you, not after this order.",
      when: { placeholder: "afterHearing", oneOf: ["yes"] }
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [...commonFields, { label: "Complete the work by", value: "{{abateBy}}" }],
  citations: [courtAppeal, citySummaryAbatement, ...substandardRemedies, drugAbatement]
}

const postAbatementNotice: NoticeTemplateOf<"post-abatement-notice"> = {
  ...base,
  id: "post-abatement-notice",
  kind: "post-abatement-notice",
  title: "Notice of summary abatement of an imminent hazard",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    {
      _tag: "Text",
      text: "On {{abatedOn}}, the {{cityName}} abated an imminent hazard at {{propertyAddress}} without notice beforehand, because it could not wait: {{hazardReason}}."
    },
    { _tag: "Text", text: "The city did the following work:" },
    { _tag: "List", items: "workDone" },
    { _tag: "Text", text: "The cost of the work was {{abatementCost}}; an invoice will follow." },
    {
      _tag: "Text",
      text: "If you disagree with the abatement or its cost, you may request a hearing by {{hearingRequestBy}}."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [
    ...commonFields,
    { label: "Abated on", value: "{{abatedOn}}" },
    { label: "Cost", value: "{{abatementCost}}" },
    { label: "Request a hearing by", value: "{{hearingRequestBy}}" }
  ],
  citations: [citySummaryAbatement]
}

const costInvoice: NoticeTemplateOf<"cost-invoice"> = {
  ...base,
  id: "cost-invoice",
  kind: "cost-invoice",
  title: "Invoice {{invoiceNumber}}: costs of abating the nuisance at {{propertyAddress}}",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    { _tag: "Text", text: "The {{cityName}} abated the nuisance at {{propertyAddress}}. These are its costs:" },
    { _tag: "List", items: "costItems" },
    { _tag: "Text", text: "The total due is {{totalCost}}. Please pay it by {{payBy}}." },
    {
      _tag: "Text",
      text: "If the costs are not paid by then, they may be recorded as a lien on the property or added to its property tax bill."
    },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [
    { label: "Invoice number", value: "{{invoiceNumber}}" },
    ...commonFields,
    { label: "Total due", value: "{{totalCost}}" },
    { label: "Pay by", value: "{{payBy}}" }
  ],
  citations: [
    {
      source: "Gov. Code 38773.1",
      text: "Unpaid abatement costs may be collected by a nuisance abatement lien on the property, after notice to the owner of record."
    },
    {
      source: "Gov. Code 38773.5",
      text: "Unpaid abatement costs may instead be made a special assessment, collected with the property taxes."
    }
  ]
}

const lienNotice: NoticeTemplateOf<"lien-notice"> = {
  ...base,
  id: "lien-notice",
  kind: "lien-notice",
  title: "Notice of nuisance abatement lien",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    {
      _tag: "Text",
      text: "The costs of abating the nuisance at {{propertyAddress}}, ordered on {{abatementOrderDate}}, have not been paid. " +
        "The {{cityName}} will record a lien of {{lienAmount}} against the property with the county recorder on or after {{recordingOn}}."
    },
    { _tag: "Text", text: "To avoid the lien, pay {{lienAmount}} before that date." },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [
    ...commonFields,
    { label: "Amount of the lien", value: "{{lienAmount}}" },
    { label: "Lien on behalf of", value: "{{cityName}}" },
    { label: "Date of the abatement order", value: "{{abatementOrderDate}}" },
    { label: "Assessor's parcel number", value: "{{parcelNumber}}" },
    { label: "Legal description", value: "{{legalDescription}}" },
    { label: "Owner of record", value: "{{addresseeName}}" },
    { label: "Recorded on or after", value: "{{recordingOn}}" }
  ],
  citations: [
    {
      source: "Gov. Code 38773.1(a), (b)",
      text: "Before a nuisance abatement lien is recorded, the owner of record must be notified, served like a summons in a civil action."
    },
    {
      source: "Gov. Code 38773.1(c)",
      text: "Once recorded, the lien has the force, effect and priority of a judgment lien."
    }
  ]
}

const specialAssessmentNotice: NoticeTemplateOf<"special-assessment-notice"> = {
  ...base,
  id: "special-assessment-notice",
  kind: "special-assessment-notice",
  title: "Notice of proposed special assessment for nuisance abatement costs",
  paragraphs: [
    { _tag: "Text", text: "Dear {{addresseeName}}," },
    {
      _tag: "Text",
      text: "The costs of abating the nuisance at {{propertyAddress}}, ordered on {{abatementOrderDate}}, have not been paid. " +
        "The {{cityName}} proposes to make {{assessmentAmount}} a special assessment against the property (assessor's parcel {{parcelNumber}})."
    },
    {
      _tag: "Text",
      text: "The city council will hear any objection on {{hearingDateTime}} at {{hearingPlace}} and may then confirm the assessment. " +
        "Once confirmed, it is added to the property tax bill and collected at the same time and in the same manner as ordinary municipal taxes."
    },
    {
      _tag: "Text",
      text: "An assessment that becomes delinquent is subject to the same penalties and the same procedure of sale as delinquent taxes: " +
        "the property may be sold by the tax collector for unpaid delinquent assessments, and that power of sale is not affected by a failure to receive this notice."
    },
    { _tag: "Text", text: "To avoid the assessment, pay {{assessmentAmount}} before the hearing." },
    { _tag: "Text", text: contact },
    { _tag: "Text", text: "{{issuingOffice}}, {{cityName}}" }
  ],
  fields: [
    ...commonFields,
    { label: "Proposed assessment", value: "{{assessmentAmount}}" },
    { label: "Assessor's parcel number", value: "{{parcelNumber}}" },
    { label: "Hearing", value: "{{hearingDateTime}}" },
    { label: "Place", value: "{{hearingPlace}}" }
  ],
  citations: [
    {
      source: "Gov. Code 38773.5",
      text: "Unpaid abatement costs may be made a special assessment against the property, collected with the ordinary municipal taxes and subject to the same penalties and procedure of sale in case of delinquency; notice goes to the owner by certified mail."
    }
  ]
}

/**
 * The default templates, one per kind of notice, citing California law:
 * Gov. Code 53165 and 34 U.S.C. 12495 (owner letter), 53069.4 (time to
 * correct; court appeal within the configured period of service of the
 * hearing decision or the final order), 36900
 * (fine limits), 38773, 38773.1 and 38773.5 (abatement costs and liens),
 * Health and Safety Code 17980.6 and 17980.7 (substandard buildings,
 * receivership) and 11570 (Drug Abatement Act). They cite no city code:
 * see {@link sacramentoNoticeTemplates} for a city's own citations.
 */
export const defaultNoticeTemplates: NoticeTemplateSet = {
  "owner-letter": ownerLetter,
  "notice-of-violation": noticeOfViolation,
  "notice-of-public-nuisance": noticeOfPublicNuisance,
  "administrative-citation": administrativeCitation,
  "hearing-notice": hearingNotice,
  "hearing-decision": hearingDecision,
  "abatement-order": abatementOrder,
  "post-abatement-notice": postAbatementNotice,
  "cost-invoice": costInvoice,
  "lien-notice": lienNotice,
  "special-assessment-notice": specialAssessmentNotice
}

/**
 * Sacramento's templates: the defaults, with the notice of violation citing
 * Sacramento City Code 8.96.130(B)(3) for the time to obtain permits and
 * begin work on a dangerous building, from the date of the order.
 */
export const sacramentoNoticeTemplates: NoticeTemplateSet = {
  ...defaultNoticeTemplates,
  "notice-of-violation": {
    ...noticeOfViolation,
    id: "sacramento-notice-of-violation",
    citations: [
      {
        source: "Sacramento City Code 8.96.130(B)(3)",
        text: "The owner of a dangerous building must obtain the permits to repair or demolish it and begin the work within {{startPeriod}} of the date of the order, and complete the work within the reasonable time the order sets.",
        when: { placeholder: "category", oneOf: ["dangerous-building"] }
      },
      ...noticeOfViolation.citations
    ]
  }
}
