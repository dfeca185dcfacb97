/**
 * The public record of a meeting: speakers' names only with consent (as a
 * property over any comments), late documents listed from the moment they
 * were given, votes by member.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as fc from "fast-check"
import type { MeetingEvent } from "../../src/commission/MeetingEvents.ts"
import { meetingRecordOf, publicMeetingRecord } from "../../src/commission/MeetingViews.ts"
import { attendance, meetingId, openRegular, regularAt, rollFor, spec } from "./MeetingFixtures.ts"

const during = DateTime.add(regularAt, { minutes: 30 })

const heard = (speaker: string, nameConsent: boolean): MeetingEvent => ({
  _tag: "PublicCommentHeard",
  meetingId,
  itemId: "2",
  speaker,
  nameConsent,
  minutes: 2,
  limitMinutes: 3,
  usedTranslator: false,
  at: during
})

describe("meeting views", () => {
  it("the public record names a speaker only with consent, for any comments", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ speaker: fc.stringMatching(/^[A-Za-z]{3,12}$/).map((name) => `Speaker ${name}`), consent: fc.boolean() }), { maxLength: 8 }), (comments) => {
        const state = spec().given([...openRegular(), { _tag: "PublicCommentOpened", meetingId, itemId: "2", at: during }, ...comments.map((c) => heard(c.speaker, c.consent))]).state
        const view = publicMeetingRecord(state, during) as { comments: ReadonlyArray<{ speaker?: string; minutes: number }> }
        assert.strictEqual(view.comments.length, comments.length)
        comments.forEach((comment, i) => {
          assert.strictEqual(view.comments[i]?.speaker, comment.consent ? comment.speaker : undefined)
        })
        for (const comment of comments.filter((c) => !c.consent)) {
          assert.notInclude(JSON.stringify(view), JSON.stringify(comment.speaker))
        }
      }),
      { numRuns: 100 }
    )
  })

  it("a late document is listed from the moment it was given; votes appear by member", () => {
    const givenAt = DateTime.subtract(regularAt, { hours: 30 })
    const distributed: MeetingEvent = {
      _tag: "MeetingDocumentDistributed",
      meetingId,
      documentId: "d1",
      title: "Supplemental staff report",
      distributedAt: givenAt,
      toMajority: true,
      late: true,
      publicAt: givenAt,
      citation: "Gov. Code 54957.5(b)",
      at: givenAt
    }
    const vote: MeetingEvent = {
      _tag: "VoteRecorded",
      meetingId,
      itemId: "2",
      motion: "Adopt",
      form: "roll-call",
      roll: rollFor(attendance(), { m2: { _tag: "No", member: "m2" } }),
      tally: { ayes: 7, noes: 1, abstentions: 0, recusals: 0, absent: 0, threshold: "majority-of-present", needed: 5, carried: true },
      at: during
    }
    const state = spec().given([...openRegular(), distributed, vote]).state
    assert.strictEqual(meetingRecordOf(state, DateTime.subtract(givenAt, { minutes: 1 }))?.documents.length, 0)
    const record = meetingRecordOf(state, givenAt)
    assert.deepStrictEqual(record?.documents, [{ documentId: "d1", title: "Supplemental staff report", publicAt: givenAt, late: true }])
    assert.deepStrictEqual(record?.votes[0]?.roll[1], { _tag: "No", member: "m2" })
    assert.deepStrictEqual(record?.items.map((item) => item.disposition), [undefined, "decided"])
  })
})
