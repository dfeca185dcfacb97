/**
 * The Community Police Commission: a civilian oversight body created by
 * ordinance, its seats and members, the attendance rule and its removal
 * review, the membership and quorum, meetings under the open-meetings law
 * (notice, agenda, votes, closed sessions, cure and correct), recommendations
 * tracked until the city answers and acts, the annual report and the
 * aggregate complaint review.
 *
 * @module
 */
export * from "./Membership.ts"
export * from "./SeatsSettings.ts"
export * from "./SeatsStatus.ts"
export * from "./Seats.ts"
export * from "./SeatsRoster.ts"
export * from "./AttendanceSettings.ts"
export * from "./Attendance.ts"
export * from "./AttendanceReview.ts"
export * from "./CommissionSettings.ts"
export * from "./CommissionPresets.ts"
export * from "./Recommendation.ts"
export * from "./RecommendationRefusals.ts"
export * from "./RecommendationSettings.ts"
export * from "./RecommendationBoard.ts"
export * from "./RecommendationNotices.ts"
export * from "./AnnualReport.ts"
export * from "./ComplaintReports.ts"
export * from "./OpenMeetingsLaw.ts"
export * from "./Meeting.ts"
export * from "./MeetingEvents.ts"
export * from "./MeetingRefusals.ts"
export * from "./MeetingViews.ts"
export * from "./ClosedSession.ts"
export * from "./CureAndCorrect.ts"
export * from "./Program.ts"
