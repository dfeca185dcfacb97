/**
 * California's judicial holidays: the days the state's courts are closed
 * besides weekends, for the California presets' `courtHolidays`.
 *
 * @module
 */
import type { Holiday } from "../Holiday.ts"

/**
 * The judicial holidays of 2026 as the California courts observe them:
 * every holiday of Gov. Code 6700 but those Code Civ. Proc. 135 excepts,
 * plus the day after Thanksgiving, a Saturday holiday observed on the
 * Friday before (Cal. Rules of Court 1.11). Taken from the courts' published
 * 2026 schedule. A statutory period (the 20-day court appeal) whose last day
 * is one of these runs to the next court day (Code Civ. Proc. 12a). Lincoln
 * Day and Native American Day are court holidays many city calendars do not
 * close for; Columbus (Indigenous Peoples') Day is the reverse.
 */
export const californiaCourtHolidays2026: ReadonlyArray<Holiday> = [
  { date: "2026-01-01", name: "New Year's Day" },
  { date: "2026-01-19", name: "Martin Luther King Jr. Day" },
  { date: "2026-02-12", name: "Lincoln Day" },
  { date: "2026-02-16", name: "Presidents' Day" },
  { date: "2026-03-31", name: "Cesar Chavez Day" },
  { date: "2026-05-25", name: "Memorial Day" },
  { date: "2026-06-19", name: "Juneteenth" },
  { date: "2026-07-03", name: "Independence Day (observed)" },
  { date: "2026-09-07", name: "Labor Day" },
  { date: "2026-09-25", name: "Native American Day" },
  { date: "2026-11-11", name: "Veterans Day" },
  { date: "2026-11-26", name: "Thanksgiving Day" },
  { date: "2026-11-27", name: "Day after Thanksgiving" },
  { date: "2026-12-25", name: "Christmas Day" }
]
