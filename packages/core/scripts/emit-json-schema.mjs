// Writes the JSON Schema of every published schema to json-schema/, from the
// built package, so the files ship with it. Run by `npm run build`.
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { publishedSchemas, toJsonSchema } from "../dist/index.js"

const dir = new URL("../json-schema/", import.meta.url)
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
for (const [name, schema] of Object.entries(publishedSchemas)) {
  const document = toJsonSchema(schema)
  const file = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `urn:community-policing:schema:${name}`,
    title: name,
    ...document.schema,
    ...(Object.keys(document.definitions).length > 0 ? { $defs: document.definitions } : {})
  }
  writeFileSync(new URL(`${name}.json`, dir), JSON.stringify(file, null, 2) + "\n")
}
console.log(`json-schema: wrote ${Object.keys(publishedSchemas).length} files`)
