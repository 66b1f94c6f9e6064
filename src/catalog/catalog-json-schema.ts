import { z } from "zod";
import { catalogSchema } from "./catalog-schema.ts";

/**
 * The catalog file's JSON Schema (what a person writes, so defaults are optional), for editors:
 * `# yaml-language-server: $schema=./docs/catalog.schema.json`.
 */
export function catalogJsonSchemaText(): string {
  const schema = z.toJSONSchema(catalogSchema, { io: "input", unrepresentable: "any" });
  const doc = {
    ...schema,
    title: "clg-bot catalog",
    description: "KPI catalog: workspace settings, sources, KPIs and subscriptions.",
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
