import type { Status } from "../../kpi/status.ts";

/**
 * The status a chart colours a value with: a KPI without thresholds for its window is neutral (drawn in
 * the no-data grey), never green.
 */
export function shownStatus(status: Status, rated: boolean | undefined): Status {
  return rated === false && status === "green" ? "no_data" : status;
}
