export { MIXPANEL_HOSTS, mixpanelConfigSchema, mixpanelQuerySchema } from "./mixpanel-config.ts";
export { mixpanelConnector, pollMixpanel } from "./mixpanel-connector.ts";
