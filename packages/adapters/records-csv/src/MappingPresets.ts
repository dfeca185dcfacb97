/**
 * Ready-made mappings: Sacramento's 2006 crime-report extract, Sacramento's
 * open-data CAD layout, the layout of the synthetic places registry, and a
 * generic canonical layout for vendors who can choose their columns. Like
 * the kernel's presets they are data to review: `assumptions` lists what
 * they have not confirmed.
 *
 * Named `...Mapping` because core's code tables for the same sources are
 * `sacramentoCad` and `sacramentoCrimeReports2006`.
 *
 * @module
 */
import type { CallChannel } from "@community-policing/core"
import type { CsvMapping, PlacesMapping } from "./CsvMapping.ts"

/**
 * Sacramento PD crime reports, January 2006 public extract
 * (`cdatetime,address,district,beat,grid,crimedescr,ucr_ncic_code,latitude,longitude`,
 * bare CR line endings, `1/1/06 0:00` local times, space-padded beats).
 *
 * - No record id: calls are deduplicated by a hash of the mapped columns;
 *   identical rows (38 in the January file) are numbered and kept.
 * - Channel `other` for every row: a crime report has no call source.
 * - `district` is the 2006 police district; the beat is trimmed.
 * - The UCR/NCIC code serves as the call type code and for classification.
 */
export const sacramentoCrimeReports2006Mapping: CsvMapping = {
  source: "sacramento-crime-reports-2006",
  description: "Sacramento Police Department crime reports, 2006 public extract (SpatialKey sample).",
  codeTables: ["sacramento-crime-reports-2006"],
  fields: {
    receivedAt: { column: "cdatetime", format: "M/d/yy H:mm", timeZone: "America/Los_Angeles" },
    channel: { default: "other" },
    callTypeCode: "ucr_ncic_code",
    description: "crimedescr",
    address: "address",
    beat: "beat",
    policeDistrict: "district",
    coordinates: { crs: "EPSG:4326", latitude: "latitude", longitude: "longitude" },
    ucrNcic: "ucr_ncic_code"
  },
  assumptions: [
    "cdatetime is when the reported offense occurred; with no received time in the extract it stands for receivedAt.",
    "Reports have no call source (911, officer-initiated), so every call's channel is other and no chronic-nuisance rule counting 911 or non-emergency calls counts them."
  ]
}

// The open-data layout has no call-source column; these call types say how
// the call came in by themselves.
const sacramentoCadChannels: Readonly<Record<string, CallChannel>> = {
  "TRAFFIC STOP": "officer-initiated",
  "ALL UNITS BROADCAST": "other",
  "ALARM-SECURE NO EVID OF CRIME": "other",
  "ERRAND": "other",
  "ADVISED ENTRY": "other",
  "INCOMPLETE CALL FOR POLICE": "911"
}

/**
 * Sacramento's open-data "Call for Service Data" layout: `Record_ID`,
 * `Call_Type`, `Description`, `Report_Created`, `Location` (block-masked),
 * `Police_District`, `Beat`, `Day_of_Week`, `Cleared_By`, `Cleared_By_Desc`,
 * `Occurrence_Date`, `Received_Date`, `Dispatch_Date`, `Enroute_Date`,
 * `At_Scene_Date`, `Clear_Date` (Pacific time), `ObjectID`, `X`, `Y`
 * (California State Plane zone 2, US feet, EPSG:2226). This is the layout
 * `generateSacramentoCad` writes.
 */
export const sacramentoCadMapping: CsvMapping = {
  source: "sacramento-cad",
  description: "Sacramento Police Department calls for service, city open data layout.",
  codeTables: ["sacramento-cad"],
  fields: {
    sourceRecordId: "Record_ID",
    receivedAt: { column: "Received_Date", format: "M/d/yyyy h:mm:ss a", timeZone: "America/Los_Angeles" },
    channel: { column: "Description", values: sacramentoCadChannels, default: "911" },
    callTypeCode: "Call_Type",
    description: "Description",
    disposition: "Cleared_By_Desc",
    address: "Location",
    beat: "Beat",
    policeDistrict: "Police_District",
    coordinates: { crs: "EPSG:2226", x: "X", y: "Y" }
  },
  assumptions: [
    "Date-times are written M/d/yyyy h:mm:ss a (as the synthetic generator writes them); check a current download and adjust fields.receivedAt.format.",
    "The layout has no call-source column: TRAFFIC STOP is officer-initiated; ALL UNITS BROADCAST, ALARM-SECURE NO EVID OF CRIME, ERRAND and ADVISED ENTRY are other; every other call type, INCOMPLETE CALL FOR POLICE included, is read as 911 (a public call for help, whichever line it came in on).",
    "Police_District and Beat are taken as written; districts were redrawn after 2006, so they may not match the 2006 beats of the kernel's sacramento preset."
  ]
}

/**
 * {@link sacramentoCadMapping} with one more column, `Caller_Is_Victim`
 * (`Y`/`N`), as `generateSacramentoCad` writes it with `victimColumn`.
 * Sacramento's published layout has no such column; a city whose export
 * has one maps it like this. An explicit `N` is what lets a call where
 * someone may be the victim (a fight) count toward a chronic-nuisance
 * designation at all (Gov. Code 53165; a blank cell cannot say, so such a
 * call does not count).
 */
export const sacramentoCadMappingWithVictimColumn: CsvMapping = {
  ...sacramentoCadMapping,
  fields: {
    ...sacramentoCadMapping.fields,
    callerIsVictim: { column: "Caller_Is_Victim", trueValues: ["Y"], falseValues: ["N", ""] }
  },
  assumptions: [
    ...(sacramentoCadMapping.assumptions ?? []),
    "Caller_Is_Victim is not in Sacramento's published layout: Y means the caller was the victim, N that the record shows they were not; a blank cell says neither."
  ]
}

/**
 * The places registry the generator writes next to its CAD file
 * (`APN,Address,Land_Use,Units,Latitude,Longitude,Police_District,Beat`),
 * with assessor-style land use codes.
 */
export const generatedPlacesMapping: PlacesMapping = {
  source: "sacramento-places-synthetic",
  description: "The synthetic places registry of generateSacramentoCad.",
  fields: {
    address: "Address",
    parcelNumber: "APN",
    landUse: {
      column: "Land_Use",
      values: {
        SFR: "residential",
        APT: "residential",
        BAR: "bar",
        MOTEL: "motel-hotel",
        RETAIL: "store",
        RESTAURANT: "restaurant"
      }
    },
    units: "Units",
    coordinates: { crs: "EPSG:4326", latitude: "Latitude", longitude: "Longitude" },
    policeDistrict: "Police_District",
    beat: "Beat"
  }
}

/** The column names of the {@link genericMapping} layout. */
export const genericColumns = {
  sourceRecordId: "record_id",
  receivedAt: "received_at",
  channel: "channel",
  callTypeCode: "call_type_code",
  description: "call_type_description",
  priority: "priority",
  disposition: "disposition",
  address: "address",
  beat: "beat",
  policeDistrict: "police_district",
  councilDistrict: "council_district",
  neighborhood: "neighborhood",
  latitude: "latitude",
  longitude: "longitude",
  ucrNcic: "ucr_ncic",
  nibrs: "nibrs",
  callerIsVictim: "caller_is_victim"
} as const

/**
 * A canonical layout for a vendor who can choose the export's columns: every
 * column of {@link genericColumns} present (blank when unknown), ISO 8601
 * times (an offset in the value wins; without one, `timeZone`), channels
 * written as the SDK names them (`911`, `non-emergency`, `officer-initiated`,
 * `other`), WGS84 coordinates, `caller_is_victim` as `Y`/`N`.
 *
 * @example
 * ```text
 * record_id,received_at,channel,call_type_code,call_type_description,priority,disposition,address,beat,police_district,council_district,neighborhood,latitude,longitude,ucr_ncic,nibrs,caller_is_victim
 * 24-000001,2024-03-05T14:30:00-08:00,911,415,DISTURBANCE-CLARIFY,2,REPORT TAKEN,23XX 10TH AVE,3C,3,5,oak-park,38.55,-121.47,,,N
 * ```
 */
export const genericMapping = (options: {
  readonly source: string
  readonly timeZone: string
  readonly codeTables: readonly [string, ...Array<string>]
}): CsvMapping => ({
  source: options.source,
  description: "The SDK's canonical CSV layout for calls for service.",
  codeTables: options.codeTables,
  fields: {
    sourceRecordId: genericColumns.sourceRecordId,
    receivedAt: { column: genericColumns.receivedAt, format: "iso", timeZone: options.timeZone },
    channel: {
      column: genericColumns.channel,
      values: { "911": "911", "non-emergency": "non-emergency", "officer-initiated": "officer-initiated", other: "other" }
    },
    callTypeCode: genericColumns.callTypeCode,
    description: genericColumns.description,
    priority: genericColumns.priority,
    disposition: genericColumns.disposition,
    address: genericColumns.address,
    beat: genericColumns.beat,
    policeDistrict: genericColumns.policeDistrict,
    councilDistrict: genericColumns.councilDistrict,
    neighborhood: genericColumns.neighborhood,
    coordinates: { crs: "EPSG:4326", latitude: genericColumns.latitude, longitude: genericColumns.longitude },
    ucrNcic: genericColumns.ucrNcic,
    nibrs: genericColumns.nibrs,
    callerIsVictim: { column: genericColumns.callerIsVictim, trueValues: ["Y"], falseValues: ["N", ""] }
  }
})
