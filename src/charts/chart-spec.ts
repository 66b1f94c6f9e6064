import type { TopLevelSpec } from "vega-lite";
import { chartData } from "./chart-data.ts";
import type { ChartRequest } from "./chart-request.ts";
import { sanitizeChartRequest } from "./sanitize-request.ts";
import { templateSpec } from "./templates.ts";

interface Param {
  name: string;
  value?: unknown;
}

/**
 * The complete, self-contained Vega-Lite spec for a request: the template with its data inlined and its
 * parameters set. The renderer does not compile this per chart (it reuses a parsed template and swaps the
 * data); this form is what golden tests pin and what a browser or the Vega editor can open as is.
 */
export function chartSpec(request: ChartRequest): TopLevelSpec {
  const data = chartData(sanitizeChartRequest(request));
  const spec = templateSpec(data.template) as TopLevelSpec & { params?: Param[]; datasets?: unknown };
  spec.datasets = data.datasets;
  spec.params = (spec.params ?? []).map((p) =>
    p.name in data.signals ? { ...p, value: data.signals[p.name] } : p,
  );
  if (data.size) Object.assign(spec, data.size);
  return spec;
}
