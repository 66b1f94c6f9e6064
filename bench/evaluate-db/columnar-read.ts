import { sql } from "kysely";
import type { Db } from "../../src/db/db.ts";
import type { Sample } from "../../src/kpi/sample.ts";
import type { DayRange } from "../../src/kpi/window.ts";

interface KpiColumns {
  kpi: string;
  days: string[];
  value: (number | null)[];
  num: (number | null)[];
  den: (number | null)[];
  dist: (string | null)[];
}

/**
 * The rows loadSamples returns for the total segment, read as one row of arrays per KPI instead of one
 * row per day. Not used by the product: it shows how much of the read is per-row driver cost.
 */
export async function loadSamplesColumnar(
  db: Db,
  workspace: string,
  kpis: readonly string[],
  range: DayRange,
): Promise<Sample[]> {
  const { rows } = await sql<KpiColumns>`
    select kpi, array_agg(day::text order by day) as days, array_agg(value order by day) as value,
           array_agg(num order by day) as num, array_agg(den order by day) as den,
           array_agg(dist::text order by day) as dist
    from samples
    where workspace = ${workspace} and kpi = any(${[...kpis]}::text[]) and segment = ''
      and day >= ${range.start} and day <= ${range.end}
    group by kpi
    order by kpi
  `.execute(db);
  const out: Sample[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.days.length; i++) {
      const dist = r.dist[i] ?? null;
      out.push({
        kpi: r.kpi,
        segment: "",
        day: r.days[i] as string,
        value: r.value[i] ?? null,
        num: r.num[i] ?? null,
        den: r.den[i] ?? null,
        dist: dist === null ? null : JSON.parse(dist),
      });
    }
  }
  return out;
}
