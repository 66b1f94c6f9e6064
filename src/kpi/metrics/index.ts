export * from "./distribution.ts";
export * from "./formula-functions.ts";
export * from "./guard.ts";
export * from "./nps.ts";
export * from "./revenue.ts";
