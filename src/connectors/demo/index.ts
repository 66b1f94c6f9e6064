export { type DemoConfig, demoConfigSchema, demoConnector, pollDemo } from "./demo-connector.ts";
export { DEMO_SERIES_NAMES } from "./series/index.ts";
