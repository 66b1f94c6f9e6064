export { type ApplyCatalogOptions, applyCatalog } from "./apply-catalog.ts";
export type { CatalogIssue } from "./catalog-issues.ts";
export type { CatalogPlan, FieldChange, PlanAction, PlanEntity, PlanItem } from "./catalog-plan.ts";
export { planHasChanges } from "./catalog-plan.ts";
export { catalogToYaml, exportCatalog } from "./export-catalog.ts";
export { formatPlan } from "./format-plan.ts";
export { importSamplesCsv } from "./import-samples-csv.ts";
export { loadCatalogFile, parseCatalogText } from "./parse-catalog.ts";
