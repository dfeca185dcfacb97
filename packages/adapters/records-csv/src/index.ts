/**
 * `@community-policing/records-csv`: streaming import of calls for service
 * and places from the CSV exports of records systems (CAD, RMS, parcel and
 * business-license files) into the `CallStore` port, mapped per city as
 * data; and a seeded generator of synthetic Sacramento CAD data.
 *
 * - {@link importCalls} / {@link importPlaces}: resumable, deduplicated,
 *   quarantining imports.
 * - {@link CsvMapping} / {@link PlacesMapping}: the mapping format, with
 *   {@link validateCsvMapping} and {@link csvMappingJsonSchema} for editors.
 * - Presets: {@link sacramentoCrimeReports2006Mapping},
 *   {@link sacramentoCadMapping}, {@link genericMapping},
 *   {@link generatedPlacesMapping}.
 * - {@link generateSacramentoCad}: deterministic synthetic data.
 * - Building blocks: {@link readCsv}, {@link compileDateTimeFormat},
 *   {@link makeZoneClock}, {@link makeProjection}.
 *
 * @module
 */
export * from "./CoordinateSystem.ts"
export * from "./CsvMapping.ts"
export * from "./CsvReader.ts"
export * from "./DateTimeFormat.ts"
export * from "./ImportCalls.ts"
export * from "./ImportComplaintReports.ts"
export * from "./ImportPlaces.ts"
export * from "./ImportReport.ts"
export * from "./MappingPresets.ts"
export * from "./SacramentoCadGenerator.ts"
export * from "./ZoneClock.ts"
