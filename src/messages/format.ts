import type { NumberFormat, Unit } from "../kpi/definition.ts";

/** What formatting needs from a KPI definition; `Pick<KpiDefinition, "unit" | "format">` fits. */
export interface ValueFormat {
  unit: Unit;
  format?: NumberFormat;
}

export interface DeltaInput {
  absolute: number;
  /** In percent: 12.5 means up 12.5%. */
  relative: number | null;
  unit: "pp" | "abs";
}

/** Shown for a value that does not exist or is not a number; never "NaN". */
export const NO_VALUE = "—";
const MINUS = "\u2212";

// Intl's cache is per options object; formatting runs for every row of every message.
const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat(locale, options);
    } catch (e) {
      // A malformed locale tag in a subscription must not stop a digest; English is the fallback.
      if (!(e instanceof RangeError)) throw e;
      f = new Intl.NumberFormat("en-US", options);
    }
    cache.set(key, f);
  }
  return f;
}

/** Typographic minus, and "$182.4k" rather than "$182.4K" where English compact notation is used. */
function polish(text: string, locale: string): string {
  const minus = text.replace(/-/g, MINUS);
  return locale.toLowerCase().startsWith("en") ? minus.replace(/(\d)K\b/g, "$1k") : minus;
}

function fixed(decimals: number): Intl.NumberFormatOptions {
  return { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
}

/**
 * Compact notation keeps at least three significant digits, so a rounded label never contradicts the
 * point it sits on: 1,940,000 is "$1.94M", not "$2M"; "$182.4k" keeps its one decimal.
 */
function compact(decimals: number): Intl.NumberFormatOptions {
  return {
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: decimals,
    maximumSignificantDigits: 3,
    roundingPriority: "morePrecision",
  };
}

function options(def: ValueFormat, value: number): Intl.NumberFormatOptions {
  const fmt = def.format ?? {};
  const abs = Math.abs(value);
  switch (def.unit) {
    case "percent":
      return { style: "percent", ...fixed(fmt.decimals ?? 1) };
    case "currency": {
      const base = { style: "currency", currency: fmt.currency ?? "USD" } as const;
      if (fmt.compact ?? abs >= 10_000) return { ...base, ...compact(fmt.decimals ?? 1) };
      return { ...base, ...fixed(fmt.decimals ?? (abs < 100 && !Number.isInteger(value) ? 2 : 0)) };
    }
    case "count":
      if (fmt.compact ?? abs >= 1_000_000) return compact(fmt.decimals ?? 1);
      return { maximumFractionDigits: fmt.decimals ?? 0 };
    case "score":
      return { maximumFractionDigits: fmt.decimals ?? 0 };
    case "days":
      return { style: "unit", unit: "day", unitDisplay: "long", maximumFractionDigits: fmt.decimals ?? 1 };
    case "ratio":
      return fixed(fmt.decimals ?? 2);
    case "number":
      return fmt.compact ? compact(fmt.decimals ?? 1) : { maximumFractionDigits: fmt.decimals ?? 2 };
  }
}

/**
 * A KPI value as people read it: "46.2%", "$182.4k", "1,204", "42", "3.5 days"; "—" when there is none.
 * A value that rounds to zero has no sign: never "−0".
 */
export function formatValue(def: ValueFormat, value: number | null, locale = "en-US"): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  const scaled = def.unit === "percent" ? value / 100 : value;
  return polish(nf(locale, { ...options(def, value), signDisplay: "negative" }).format(scaled), locale);
}

/**
 * A bare number with a unit written as a chart request carries it ("%", "USD", "days"), in the same
 * format as a KPI value: a currency code is a currency ("$175k", like the "$162k" beside it), "%" a
 * percent, anything else a number followed by the unit.
 */
export function formatWithUnit(n: number, unit: string, locale = "en-US"): string {
  if (unit === "%") return formatBound({ unit: "percent", format: { decimals: 2 } }, n, locale);
  if (/^[A-Z]{3}$/.test(unit))
    return formatBound({ unit: "currency", format: { currency: unit } }, n, locale);
  const plain = formatPlain(n, locale);
  return unit ? `${plain} ${unit}` : plain;
}

/** A short number for labels: compact from 10,000 ("12.4k"), otherwise up to two decimals. */
export function formatPlain(n: number, locale = "en-US"): string {
  return formatValue({ unit: "number", format: { compact: Math.abs(n) >= 10_000 } }, n, locale);
}

/** A share (0.25) as a percent: "25%", one decimal below 10% ("4.2%"). */
export function formatShare(fraction: number, locale = "en-US"): string {
  const decimals = fraction < 0.1 && fraction > 0 ? 1 : 0;
  return formatValue({ unit: "percent", format: { decimals } }, fraction * 100, locale);
}

/**
 * A target or threshold as people write it: the value's format without padding zeros ("1.5%", "50%",
 * "$175k"), so "1.50%" never reads as more precise than the rule it states.
 */
export function formatBound(def: ValueFormat, value: number, locale = "en-US"): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const scaled = def.unit === "percent" ? value / 100 : value;
  const opts = { ...options(def, value), minimumFractionDigits: 0, signDisplay: "negative" as const };
  return polish(nf(locale, opts).format(scaled), locale);
}

/** Units where a relative change says little (an NPS of 10 -> 5 is not "−50%"): show the difference. */
const ABSOLUTE_UNITS: ReadonlySet<Unit> = new Set(["score", "days", "ratio", "number"]);

/**
 * The change against a comparison, e.g. "+3.1 pp vs previous 28d", "−12.0% vs previous 7d",
 * "no change vs previous 7d". A change that rounds to zero is "no change". Null without a delta.
 */
export function formatDelta(
  def: ValueFormat,
  delta: DeltaInput | null,
  comparedTo: string,
  locale = "en-US",
): string | null {
  if (delta === null || !Number.isFinite(delta.absolute)) return null;
  const signed = (opts: Intl.NumberFormatOptions, n: number) =>
    polish(nf(locale, { ...opts, signDisplay: "exceptZero" }).format(n), locale);
  const isZero = (opts: Intl.NumberFormatOptions, n: number) => /^[^1-9]*$/.test(nf(locale, opts).format(n));
  let text: string;
  if (delta.unit === "pp") {
    const opts = fixed(def.format?.decimals ?? 1);
    text = isZero(opts, delta.absolute) ? "" : `${signed(opts, delta.absolute)} pp`;
  } else if (delta.relative !== null && Number.isFinite(delta.relative) && !ABSOLUTE_UNITS.has(def.unit)) {
    const opts: Intl.NumberFormatOptions = { style: "percent", ...fixed(1) };
    text = isZero(opts, delta.relative / 100) ? "" : signed(opts, delta.relative / 100);
  } else {
    const opts = options(def, delta.absolute);
    const scaled = def.unit === "percent" ? delta.absolute / 100 : delta.absolute;
    text = isZero(opts, scaled) ? "" : signed(opts, scaled);
  }
  return text === "" ? `no change vs ${comparedTo}` : `${text} vs ${comparedTo}`;
}

/** True for a formatted delta that says nothing moved: it gets no arrow and no colour. */
export function isNoChange(delta: string | null): boolean {
  return delta?.startsWith("no change") ?? false;
}

const DURATION_UNITS = [
  { unit: "week", minutes: 10080 },
  { unit: "day", minutes: 1440 },
  { unit: "hour", minutes: 60 },
  { unit: "minute", minutes: 1 },
] as const;

/** "30 minutes", "2 hours", "1 day 6 hours", "1 week": the two largest parts, rounded to a minute. */
export function formatDuration(minutes: number, locale = "en-US"): string {
  let rest = Number.isFinite(minutes) ? Math.max(0, Math.round(minutes)) : 0;
  const parts: string[] = [];
  for (const { unit, minutes: size } of DURATION_UNITS) {
    if (unit === "week" && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n === 0 || parts.length === 2) continue;
    parts.push(nf(locale, { style: "unit", unit, unitDisplay: "long" }).format(n));
    rest -= n * size;
  }
  return parts.length === 0
    ? nf(locale, { style: "unit", unit: "minute", unitDisplay: "long" }).format(0)
    : parts.join(" ");
}
