import { writeFileSync } from "node:fs";
import { catalogJsonSchemaText } from "../src/catalog/catalog-json-schema.ts";

// Regenerates docs/catalog.schema.json from the zod schema: npx tsx scripts/export-catalog-schema.ts
const target = new URL("../docs/catalog.schema.json", import.meta.url);
writeFileSync(target, catalogJsonSchemaText());
console.log(`wrote ${target.pathname}`);
