import type { Status } from "../kpi/status.ts";
import { CHART_FONT } from "./font-files.ts";

/* One theme for every chart; its fonts come with the package (font-files.ts), so charts look the same everywhere. */

/** Opaque light card: readable on Slack and Teams in both light and dark mode. */
export const PALETTE = {
  background: "#ffffff",
  ink: "#1f2328",
  muted: "#59636e",
  faint: "#8c959f",
  grid: "#eaeef2",
  cell: "#f6f8fa",
  accent: "#0b5cad",
} as const;

export const STATUS_COLOR: Record<Status, string> = {
  green: "#1a7f37",
  amber: "#b58400",
  red: "#cf222e",
  no_data: "#8c959f",
  error: "#6e7781",
};

/** Pale fills for threshold bands behind a trend line. */
export const BAND_COLOR = { green: "#dafbe1", amber: "#fff1c2", red: "#ffe4e1" } as const;

/** Marker shapes so status never depends on colour alone. */
export const STATUS_SHAPE: Record<Status, string> = {
  green: "circle",
  amber: "triangle-up",
  red: "square",
  no_data: "stroke",
  error: "cross",
};

const statuses = Object.keys(STATUS_COLOR) as Status[];

/** Scales shared by templates: `{"scale": {"domain": ..., "range": ...}}` fragments keyed by name. */
export const STATUS_SCALES = {
  color: { domain: statuses, range: statuses.map((s) => STATUS_COLOR[s]) },
  shape: { domain: statuses, range: statuses.map((s) => STATUS_SHAPE[s]) },
  band: { domain: Object.keys(BAND_COLOR), range: Object.values(BAND_COLOR) },
};

/** Vega-Lite `config` merged into every template at compile time. */
export const THEME_CONFIG = {
  background: PALETTE.background,
  font: CHART_FONT,
  padding: 14,
  view: { stroke: null },
  title: {
    anchor: "start",
    color: PALETTE.ink,
    fontSize: 16,
    fontWeight: "bold",
    subtitleColor: PALETTE.muted,
    subtitleFontSize: 12,
    subtitlePadding: 4,
    offset: 12,
  },
  axis: {
    labelColor: PALETTE.muted,
    labelFontSize: 11,
    titleColor: PALETTE.muted,
    titleFontSize: 11,
    titleFontWeight: "normal",
    gridColor: PALETTE.grid,
    domainColor: "#d0d7de",
    tickColor: "#d0d7de",
  },
  text: { color: PALETTE.ink, fontSize: 12 },
} as const;
