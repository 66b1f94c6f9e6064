export { ga4ConfigSchema, ga4QuerySchema } from "./ga4-config.ts";
export { ga4Connector, pollGa4 } from "./ga4-connector.ts";
export { readServiceAccount, signAssertion } from "./service-account.ts";
