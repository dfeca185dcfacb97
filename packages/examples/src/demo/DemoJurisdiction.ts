/**
 * The demo's jurisdiction: the `sacramento` preset with council district
 * boundaries added, so every generated place lands in one of the eight
 * districts and its cases go to that district's team.
 *
 * The preset has no boundaries (the city publishes them on its GIS portal,
 * which this machine cannot reach), and the generated places carry no
 * council district. The boundaries here are an illustrative 4 x 2 grid of
 * rectangles over the area the generator draws places in: made up for the
 * demo, not Sacramento's districts. They are configuration, as a city's
 * real GeoJSON polygons would be: the import fills each place's district
 * from them (`districtsAt`), and nothing in the program reads a district
 * from code.
 *
 * @module
 */
import type { CouncilDistrict, Jurisdiction, Polygon } from "@community-policing/core"

/**
 * A council district as the demo names it everywhere, in the terminal and
 * in the report: its configured name (`Council District 6` in the
 * `sacramento` preset), never its bare id. An id the configuration does not
 * hold, or none, says so rather than pass for a district.
 */
export const councilDistrictName = (jurisdiction: Jurisdiction, id: string | undefined): string =>
  id === undefined
    ? "no council district"
    : jurisdiction.councilDistricts.find((district) => district.id === id)?.name ?? `council district "${id}" (not configured)`

/**
 * The area the grid covers, in WGS84 degrees: a little wider than the
 * generator's places (latitudes 38.44 to 38.69, longitudes -121.56 to
 * -121.36), so every place is inside a cell.
 */
export const demoGridExtent = { south: 38.4, north: 38.75, west: -121.6, east: -121.3 } as const

const rectangle = (south: number, north: number, west: number, east: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]]
})

/**
 * Gives each council district of `jurisdiction`, in its order, one cell of
 * a grid of `columns` x rows over {@link demoGridExtent}, west to east and
 * north to south (the first district is the north-west cell). A district
 * that already has a boundary keeps it.
 */
export const withIllustrativeDistricts = (jurisdiction: Jurisdiction, columns = 4): Jurisdiction => {
  const count = jurisdiction.councilDistricts.length
  const rows = Math.max(1, Math.ceil(count / columns))
  const { south, north, west, east } = demoGridExtent
  const width = (east - west) / columns
  const height = (north - south) / rows
  const councilDistricts = jurisdiction.councilDistricts.map((district, index): CouncilDistrict => {
    if (district.boundary !== undefined) return district
    const row = Math.floor(index / columns)
    const column = index % columns
    const top = north - row * height
    return {
      ...district,
      boundary: rectangle(top - height, top, west + column * width, west + (column + 1) * width)
    }
  })
  return {
    ...jurisdiction,
    councilDistricts,
    assumptions: [
      ...jurisdiction.assumptions,
      "Council district boundaries are an illustrative grid made up for the demo, not the city's districts."
    ]
  }
}
