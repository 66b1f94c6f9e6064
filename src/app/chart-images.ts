import { fitPng } from "../charts/fit-png.ts";
import type { NewChartImage, StoredChartImage } from "../db/chart-images-repository.ts";
import type { RenderedChart } from "./chat-sender.ts";
import type { Clock } from "./clock.ts";

/** A chart image as stored for platforms that fetch images by URL. */
export type ChartImage = StoredChartImage;

/**
 * Where published chart images live (the database: shared by replicas, kept across restarts). The
 * composition root hands in the implementation.
 */
export interface ChartImages {
  /** Stores one image; the same chart of a workspace still far from expiry keeps its token. */
  save(image: NewChartImage): Promise<{ token: string; expiresAt: Date }>;
  /** The image behind a token, or null when unknown or expired at `now`. */
  find(token: string, now: Date): Promise<ChartImage | null>;
}

export interface PublishDeps {
  images: ChartImages;
  clock: Clock;
  /** The service's public HTTPS address (PUBLIC_URL); null: nothing is published. */
  publicUrl: string | null;
  /** How long a published image stays fetchable. */
  ttlMs: number;
}

/** Teams (and the Adaptive Card spec) show images up to this many pixels a side. */
export const MAX_IMAGE_PIXELS = 1024;

/** `https://bot.example.com/base/` + `charts/<token>.png`, keeping any path PUBLIC_URL has. */
export function chartImageUrl(publicUrl: string, token: string): string {
  const base = publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`;
  return new URL(`charts/${token}.png`, base).toString();
}

/**
 * Publishes each drawn chart of a message for one workspace and returns its URL by chart id (the id the
 * card renderer asks for). Images larger than 1024 x 1024 are scaled down first. Charts without a PNG, or
 * no PUBLIC_URL, get no URL: the card then shows the native chart or the alt text.
 */
export async function publishChartImages(
  deps: PublishDeps,
  workspace: string,
  charts: readonly RenderedChart[],
): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  const publicUrl = deps.publicUrl;
  if (publicUrl === null) return urls;
  const now = deps.clock.now();
  for (const chart of charts) {
    if (chart.png === null || urls.has(chart.id)) continue;
    const fitted = await fitPng(chart.png, MAX_IMAGE_PIXELS);
    const { token } = await deps.images.save({
      workspace,
      chartId: chart.id,
      ...fitted,
      now,
      expiresAt: new Date(now.getTime() + deps.ttlMs),
    });
    urls.set(chart.id, chartImageUrl(publicUrl, token));
  }
  return urls;
}
