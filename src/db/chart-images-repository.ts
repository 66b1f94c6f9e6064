import { randomBytes } from "node:crypto";
import type { Db } from "./db.ts";

/** 24 random bytes as base64url: 192 bits, 32 URL-safe characters. */
export function newChartToken(): string {
  return randomBytes(24).toString("base64url");
}

export const CHART_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export interface NewChartImage {
  workspace: string;
  chartId: string;
  png: Buffer;
  width: number;
  height: number;
  now: Date;
  expiresAt: Date;
}

export interface StoredChartImage {
  token: string;
  png: Buffer;
  width: number;
  height: number;
  expiresAt: Date;
}

/**
 * Stores a chart image and returns its token. The same chart of the same workspace published again while
 * its row still has at least half its life left reuses that row (a digest sent to ten channels is one
 * image, and a reused URL never expires much sooner than a new one would).
 */
export async function saveChartImage(
  db: Db,
  image: NewChartImage,
): Promise<{ token: string; expiresAt: Date }> {
  const reuseUntil = new Date((image.now.getTime() + image.expiresAt.getTime()) / 2);
  const existing = await db
    .selectFrom("chart_images")
    .select(["token", "expires_at"])
    .where("workspace", "=", image.workspace)
    .where("chart_id", "=", image.chartId)
    .where("expires_at", ">", reuseUntil)
    .orderBy("expires_at", "desc")
    .executeTakeFirst();
  if (existing) return { token: existing.token, expiresAt: existing.expires_at };
  const token = newChartToken();
  await db
    .insertInto("chart_images")
    .values({
      token,
      workspace: image.workspace,
      chart_id: image.chartId,
      png: image.png,
      width: image.width,
      height: image.height,
      created_at: image.now,
      expires_at: image.expiresAt,
    })
    .execute();
  return { token, expiresAt: image.expiresAt };
}

/** The image behind a token, or null when there is none or it has expired at `now`. */
export async function findChartImage(db: Db, token: string, now: Date): Promise<StoredChartImage | null> {
  if (!CHART_TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom("chart_images")
    .select(["token", "png", "width", "height", "expires_at"])
    .where("token", "=", token)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (!row) return null;
  return {
    token: row.token,
    png: Buffer.from(row.png),
    width: row.width,
    height: row.height,
    expiresAt: row.expires_at,
  };
}

/** Deletes images expired at `now`; returns how many. */
export async function pruneExpiredChartImages(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom("chart_images").where("expires_at", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
