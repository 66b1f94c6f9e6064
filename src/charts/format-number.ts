const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

/** Short human number for labels the request does not pre-format (targets, counts, percentages). */
export function formatNumber(n: number): string {
  return Math.abs(n) >= 10_000 ? compact.format(n) : plain.format(n);
}

export function formatWithUnit(n: number, unit: string): string {
  if (!unit) return formatNumber(n);
  return unit === "%" ? `${formatNumber(n)}%` : `${formatNumber(n)} ${unit}`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 && fraction > 0 ? 1 : 0)}%`;
}
