/**
 * What a quarantined row keeps, made safe to store: its text and reason cut
 * to a bounded length, and the characters no store can keep (U+0000, lone
 * surrogates) replaced by U+FFFD, the reason saying so. A quarantine write
 * must never fail where the row it sets aside would have.
 *
 * @internal
 */
import type { QuarantinedRow } from "@community-policing/core"

/** The most characters of text a quarantined row keeps. */
export const maxKeptLength = 8_192

/** The most characters of a quarantine reason (reasons quote the values they refuse). */
export const maxReasonLength = 4_096

// With the u flag, a surrogate pair is one code point: only lone surrogates match.
const unportable = /\u0000|[\uD800-\uDFFF]/gu
const anyUnportable = /\u0000|[\uD800-\uDFFF]/u

/** `text` cut to `max` characters, never between the halves of a surrogate pair, with how much was cut. */
const capped = (text: string, max: number): { readonly text: string; readonly cut: number } => {
  if (text.length <= max) return { text, cut: 0 }
  const code = text.charCodeAt(max - 1)
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max
  return { text: text.slice(0, end), cut: text.length - end }
}

const replaced = (text: string): { readonly text: string; readonly count: number } => {
  if (!anyUnportable.test(text)) return { text, count: 0 }
  let count = 0
  const clean = text.replace(unportable, () => {
    count++
    return "\uFFFD"
  })
  return { text: clean, count }
}

const characters = (count: number) => `${count} character${count === 1 ? "" : "s"}`

/** A quarantined row whose text and reason any store can keep. */
export const quarantinedRow = (rowNumber: number, text: string, reason: string): QuarantinedRow => {
  const keptCut = capped(text, maxKeptLength)
  const kept = replaced(keptCut.text)
  const reasonCut = capped(reason, maxReasonLength)
  const because = replaced(reasonCut.text)
  let fullReason = because.text
  if (reasonCut.cut > 0) fullReason += ` (reason cut: ${characters(reasonCut.cut)} more)`
  if (because.count > 0) fullReason += ` (${characters(because.count)} no store can keep replaced by U+FFFD in this reason)`
  if (kept.count > 0) fullReason += ` (${characters(kept.count)} no store can keep replaced by U+FFFD in the kept text)`
  return {
    rowNumber,
    raw: keptCut.cut > 0 ? `${kept.text}… (${characters(keptCut.cut)} more not kept)` : kept.text,
    reason: fullReason
  }
}
