/** The message the development notifiers' tests deliver: a notice to an owner, with non-ASCII text. */
import type { RenderedMessage } from "@community-policing/core"

/** A notice-served email to an owner; `overrides` change any field. */
export const noticeMessage = (overrides: Partial<RenderedMessage> = {}): RenderedMessage => ({
  channel: "email",
  address: "owner@example.test",
  subject: "Aviso de infracción — Zoë Nguyễn",
  text: "Se le notificó una infracción el 14 de diciembre.",
  html: "<p>Se le notificó una infracción.</p>",
  idempotencyKey: "sacramento:evt-81:notice-served",
  metadata: { tenantId: "sacramento", templateId: "notice-served" },
  ...overrides
})
