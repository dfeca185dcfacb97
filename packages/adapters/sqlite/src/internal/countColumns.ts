/**
 * The count columns of the shaped daily counts (migration 5): one per call
 * category, beside `total`, so a call adds to one row of `place_counts` and
 * one of `area_counts` however many categories it carries. The column names
 * are fixed text from this table, never from input; a new category is a
 * compile error here until a migration adds its column.
 *
 * @internal
 */
import type { CallCategory } from "@community-policing/core"

/** The column counting each category's calls. */
export const categoryColumn: Readonly<Record<CallCategory, string>> = {
  "domestic-violence": "c_domestic_violence",
  "victimization": "c_victimization",
  "medical": "c_medical",
  "fire-ems": "c_fire_ems",
  "gang-activity": "c_gang_activity",
  "drug-trade": "c_drug_trade",
  "human-trafficking": "c_human_trafficking",
  "prostitution": "c_prostitution",
  "disorder": "c_disorder",
  "nuisance": "c_nuisance",
  "crime-against-premises": "c_crime_against_premises"
}

/** The categories in the order of their columns (and of `CallCategory.literals`). */
export const countedCategories = Object.keys(categoryColumn) as ReadonlyArray<CallCategory>

/** The count columns in order: `total` (every call once), then one per category. */
export const countColumns: ReadonlyArray<string> = ["total", ...countedCategories.map((category) => categoryColumn[category])]

/** The column a filter counts: `total` without a category. */
export const countColumnOf = (category: CallCategory | undefined): string =>
  category === undefined ? "total" : categoryColumn[category]
