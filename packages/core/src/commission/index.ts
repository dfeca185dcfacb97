/**
 * The Community Police Commission: a civilian oversight body created by
 * ordinance, its seats and members, the attendance rule and its removal
 * review, and the membership and quorum its meetings count.
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
